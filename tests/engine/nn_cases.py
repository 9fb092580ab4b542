"""``torch.nn`` cases, each a function of the library module (engine or torch).

A case returns a list of observations (strings, numbers, nested lists); the
tests run it on both libraries and compare, so every line here is checked
against real PyTorch. Errors are observed as ``("raises", type name, message)``
and warnings as ``("warns", category name, message)``.
"""
import copy
import math
import warnings
from collections import OrderedDict


def attempt(fn):
    try:
        return fn()
    except Exception as exc:  # noqa: BLE001 - the observation is the exception itself
        return ("raises", type(exc).__name__, str(exc))


def warned(fn):
    """``fn()``'s result and the warnings it raised."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = attempt(fn)
    return [result, [("warns", w.category.__name__, str(w.message)) for w in caught]]


def vals(t, digits=5):
    return None if t is None else [round(v, digits) for v in t.detach().reshape(-1).tolist()]


class Approx:
    """Values that compare equal within float32 rounding (for sums taken in another order)."""

    def __init__(self, values):
        self.values = values

    def __eq__(self, other):
        return isinstance(other, Approx) and len(self.values) == len(other.values) and all(
            math.isclose(a, b, rel_tol=1e-5, abs_tol=1e-6) for a, b in zip(self.values, other.values))

    def __repr__(self):
        return f"Approx({self.values})"


def approx(t):
    return Approx(t.detach().reshape(-1).tolist())


def exact(t):
    """Every value as a Python float: bit-for-bit comparison."""
    return t.detach().reshape(-1).tolist()


def name(t):
    return None if t.grad_fn is None else type(t.grad_fn).__name__


def chain(fn, depth=4):
    """The grad_fn names along first edges: the graph's spine."""
    names = []
    node = fn
    while node is not None and depth:
        names.append(type(node).__name__)
        node = node.next_functions[0][0] if node.next_functions else None
        depth -= 1
    return names


def data(m, rows, dtype=None):
    return m.tensor(rows, dtype=dtype or m.float32)


X = [[0.5, -1.2, 2.0], [1.5, 0.3, -0.7]]
TARGET = [[0.1], [-0.4]]


# ------------------------------------------------------------------ Parameter
def parameter_repr(m):
    p = m.nn.Parameter(m.ones(2))
    return [repr(p), str(p), type(p).__name__, isinstance(p, m.Tensor), p.requires_grad, p.is_leaf]


def parameter_no_grad(m):
    p = m.nn.Parameter(m.tensor([1.0, 2.0]), requires_grad=False)
    return [repr(p), p.requires_grad]


def parameter_int_requires_grad(m):
    return [attempt(lambda: m.nn.Parameter(m.tensor([1, 2])))]


def parameter_int_no_grad(m):
    return [repr(m.nn.Parameter(m.tensor([1, 2]), requires_grad=False))]


def parameter_empty(m):
    return [repr(m.nn.Parameter())]


def parameter_shares_storage(m):
    t = m.zeros(3)
    p = m.nn.Parameter(t)
    t.add_(1)
    return [vals(p), p._version == t._version]


def parameter_ops_give_tensors(m):
    p = m.nn.Parameter(m.ones(2))
    x = m.tensor([2.0, 3.0])
    out = [x * p, p * 2, x + p, p.detach(), x - p, x @ p]
    return [[type(t).__name__, name(t), t.requires_grad] for t in out]


def parameter_gradient(m):
    p = m.nn.Parameter(m.tensor([1.0, -2.0]))
    x = m.tensor([3.0, 4.0])
    (x * p * p).sum().backward()
    return [vals(p.grad), type(p.grad).__name__]


def parameter_deepcopy(m):
    p = m.nn.Parameter(m.tensor([1.0, 2.0]))
    q = copy.deepcopy(p)
    q.data.add_(1)
    return [type(q).__name__, vals(p), vals(q), q.requires_grad]


def parameter_under_no_grad(m):
    with m.no_grad():
        p = m.nn.Parameter(m.ones(1))
    return [p.requires_grad]


# --------------------------------------------------------------------- Linear
def linear_seed(in_features, out_features, bias=True, dtype=None, seed=0):
    def case(m):
        m.manual_seed(seed)
        layer = m.nn.Linear(in_features, out_features, bias=bias,
                            dtype=None if dtype is None else getattr(m, dtype))
        return [exact(layer.weight), None if layer.bias is None else exact(layer.bias),
                repr(layer), str(layer.weight.dtype)]
    return case


def linear_then_randn(m):
    m.manual_seed(1)
    m.nn.Linear(4, 2)
    return [exact(m.rand(3))]


def linear_forward(m):
    m.manual_seed(0)
    layer = m.nn.Linear(3, 2)
    x = data(m, X)
    y = layer(x)
    return [vals(y), name(y), chain(y.grad_fn), [type(n).__name__ if n else None
                                                 for n, _ in y.grad_fn.next_functions]]


def linear_forward_1d(m):
    m.manual_seed(0)
    layer = m.nn.Linear(3, 2)
    y = layer(data(m, X[0]))
    return [vals(y), chain(y.grad_fn)]


def linear_forward_3d(m):
    m.manual_seed(0)
    layer = m.nn.Linear(3, 2)
    y = layer(data(m, [X, X]))
    return [vals(y), list(y.shape), chain(y.grad_fn)]


def linear_no_bias_forward(m):
    m.manual_seed(0)
    layer = m.nn.Linear(3, 2, bias=False)
    y = layer(data(m, X))
    return [vals(y), chain(y.grad_fn), repr(layer), layer.bias]


def linear_backward(m):
    m.manual_seed(0)
    layer = m.nn.Linear(3, 2)
    layer(data(m, X)).pow(2).sum().backward()
    return [vals(layer.weight.grad), vals(layer.bias.grad)]


def linear_wrong_shape(m):
    layer = m.nn.Linear(3, 1)
    return [attempt(lambda: layer(m.ones(2, 4))), attempt(lambda: layer(m.ones(4))),
            attempt(lambda: layer(m.ones(2, 3, dtype=m.float64))),
            attempt(lambda: layer.double()(m.ones(2, 3)))]


def linear_named_parameters(m):
    layer = m.nn.Linear(2, 2)
    return [[(n, list(p.shape), type(p).__name__) for n, p in layer.named_parameters()]]


def linear_reset_parameters(m):
    m.manual_seed(3)
    layer = m.nn.Linear(2, 3)
    m.manual_seed(3)
    first = exact(layer.weight)
    layer.reset_parameters()
    return [first == exact(layer.weight), exact(layer.bias)]


def walk(fn, depth=5):
    """The whole graph below ``fn`` as nested names."""
    if fn is None or depth == 0:
        return None
    return [type(fn).__name__, [walk(n, depth - 1) for n, _ in fn.next_functions]]


def bilinear_case(shape1, shape2, bias=True, seed=0):
    def case(m):
        m.manual_seed(seed)
        layer = m.nn.Bilinear(shape1[-1], shape2[-1], 4, bias=bias)
        x1 = m.randn(*shape1, requires_grad=True)
        x2 = m.randn(*shape2, requires_grad=True)
        y = layer(x1, x2)
        y.pow(2).sum().backward()
        return [repr(layer), exact(layer.weight), approx(y), list(y.shape), walk(y.grad_fn),
                approx(x1.grad), approx(x2.grad), approx(layer.weight.grad),
                [n for n, _ in layer.named_parameters()]]
    return case


def bilinear_saved(m):
    layer = m.nn.Bilinear(2, 3, 1)
    y = layer(m.ones(1, 2, requires_grad=True), m.ones(1, 3))
    node = y.grad_fn.next_functions[0][0].next_functions[0][0]
    return [type(node).__name__, node._saved_expand1, node._saved_expand2, node._saved_expand3,
            node._saved_sumdim]


def bilinear_double_backward(m):
    m.manual_seed(4)
    w = m.randn(2, 3, 2, dtype=m.float64, requires_grad=True)
    x1 = m.randn(4, 3, dtype=m.float64, requires_grad=True)
    x2 = m.randn(4, 2, dtype=m.float64, requires_grad=True)
    y = m.nn.functional.bilinear(x1, x2, w)
    g1, gw = m.autograd.grad(y.pow(2).sum(), (x1, w), create_graph=True)
    (g1.sum() + gw.pow(2).sum()).backward()
    return [vals(x1.grad), vals(x2.grad), vals(w.grad)]


def bilinear_errors(m):
    layer = m.nn.Bilinear(2, 3, 4)
    return [attempt(lambda: layer(m.ones(5, 2), m.ones(4, 3))),
            attempt(lambda: layer(m.ones(5, 2), m.ones(5, 4))),
            attempt(lambda: layer(m.ones(5, 3), m.ones(5, 3))),
            attempt(lambda: layer(m.ones(5, 1, 2), m.ones(5, 3)))]


# --------------------------------------------------------------- user modules
def _net_class(m):
    class Net(m.nn.Module):
        def __init__(self):
            super().__init__()
            self.fc1 = m.nn.Linear(3, 4)
            self.act = m.nn.ReLU()
            self.head = m.nn.Sequential(m.nn.Linear(4, 2), m.nn.Tanh())
            self.scale = m.nn.Parameter(m.ones(1))

        def forward(self, x):
            return self.head(self.act(self.fc1(x))) * self.scale
    return Net


def net_repr(m):
    return [repr(_net_class(m)())]


def net_named_parameters(m):
    net = _net_class(m)()
    return [[(n, list(p.shape)) for n, p in net.named_parameters()],
            len(list(net.parameters())),
            [n for n, _ in net.named_parameters(prefix="model")],
            [n for n, _ in net.named_parameters(recurse=False)]]


def net_state_dict(m):
    net = _net_class(m)()
    state = net.state_dict()
    return [type(state).__name__, list(state.keys()),
            [t.requires_grad for t in state.values()],
            [type(t).__name__ for t in state.values()],
            sorted(state._metadata.keys()), state._metadata["head"]]


def net_state_dict_keep_vars(m):
    net = _net_class(m)()
    state = net.state_dict(keep_vars=True)
    return [[type(t).__name__ for t in state.values()], state["scale"] is net.scale]


def state_dict_positional(m):
    net = m.nn.Linear(1, 1)
    return [warned(lambda: list(net.state_dict(None, "layer."))),
            list(net.state_dict(prefix="p."))]


def net_children(m):
    net = _net_class(m)()
    return [[n for n, _ in net.named_children()], [type(c).__name__ for c in net.children()]]


def net_modules(m):
    net = _net_class(m)()
    return [[n for n, _ in net.named_modules()], [type(c).__name__ for c in net.modules()]]


def net_forward_backward(m):
    m.manual_seed(0)
    net = _net_class(m)()
    y = net(data(m, X))
    y.sum().backward()
    return [vals(y), name(y), vals(net.scale.grad), vals(net.fc1.weight.grad)]


def shared_module_listed_once(m):
    layer = m.nn.Linear(2, 2)
    seq = m.nn.Sequential(layer, layer)
    return [len(list(seq.modules())), len(list(seq.parameters())),
            [n for n, _ in seq.named_parameters()], [n for n, _ in seq.named_modules()],
            [n for n, _ in seq.named_parameters(remove_duplicate=False)],
            repr(seq)]


def _no_init(m, body):
    class Broken(m.nn.Module):
        def __init__(self):
            body(self)
    result = attempt(Broken)
    return result if isinstance(result, tuple) else type(result).__name__


def missing_super_init(m):
    return [_no_init(m, lambda self: setattr(self, "fc", m.nn.Linear(1, 1))),
            _no_init(m, lambda self: setattr(self, "w", m.nn.Parameter(m.ones(1)))),
            _no_init(m, lambda self: self.register_buffer("b", m.ones(1))),
            _no_init(m, lambda self: self.register_parameter("p", None)),
            _no_init(m, lambda self: setattr(self, "n", 3))]


def missing_attribute(m):
    net = m.nn.Linear(1, 1)
    return [attempt(lambda: net.missing)]


def assign_tensor_to_parameter(m):
    layer = m.nn.Linear(2, 1)

    def assign():
        layer.weight = m.ones(1, 2)
    return [attempt(assign)]


def assign_none_to_parameter(m):
    layer = m.nn.Linear(2, 1)
    layer.bias = None
    return [repr(layer), [n for n, _ in layer.named_parameters()], list(layer.state_dict())]


def assign_non_module_to_module(m):
    seq = m.nn.Sequential(m.nn.ReLU())

    def assign():
        setattr(seq, "0", 5)
    return [attempt(assign)]


def replace_module_with_parameter(m):
    net = m.nn.Module()
    net.a = m.nn.Linear(1, 1)
    net.a = m.nn.Parameter(m.ones(1))
    return [list(net._modules), list(net._parameters)]


def buffers(m):
    net = m.nn.Module()
    net.register_buffer("running", m.zeros(2))
    net.register_buffer("scratch", m.ones(1), persistent=False)
    net.register_buffer("empty", None)
    net.running = m.ones(2)
    return [list(net.state_dict()), [n for n, _ in net.named_buffers()], vals(net.running),
            repr(net), attempt(lambda: setattr(net, "running", 3))]


def buffer_class(m):
    net = m.nn.Module()
    net.b = m.nn.Buffer(m.ones(2))
    net.c = m.nn.Buffer(m.ones(1), persistent=False)
    return [type(net.b).__name__, list(net.state_dict()), [n for n, _ in net.named_buffers()]]


def registration_errors(m):
    net = m.nn.Module()
    net.plain = 1
    return [attempt(lambda: net.register_parameter("a.b", None)),
            attempt(lambda: net.register_parameter("", None)),
            attempt(lambda: net.register_parameter("plain", None)),
            attempt(lambda: net.register_parameter("p", m.ones(1))),
            attempt(lambda: net.register_parameter("p", m.nn.Parameter(m.ones(1)) * 2)),
            attempt(lambda: net.register_buffer("a.b", None)),
            attempt(lambda: net.register_buffer("", None)),
            attempt(lambda: net.register_buffer("plain", None)),
            attempt(lambda: net.register_buffer("b", 3)),
            attempt(lambda: net.register_buffer(1, None)),
            attempt(lambda: net.add_module("x", 3)),
            attempt(lambda: net.add_module("a.b", None)),
            attempt(lambda: net.add_module("", None)),
            attempt(lambda: net.add_module("plain", None))]


def non_leaf_parameter(m):
    net = m.nn.Module()
    p = m.nn.Parameter(m.ones(1))
    return [attempt(lambda: net.register_parameter("q", p * 2))]


def train_eval(m):
    net = m.nn.Sequential(m.nn.Linear(1, 1), m.nn.Sequential(m.nn.Dropout()))
    flags = [[mod.training for mod in net.modules()]]
    net.eval()
    flags.append([mod.training for mod in net.modules()])
    returned = net.train()
    flags.append([mod.training for mod in net.modules()])
    net[1].train(False)
    flags.append([mod.training for mod in net.modules()])
    return flags + [returned is net, attempt(lambda: net.train("yes"))]


def requires_grad_toggle(m):
    net = m.nn.Sequential(m.nn.Linear(2, 2), m.nn.Linear(2, 1))
    returned = net.requires_grad_(False)
    frozen = [p.requires_grad for p in net.parameters()]
    net[1].requires_grad_()
    return [frozen, [p.requires_grad for p in net.parameters()], returned is net]


def zero_grad_none(m):
    net = m.nn.Linear(2, 1)
    net(m.ones(1, 2)).sum().backward()
    before = [p.grad is None for p in net.parameters()]
    net.zero_grad()
    return [before, [p.grad for p in net.parameters()]]


def zero_grad_zeros(m):
    net = m.nn.Linear(2, 1)
    net(m.ones(1, 2)).sum().backward()
    net.zero_grad(set_to_none=False)
    return [[vals(p.grad) for p in net.parameters()]]


def zero_grad_accumulates(m):
    m.manual_seed(0)
    net = m.nn.Linear(2, 1)
    x = m.tensor([[1.0, 2.0]])
    net(x).sum().backward()
    net(x).sum().backward()
    doubled = vals(net.weight.grad)
    net.zero_grad()
    net(x).sum().backward()
    return [doubled, vals(net.weight.grad)]


def apply_order(m):
    seen = []
    net = m.nn.Sequential(m.nn.Linear(1, 1), m.nn.Sequential(m.nn.ReLU(), m.nn.Tanh()))
    returned = net.apply(lambda mod: seen.append(type(mod).__name__))
    return [seen, returned is net]


def apply_init(m):
    def init_weights(mod):
        if isinstance(mod, m.nn.Linear):
            m.nn.init.constant_(mod.weight, 0.5)
            m.nn.init.zeros_(mod.bias)
    net = m.nn.Sequential(m.nn.Linear(2, 2), m.nn.ReLU(), m.nn.Linear(2, 1)).apply(init_weights)
    return [[vals(p) for p in net.parameters()], [p.requires_grad for p in net.parameters()]]


def dtype_conversion(m):
    net = m.nn.Sequential(m.nn.Linear(2, 2))
    weight = net[0].weight
    net.double()
    after_double = [str(p.dtype) for p in net.parameters()]
    same = net[0].weight is weight
    net.to(m.float32)
    after_to = [str(p.dtype) for p in net.parameters()]
    y = net.double()(m.ones(1, 2, dtype=m.float64))
    return [after_double, same, after_to, str(y.dtype), type(net[0].weight).__name__,
            net[0].weight.requires_grad, attempt(lambda: net.to(m.int64))]


def dtype_conversion_keeps_grad(m):
    net = m.nn.Linear(2, 1)
    net(m.ones(1, 2)).sum().backward()
    net.double()
    return [str(net.weight.grad.dtype), vals(net.weight.grad)]


def to_cpu_is_noop(m):
    net = m.nn.Linear(2, 1)
    weight = net.weight
    return [net.to("cpu") is net, net.cpu() is net, net.weight is weight, net.float() is net]


def load_state_dict_roundtrip(m):
    m.manual_seed(0)
    source = m.nn.Linear(3, 2)
    target = m.nn.Linear(3, 2)
    weight = target.weight
    result = target.load_state_dict(source.state_dict())
    return [repr(result), str(result), result.missing_keys, result.unexpected_keys,
            exact(target.weight) == exact(source.weight), target.weight is weight,
            target.weight.requires_grad]


def load_state_dict_errors(m):
    net = m.nn.Sequential(m.nn.Linear(2, 2))
    state = net.state_dict()
    extra = OrderedDict(state)
    extra["1.weight"] = m.ones(1)
    extra["0.other"] = m.ones(1)
    missing = OrderedDict(list(state.items())[:1])
    wrong = OrderedDict(state)
    wrong["0.bias"] = m.ones(3)
    return [attempt(lambda: net.load_state_dict(extra)),
            attempt(lambda: net.load_state_dict(missing)),
            attempt(lambda: net.load_state_dict(wrong)),
            attempt(lambda: net.load_state_dict([1])),
            repr(net.load_state_dict(missing, strict=False)),
            repr(net.load_state_dict(extra, strict=False))]


def load_state_dict_assign(m):
    net = m.nn.Linear(2, 1)
    state = {"weight": m.ones(1, 2), "bias": m.zeros(1)}
    result = net.load_state_dict(state, assign=True)
    return [repr(result), type(net.weight).__name__, vals(net.weight), net.weight.requires_grad]


def custom_extra_repr(m):
    class Scaled(m.nn.Module):
        def __init__(self, factor):
            super().__init__()
            self.factor = factor
            self.inner = m.nn.Linear(1, 1)

        def extra_repr(self):
            return f"factor={self.factor}"

    class Lines(m.nn.Module):
        def extra_repr(self):
            return "first=1\nsecond=2"
    outer = m.nn.Sequential(Scaled(2.5), Lines(), m.nn.Module())
    return [repr(Scaled(3)), repr(Lines()), repr(outer), repr(m.nn.Module())]


def delattr_member(m):
    net = m.nn.Linear(2, 1)
    del net.bias
    seq = m.nn.Sequential(m.nn.ReLU())
    delattr(seq, "0")
    return [[n for n, _ in net.named_parameters()], len(seq), attempt(lambda: delattr(net, "zz"))]


def forward_missing(m):
    return [attempt(lambda: m.nn.Module()(m.ones(1)))]


def dir_lists_members(m):
    net = _net_class(m)()
    names = dir(net)
    return [[n in names for n in ("fc1", "scale", "head", "forward", "training")]]


def module_kwargs_error(m):
    return [attempt(lambda: m.nn.Module(3)), attempt(lambda: m.nn.Module(x=3))]


def get_submodule_and_parameter(m):
    net = _net_class(m)()
    return [type(net.get_submodule("head.0")).__name__,
            list(net.get_parameter("head.0.weight").shape),
            attempt(lambda: net.get_submodule("head.5")),
            attempt(lambda: net.get_parameter("head.0.missing")),
            attempt(lambda: net.get_parameter("fc1.in_features"))]


def plain_attributes_stay(m):
    net = m.nn.Linear(2, 1)
    net.note = "hello"
    net.cache = m.ones(1)
    return [net.note, vals(net.cache), "cache" in net._buffers, sorted(net.__dict__.keys())[:3]]


# --------------------------------------------------------------------- hooks
def forward_hooks_order(m):
    log = []
    net = m.nn.Sequential(m.nn.Linear(2, 2), m.nn.ReLU())
    for i, mod in enumerate([net, net[0], net[1]]):
        mod.register_forward_pre_hook(lambda mod, args, i=i: log.append(("pre", i, len(args))))
        mod.register_forward_hook(lambda mod, args, out, i=i: log.append(("post", i,
                                                                            list(out.shape))))
    net(m.ones(1, 2))
    return [log]


def forward_pre_hook_replaces_input(m):
    layer = m.nn.Identity()
    layer.register_forward_pre_hook(lambda mod, args: args[0] * 10)
    layer.register_forward_pre_hook(lambda mod, args: (args[0] + 1,))
    return [vals(layer(m.ones(2)))]


def forward_hook_replaces_output(m):
    layer = m.nn.ReLU()
    handle = layer.register_forward_hook(lambda mod, args, out: out - 1)
    first = vals(layer(m.tensor([-1.0, 2.0])))
    handle.remove()
    second = vals(layer(m.tensor([-1.0, 2.0])))
    return [first, second]


def forward_hooks_with_kwargs(m):
    log = []
    layer = m.nn.Identity()
    layer.register_forward_pre_hook(lambda mod, args, kwargs: ((args[0] * 2,), kwargs),
                                    with_kwargs=True)
    layer.register_forward_hook(lambda mod, args, kwargs, out: log.append(sorted(kwargs)),
                                with_kwargs=True)
    first = layer.register_forward_hook(lambda mod, args, out: log.append("first"), prepend=True)
    out = layer(m.ones(1))
    first.remove()
    layer(m.ones(1))
    return [vals(out), log]


def forward_pre_hook_bad_return(m):
    layer = m.nn.Identity()
    layer.register_forward_pre_hook(lambda mod, args, kwargs: 5, with_kwargs=True)
    return [attempt(lambda: layer(m.ones(1)))]


def handle_context(m):
    layer = m.nn.Identity()
    log = []
    with layer.register_forward_hook(lambda *a: log.append(1)):
        layer(m.ones(1))
    layer(m.ones(1))
    return [log]


def full_backward_hook(m):
    log = []
    m.manual_seed(0)
    layer = m.nn.Linear(3, 2)
    layer.register_full_backward_hook(
        lambda mod, grad_in, grad_out: log.append((type(mod).__name__,
                                                   [vals(g) for g in grad_in],
                                                   [vals(g) for g in grad_out])))
    x = data(m, X).requires_grad_()
    y = layer(x)
    fn = y.grad_fn
    (y * m.tensor([1.0, -2.0])).sum().backward()
    return [name(y), chain(fn, 3), log, vals(x.grad), vals(layer.weight.grad)]


def full_backward_hook_order(m):
    log = []
    net = m.nn.Sequential(m.nn.Linear(2, 2), m.nn.Tanh(), m.nn.Linear(2, 1))
    for i, mod in enumerate(net):
        mod.register_full_backward_hook(lambda mod, gi, go, i=i: log.append(i))
    net.register_full_backward_hook(lambda mod, gi, go: log.append("net"))
    x = m.ones(1, 2, requires_grad=True)
    net(x).sum().backward()
    return [log]


def full_backward_hook_replaces_grad(m):
    layer = m.nn.Tanh()
    layer.register_full_backward_hook(lambda mod, gi, go: (gi[0] * 0 + 7,))
    x = m.tensor([0.5, -0.5], requires_grad=True)
    layer(x).sum().backward()
    return [vals(x.grad)]


def full_backward_hook_no_input_grad(m):
    log = []
    m.manual_seed(0)
    layer = m.nn.Linear(2, 1)
    layer.register_full_backward_hook(lambda mod, gi, go: log.append((gi, [vals(g) for g in go])))
    y = layer(m.ones(1, 2))
    return [name(y), warned(lambda: y.sum().backward()), log]


def full_backward_pre_hook(m):
    log = []
    layer = m.nn.Sigmoid()
    layer.register_full_backward_pre_hook(lambda mod, go: (go[0] * 3,))
    layer.register_full_backward_hook(lambda mod, gi, go: log.append([vals(go[0]), vals(gi[0])]))
    x = m.tensor([0.0, 1.0], requires_grad=True)
    layer(x).sum().backward()
    return [log, vals(x.grad)]


def legacy_backward_hook(m):
    log = []
    m.manual_seed(0)
    layer = m.nn.Linear(2, 1)
    layer.register_backward_hook(
        lambda mod, gi, go: log.append(([None if g is None else vals(g) for g in gi],
                                        [vals(g) for g in go])))
    x = m.tensor([[1.0, -1.0]], requires_grad=True)
    first = warned(lambda: name(layer(x)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        y = layer(x)
    y.sum().backward()
    return [first, log, attempt(lambda: layer.register_full_backward_hook(lambda *a: None))]


def legacy_backward_hook_single_node(m):
    log = []
    layer = m.nn.Tanh()
    layer.register_backward_hook(lambda mod, gi, go: log.append([vals(g) for g in gi + go]))
    x = m.tensor([0.5, -1.0], requires_grad=True)
    y = warned(lambda: layer(x * 1))
    y[0].sum().backward()
    return [y[1], log, vals(x.grad)]


def backward_hook_wrong_count(m):
    layer = m.nn.Tanh()
    layer.register_full_backward_hook(lambda mod, gi, go: (gi[0], gi[0]))
    x = m.ones(2, requires_grad=True)
    y = layer(x).sum()
    return [attempt(lambda: y.backward())]


def backward_hook_under_no_grad(m):
    layer = m.nn.Tanh()
    layer.register_full_backward_hook(lambda *a: None)
    with m.no_grad():
        y = layer(m.ones(2, requires_grad=True))
    return [name(y), y.requires_grad]


# ---------------------------------------------------------------- containers
def sequential_indexing(m):
    seq = m.nn.Sequential(m.nn.Linear(2, 3), m.nn.ReLU(), m.nn.Linear(3, 1))
    return [type(seq[0]).__name__, type(seq[-1]).__name__, repr(seq[1:]), len(seq),
            [type(s).__name__ for s in seq], attempt(lambda: seq[3]), attempt(lambda: seq[-4]),
            type(seq[::2]).__name__, [n for n, _ in seq[1:].named_parameters()]]


def sequential_ordered_dict(m):
    seq = m.nn.Sequential(OrderedDict([("fc", m.nn.Linear(2, 2)), ("act", m.nn.ReLU())]))
    return [repr(seq), [n for n, _ in seq.named_parameters()], type(seq.fc).__name__,
            type(seq[1]).__name__]


def sequential_editing(m):
    seq = m.nn.Sequential(m.nn.ReLU())
    seq.append(m.nn.Tanh())
    seq.insert(0, m.nn.Sigmoid())
    seq.extend([m.nn.Identity()])
    names = [type(s).__name__ for s in seq]
    popped = seq.pop(1)
    del seq[0]
    seq[0] = m.nn.GELU()
    return [names, type(popped).__name__, repr(seq), list(seq._modules),
            attempt(lambda: seq.insert(9, m.nn.ReLU()))]


def sequential_arithmetic(m):
    a = m.nn.Sequential(m.nn.ReLU())
    b = m.nn.Sequential(m.nn.Tanh())
    c = a + b
    d = b * 2
    a += b
    # The multiplication error names the class with its module path: only its start is common.
    return [repr(c), repr(d), len(a), attempt(lambda: a + 1), attempt(lambda: a * 0)[2][:32]]


def sequential_forward(m):
    m.manual_seed(0)
    seq = m.nn.Sequential(m.nn.Linear(3, 4), m.nn.ReLU(), m.nn.Linear(4, 1))
    y = seq(data(m, X))
    return [vals(y), chain(y.grad_fn, 6)]


def module_list(m):
    layers = m.nn.ModuleList([m.nn.Linear(2, 2) for _ in range(3)])
    layers.append(m.nn.ReLU())
    layers.extend([m.nn.ReLU(), m.nn.Tanh()])
    layers.insert(1, m.nn.Sigmoid())
    return [repr(layers), len(layers), type(layers[-1]).__name__, repr(layers[4:]),
            [n for n, _ in layers.named_parameters()][:3], attempt(lambda: layers[10]),
            attempt(lambda: layers.extend(5)), repr(m.nn.ModuleList())]


def module_list_in_net(m):
    class Stack(m.nn.Module):
        def __init__(self):
            super().__init__()
            self.blocks = m.nn.ModuleList([m.nn.Linear(2, 2), m.nn.Linear(2, 2)])

        def forward(self, x):
            for block in self.blocks:
                x = block(x)
            return x
    net = Stack()
    del net.blocks[0]
    return [repr(net), list(net.state_dict())]


def module_dict(m):
    layers = m.nn.ModuleDict({"fc": m.nn.Linear(2, 1), "act": m.nn.ReLU()})
    layers["out"] = m.nn.Sigmoid()
    popped = layers.pop("act")
    return [repr(layers), list(layers.keys()), "fc" in layers, len(layers),
            type(popped).__name__, [type(v).__name__ for v in layers.values()],
            [k for k, _ in layers.items()], list(iter(layers)),
            attempt(lambda: layers.update([("a", m.nn.ReLU(), 1)])),
            attempt(lambda: layers.update(3))]


def parameter_list(m):
    params = m.nn.ParameterList([m.nn.Parameter(m.ones(2, 3)), m.zeros(4)])
    params.append(m.ones(1, dtype=m.float64))
    return [repr(params), len(params), [n for n, _ in params.named_parameters()],
            [type(p).__name__ for p in params], attempt(lambda: params(1)),
            repr(params[1:])]


# --------------------------------------------------------------- activations
ACTIVATIONS = [
    ("relu", lambda m: m.nn.ReLU()),
    ("relu-inplace", lambda m: m.nn.ReLU(inplace=True)),
    ("leaky_relu", lambda m: m.nn.LeakyReLU()),
    ("leaky_relu-0.2", lambda m: m.nn.LeakyReLU(0.2)),
    ("leaky_relu-inplace", lambda m: m.nn.LeakyReLU(0.1, inplace=True)),
    ("tanh", lambda m: m.nn.Tanh()),
    ("sigmoid", lambda m: m.nn.Sigmoid()),
    ("softmax", lambda m: m.nn.Softmax(dim=1)),
    ("softmax-0", lambda m: m.nn.Softmax(0)),
    ("log_softmax", lambda m: m.nn.LogSoftmax(dim=1)),
    ("gelu", lambda m: m.nn.GELU()),
    ("gelu-tanh", lambda m: m.nn.GELU(approximate="tanh")),
    ("identity", lambda m: m.nn.Identity(54, unused="x")),
    ("flatten", lambda m: m.nn.Flatten()),
    ("flatten-0", lambda m: m.nn.Flatten(0)),
    ("unflatten", lambda m: m.nn.Unflatten(1, (3, 1))),
    ("dropout-eval", lambda m: m.nn.Dropout(0.3).eval()),
]


def activation_case(make):
    def case(m):
        layer = make(m)
        x = data(m, X).requires_grad_()
        y = layer(x * 1)
        y.backward(m.ones_like(y) if hasattr(m, "ones_like") else m.ones(*y.shape))
        return [repr(layer), vals(y), list(y.shape), name(y), vals(x.grad)]
    return case


def softmax_implicit_dim(m):
    return [warned(lambda: vals(m.nn.Softmax()(data(m, X)))),
            warned(lambda: vals(m.nn.LogSoftmax()(data(m, X[0])))),
            repr(m.nn.Softmax())]


def identity_same_object(m):
    x = m.ones(2)
    return [m.nn.Identity()(x) is x, m.nn.Flatten()(m.ones(2, 3)).shape == (2, 3)]


def unflatten_errors(m):
    return [attempt(lambda: m.nn.Unflatten(1, 3)), attempt(lambda: m.nn.Unflatten(1, (2, 1.5))),
            repr(m.nn.Unflatten(-1, [2, 2]))]


# ------------------------------------------------------------------- dropout
def dropout_train(p, shape, dtype="float32", seed=0):
    def case(m):
        m.manual_seed(seed)
        layer = m.nn.Dropout(p)
        x = m.arange(1.0, 1.0 + math.prod(shape), dtype=getattr(m, dtype)).reshape(*shape)
        x.requires_grad_()
        y = layer(x)
        y.sum().backward()
        return [repr(layer), exact(y), name(y), [type(n).__name__ if n else None
                                                 for n, _ in y.grad_fn.next_functions],
                exact(x.grad), exact(m.rand(2))]
    return case


def dropout_eval_and_edges(m):
    x = m.ones(3, requires_grad=True)
    layer = m.nn.Dropout(0.5)
    layer.eval()
    return [layer(x) is x, m.nn.functional.dropout(x, training=False) is x,
            m.nn.functional.dropout(x, p=0.0) is x, name(m.nn.functional.dropout(x, p=1.0)),
            vals(m.nn.functional.dropout(x, p=1.0)),
            attempt(lambda: m.nn.functional.dropout(x, p=1.5)),
            attempt(lambda: m.nn.Dropout(-0.1)), repr(m.nn.Dropout(0.25, inplace=True))]


def dropout_inplace(m):
    m.manual_seed(5)
    x = m.ones(8)
    y = m.nn.functional.dropout(x, 0.5, inplace=True)
    return [y is x, exact(x)]


# -------------------------------------------------------------------- losses
PREDICTION = [[0.2, 0.7, 0.9], [0.4, 0.1, 0.6]]
LABELS = [[0.0, 1.0, 1.0], [1.0, 0.0, 0.5]]


def loss_case(make, inputs="probabilities", target_grad=True):
    """A loss module on an input and a target (both requiring grad where PyTorch allows)."""
    def case(m):
        loss_fn = make(m)
        if inputs == "classes":
            x = data(m, X).requires_grad_()
            t = m.tensor([2, 0])
        else:
            x = data(m, PREDICTION if inputs == "probabilities" else X).requires_grad_()
            t = data(m, LABELS).requires_grad_(target_grad)
        loss = loss_fn(x, t)
        loss.backward(m.ones_like(loss) if hasattr(m, "ones_like") else m.ones(*loss.shape))
        target_grad_values = vals(t.grad) if t.requires_grad else None
        return [repr(loss_fn), vals(loss), name(loss), chain(loss.grad_fn, 4),
                vals(x.grad), target_grad_values, list(loss_fn.state_dict())]
    return case


def _weight(m):
    return m.tensor([0.5, 2.0, 1.0])


LOSSES = [
    ("mse", lambda m: m.nn.MSELoss(), "logits"),
    ("mse-sum", lambda m: m.nn.MSELoss(reduction="sum"), "logits"),
    ("mse-none", lambda m: m.nn.MSELoss(reduction="none"), "logits"),
    ("l1", lambda m: m.nn.L1Loss(), "logits"),
    ("l1-sum", lambda m: m.nn.L1Loss(reduction="sum"), "logits"),
    ("l1-none", lambda m: m.nn.L1Loss(reduction="none"), "logits"),
    ("bce", lambda m: m.nn.BCELoss(), "probabilities"),
    ("bce-sum", lambda m: m.nn.BCELoss(reduction="sum"), "probabilities"),
    ("bce-none", lambda m: m.nn.BCELoss(reduction="none"), "probabilities"),
    ("bce-weight", lambda m: m.nn.BCELoss(weight=_weight(m)), "probabilities"),
    ("bce_logits", lambda m: m.nn.BCEWithLogitsLoss(), "logits"),
    ("bce_logits-sum", lambda m: m.nn.BCEWithLogitsLoss(reduction="sum"), "logits"),
    ("bce_logits-none", lambda m: m.nn.BCEWithLogitsLoss(reduction="none"), "logits"),
    ("bce_logits-pos_weight", lambda m: m.nn.BCEWithLogitsLoss(pos_weight=_weight(m)), "logits"),
    ("bce_logits-weight", lambda m: m.nn.BCEWithLogitsLoss(weight=_weight(m)), "logits"),
    ("cross_entropy", lambda m: m.nn.CrossEntropyLoss(), "classes"),
    ("cross_entropy-sum", lambda m: m.nn.CrossEntropyLoss(reduction="sum"), "classes"),
    ("cross_entropy-weight", lambda m: m.nn.CrossEntropyLoss(weight=_weight(m)), "classes"),
    ("cross_entropy-smoothing", lambda m: m.nn.CrossEntropyLoss(label_smoothing=0.1), "classes"),
    ("cross_entropy-ignore", lambda m: m.nn.CrossEntropyLoss(ignore_index=0), "classes"),
    ("nll", lambda m: m.nn.NLLLoss(), "classes"),
    ("nll-weight-none", lambda m: m.nn.NLLLoss(weight=_weight(m), reduction="none"), "classes"),
]


def bce_double_backward(m):
    x = data(m, PREDICTION, m.float64).requires_grad_()
    t = data(m, LABELS, m.float64).requires_grad_()
    loss = m.nn.functional.binary_cross_entropy(x, t)
    (gx, gt) = m.autograd.grad(loss, (x, t), create_graph=True)
    (gx.sum() + gt.sum()).backward()
    return [vals(gx), vals(gt), vals(x.grad), vals(t.grad)]


def bce_logits_double_backward(m):
    x = data(m, X, m.float64).requires_grad_()
    t = data(m, LABELS, m.float64).requires_grad_()
    loss = m.nn.functional.binary_cross_entropy_with_logits(x, t, pos_weight=_weight(m).double())
    (gx, gt) = m.autograd.grad(loss, (x, t), create_graph=True)
    (gx.pow(2).sum() + gt.pow(2).sum()).backward()
    return [vals(gx), vals(gt), vals(x.grad), vals(t.grad)]


def bce_extremes(m):
    x = m.tensor([0.0, 1.0, 0.5], requires_grad=True)
    t = m.tensor([1.0, 0.0, 1.0])
    loss = m.nn.functional.binary_cross_entropy(x, t, reduction="none")
    loss.sum().backward()
    return [vals(loss), vals(x.grad, 2)]


def loss_errors(m):
    F = m.nn.functional
    return [attempt(lambda: F.binary_cross_entropy(m.tensor([1.5]), m.tensor([1.0]))),
            attempt(lambda: F.binary_cross_entropy(m.tensor([0.5, 0.5]), m.tensor([1.0]))),
            attempt(lambda: F.binary_cross_entropy_with_logits(m.ones(2), m.ones(3))),
            attempt(lambda: m.nn.MSELoss(reduction="avg")(m.ones(1), m.ones(1))),
            attempt(lambda: F.l1_loss(m.ones(2), m.ones(2), reduction="avg"))]


def loss_warnings(m):
    F = m.nn.functional
    return [warned(lambda: vals(F.l1_loss(m.ones(2, 3), m.zeros(3)))),
            warned(lambda: m.nn.MSELoss(size_average=False).reduction),
            warned(lambda: m.nn.L1Loss(reduce=False).reduction)]


def l1_broadcast_graph(m):
    x = m.ones(3, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        loss = m.nn.functional.l1_loss(x, m.zeros(2, 3))
    return [chain(loss.grad_fn, 5)]


def l1_weighted(m):
    x = data(m, X).requires_grad_()
    w = data(m, [[1.0, 2.0, 0.5], [0.0, 1.0, 1.0]])
    loss = m.nn.functional.l1_loss(x, m.zeros(2, 3), weight=w)
    loss.backward()
    return [vals(loss), name(loss), vals(x.grad)]


# ---------------------------------------------------------------------- init
def init_gains(m):
    init = m.nn.init
    names = ["linear", "conv2d", "sigmoid", "tanh", "relu", "leaky_relu", "selu"]
    return [[init.calculate_gain(n) for n in names], init.calculate_gain("leaky_relu", 0.2),
            init.calculate_gain("leaky_relu", 1), attempt(lambda: init.calculate_gain("bad")),
            attempt(lambda: init.calculate_gain("leaky_relu", "x")),
            attempt(lambda: init.calculate_gain("leaky_relu", True))]


def init_fans(m):
    fan = m.nn.init._calculate_fan_in_and_fan_out
    return [fan(m.empty(4, 3)), fan(m.empty(8, 2, 3, 3)),
            attempt(lambda: fan(m.empty(5))),
            attempt(lambda: m.nn.init.kaiming_uniform_(m.empty(2, 2), mode="fan_avg"))]


def init_fill(fn, shape, dtype="float32", seed=0):
    def case(m):
        m.manual_seed(seed)
        t = m.empty(*shape, dtype=getattr(m, dtype))
        out = fn(m.nn.init, t)
        return [out is t, exact(t), exact(m.rand(2))]
    return case


def init_fill_close(fn, shape, dtype="float32", seed=0):
    """Float32 normal fills of 16 or more values may differ in the last bit (engine.random)."""
    def case(m):
        m.manual_seed(seed)
        t = m.empty(*shape, dtype=getattr(m, dtype))
        fn(m.nn.init, t)
        return [vals(t, 5), exact(m.rand(2))]
    return case


def init_on_parameter(m):
    m.manual_seed(0)
    p = m.nn.Parameter(m.empty(2, 3))
    m.nn.init.xavier_uniform_(p)
    return [exact(p), p.requires_grad, p.grad_fn, p._version,
            attempt(lambda: p.uniform_(0, 1))]


def init_errors(m):
    t = m.empty(3)
    return [attempt(lambda: m.nn.init.uniform_(t, 2, 1)),
            attempt(lambda: m.nn.init.normal_(t, 0, -1)),
            attempt(lambda: m.nn.init.uniform_(m.empty(2, dtype=m.int64))),
            attempt(lambda: m.nn.init.eye_(t)),
            warned(lambda: m.nn.init.kaiming_uniform_(m.empty(0, 3)).shape == (0, 3))]


def init_constant_eye(m):
    t = m.empty(2, 3)
    return [vals(m.nn.init.ones_(t)), vals(m.nn.init.zeros_(t)),
            vals(m.nn.init.constant_(t, -0.25)), vals(m.nn.init.eye_(t))]


def bernoulli_stream(m):
    m.manual_seed(11)
    t = m.empty(40).bernoulli_(0.3)
    return [exact(t), exact(m.rand(3)), attempt(lambda: m.empty(2).bernoulli_(1.5))]


def uniform_method(m):
    m.manual_seed(2)
    a = m.empty(5).uniform_()
    b = m.empty(3, dtype=m.float64).uniform_(-2, 3)
    c = m.empty(6).normal_(1.0, 0.5)
    return [exact(a), exact(b), exact(c)]


CASES = [
    ("parameter-repr", parameter_repr),
    ("parameter-no-grad", parameter_no_grad),
    ("parameter-int-requires-grad", parameter_int_requires_grad),
    ("parameter-int-no-grad", parameter_int_no_grad),
    ("parameter-empty", parameter_empty),
    ("parameter-shares-storage", parameter_shares_storage),
    ("parameter-ops-give-tensors", parameter_ops_give_tensors),
    ("parameter-gradient", parameter_gradient),
    ("parameter-deepcopy", parameter_deepcopy),
    ("parameter-under-no-grad", parameter_under_no_grad),
    ("linear-seed-3-1", linear_seed(3, 1)),
    ("linear-seed-5-4", linear_seed(5, 4, seed=42)),
    ("linear-seed-no-bias", linear_seed(4, 3, bias=False, seed=7)),
    ("linear-seed-large", linear_seed(30, 20, seed=123)),
    ("linear-seed-float64", linear_seed(3, 2, dtype="float64")),
    ("linear-seed-1-1", linear_seed(1, 1, seed=9)),
    ("linear-then-rand", linear_then_randn),
    ("linear-forward", linear_forward),
    ("linear-forward-1d", linear_forward_1d),
    ("linear-forward-3d", linear_forward_3d),
    ("linear-no-bias-forward", linear_no_bias_forward),
    ("linear-backward", linear_backward),
    ("linear-wrong-shape", linear_wrong_shape),
    ("linear-named-parameters", linear_named_parameters),
    ("linear-reset-parameters", linear_reset_parameters),
    ("bilinear", bilinear_case((5, 2), (5, 3))),
    ("bilinear-no-bias", bilinear_case((5, 2), (5, 3), bias=False, seed=1)),
    ("bilinear-1d", bilinear_case((2,), (3,), seed=2)),
    ("bilinear-3d", bilinear_case((2, 3, 4), (2, 3, 2), seed=3)),
    ("bilinear-saved", bilinear_saved),
    ("bilinear-double-backward", bilinear_double_backward),
    ("bilinear-errors", bilinear_errors),
    ("net-repr", net_repr),
    ("net-named-parameters", net_named_parameters),
    ("net-state-dict", net_state_dict),
    ("net-state-dict-keep-vars", net_state_dict_keep_vars),
    ("state-dict-positional", state_dict_positional),
    ("net-children", net_children),
    ("net-modules", net_modules),
    ("net-forward-backward", net_forward_backward),
    ("shared-module-listed-once", shared_module_listed_once),
    ("missing-super-init", missing_super_init),
    ("missing-attribute", missing_attribute),
    ("assign-tensor-to-parameter", assign_tensor_to_parameter),
    ("assign-none-to-parameter", assign_none_to_parameter),
    ("assign-non-module-to-module", assign_non_module_to_module),
    ("replace-module-with-parameter", replace_module_with_parameter),
    ("buffers", buffers),
    ("buffer-class", buffer_class),
    ("registration-errors", registration_errors),
    ("non-leaf-parameter", non_leaf_parameter),
    ("train-eval", train_eval),
    ("requires-grad-toggle", requires_grad_toggle),
    ("zero-grad-none", zero_grad_none),
    ("zero-grad-zeros", zero_grad_zeros),
    ("zero-grad-accumulates", zero_grad_accumulates),
    ("apply-order", apply_order),
    ("apply-init", apply_init),
    ("dtype-conversion", dtype_conversion),
    ("dtype-conversion-keeps-grad", dtype_conversion_keeps_grad),
    ("to-cpu-is-noop", to_cpu_is_noop),
    ("load-state-dict-roundtrip", load_state_dict_roundtrip),
    ("load-state-dict-errors", load_state_dict_errors),
    ("load-state-dict-assign", load_state_dict_assign),
    ("custom-extra-repr", custom_extra_repr),
    ("delattr-member", delattr_member),
    ("forward-missing", forward_missing),
    ("dir-lists-members", dir_lists_members),
    ("module-kwargs-error", module_kwargs_error),
    ("get-submodule-and-parameter", get_submodule_and_parameter),
    ("plain-attributes-stay", plain_attributes_stay),
    ("forward-hooks-order", forward_hooks_order),
    ("forward-pre-hook-replaces-input", forward_pre_hook_replaces_input),
    ("forward-hook-replaces-output", forward_hook_replaces_output),
    ("forward-hooks-with-kwargs", forward_hooks_with_kwargs),
    ("forward-pre-hook-bad-return", forward_pre_hook_bad_return),
    ("handle-context", handle_context),
    ("full-backward-hook", full_backward_hook),
    ("full-backward-hook-order", full_backward_hook_order),
    ("full-backward-hook-replaces-grad", full_backward_hook_replaces_grad),
    ("full-backward-hook-no-input-grad", full_backward_hook_no_input_grad),
    ("full-backward-pre-hook", full_backward_pre_hook),
    ("backward-hook-wrong-count", backward_hook_wrong_count),
    ("legacy-backward-hook", legacy_backward_hook),
    ("legacy-backward-hook-single-node", legacy_backward_hook_single_node),
    ("backward-hook-under-no-grad", backward_hook_under_no_grad),
    ("sequential-indexing", sequential_indexing),
    ("sequential-ordered-dict", sequential_ordered_dict),
    ("sequential-editing", sequential_editing),
    ("sequential-arithmetic", sequential_arithmetic),
    ("sequential-forward", sequential_forward),
    ("module-list", module_list),
    ("module-list-in-net", module_list_in_net),
    ("module-dict", module_dict),
    ("parameter-list", parameter_list),
    *[("activation-" + case_id, activation_case(make)) for case_id, make in ACTIVATIONS],
    ("softmax-implicit-dim", softmax_implicit_dim),
    ("identity-same-object", identity_same_object),
    ("unflatten-errors", unflatten_errors),
    ("dropout-train", dropout_train(0.5, (4, 5))),
    ("dropout-train-0.2", dropout_train(0.2, (3, 7), seed=3)),
    ("dropout-train-float64", dropout_train(0.6, (10,), dtype="float64", seed=1)),
    ("dropout-eval-and-edges", dropout_eval_and_edges),
    ("dropout-inplace", dropout_inplace),
    *[("loss-" + case_id, loss_case(make, inputs)) for case_id, make, inputs in LOSSES],
    ("bce-double-backward", bce_double_backward),
    ("bce-logits-double-backward", bce_logits_double_backward),
    ("bce-extremes", bce_extremes),
    ("loss-errors", loss_errors),
    ("loss-warnings", loss_warnings),
    ("l1-broadcast-graph", l1_broadcast_graph),
    ("l1-weighted", l1_weighted),
    ("init-gains", init_gains),
    ("init-fans", init_fans),
    ("init-uniform", init_fill(lambda I, t: I.uniform_(t, -0.3, 0.9), (4, 5))),
    ("init-uniform-float64", init_fill(lambda I, t: I.uniform_(t, 2, 5), (7,), "float64")),
    ("init-normal-small", init_fill(lambda I, t: I.normal_(t, 0.5, 2.0), (3, 4))),
    ("init-normal-float64", init_fill(lambda I, t: I.normal_(t, -1, 0.1), (5, 7), "float64")),
    ("init-normal-large", init_fill_close(lambda I, t: I.normal_(t, 0.5, 2.0), (6, 7))),
    ("init-xavier-uniform", init_fill(lambda I, t: I.xavier_uniform_(t), (5, 3))),
    ("init-xavier-uniform-gain",
     init_fill(lambda I, t: I.xavier_uniform_(t, gain=I.calculate_gain("relu")), (2, 3, 4))),
    ("init-xavier-normal", init_fill(lambda I, t: I.xavier_normal_(t), (3, 5))),
    ("init-kaiming-uniform", init_fill(lambda I, t: I.kaiming_uniform_(t), (6, 4))),
    ("init-kaiming-uniform-fan-out",
     init_fill(lambda I, t: I.kaiming_uniform_(t, mode="fan_out", nonlinearity="relu"), (3, 8))),
    ("init-kaiming-normal", init_fill(lambda I, t: I.kaiming_normal_(t), (3, 4))),
    ("init-kaiming-normal-large",
     init_fill_close(lambda I, t: I.kaiming_normal_(t, nonlinearity="relu"), (10, 10))),
    ("init-on-parameter", init_on_parameter),
    ("init-errors", init_errors),
    ("init-constant-eye", init_constant_eye),
    ("bernoulli-stream", bernoulli_stream),
    ("uniform-method", uniform_method),
]
