"""Autograd scenarios, each a function of the library module (engine or torch).

A scenario returns a list of observations (numbers, strings, nested lists);
the tests run it on both libraries and compare, so every line here is checked
against real PyTorch when it is installed. Errors are observed as
``("raises", type name, message)``.
"""
import warnings


def attempt(fn):
    try:
        return fn()
    except Exception as exc:  # noqa: BLE001 - the observation is the exception itself
        return ("raises", type(exc).__name__, str(exc))


def vals(t):
    return None if t is None else [round(v, 5) for v in t.detach().reshape(-1).tolist()]


def accumulate_twice(m):
    x = m.ones(2, 2, requires_grad=True)
    (x * 3).sum().backward()
    first = vals(x.grad)
    (x * 3).sum().backward()
    return [first, vals(x.grad)]


def zero_between(m):
    x = m.ones(3, requires_grad=True)
    x.sum().backward()
    x.grad.zero_()
    (2 * x).sum().backward()
    return [vals(x.grad)]


def grad_set_none(m):
    x = m.ones(3, requires_grad=True)
    (x * x).sum().backward()
    x.grad = None
    (x * 5).sum().backward()
    return [vals(x.grad)]


def second_backward_fails(m):
    x = m.ones(2, requires_grad=True)
    y = (x * x).sum()
    y.backward()
    return [attempt(lambda: y.backward())]


def retain_graph_accumulates(m):
    x = m.ones(2, requires_grad=True)
    y = (x * x).sum()
    y.backward(retain_graph=True)
    y.backward()
    return [vals(x.grad)]


def freed_saved_access(m):
    x = m.ones(2, requires_grad=True)
    y = x * x
    y.sum().backward()
    return [attempt(lambda: y.grad_fn._saved_self)]


def nonscalar_needs_gradient(m):
    x = m.ones(2, requires_grad=True)
    return [attempt(lambda: (x * 2).backward())]


def no_grad_fn_backward(m):
    return [attempt(lambda: m.ones(2).sum().backward())]


def shape_mismatch_grad(m):
    x = m.ones(2, 2, requires_grad=True)
    return [attempt(lambda: (x * 2).backward(m.ones(3)))]


def vjp(m):
    x = m.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x * x * 2
    y.backward(m.tensor([0.1, 1.0, 0.0001]))
    return [vals(x.grad)]


def version_error_nonleaf(m):
    x = m.ones(2, 2, requires_grad=True)
    y = x * 2
    z = (y * y).sum()
    y.add_(1)
    return [y._version, attempt(lambda: z.backward())]


def version_error_detach(m):
    x = m.ones(2, 2, requires_grad=True)
    z = (x * x).sum()
    x.detach().mul_(3)
    return [x._version, attempt(lambda: z.backward())]


def data_edit_escapes(m):
    x = m.ones(1, requires_grad=True)
    y = 2 * x
    x.data *= 100
    y.backward()
    return [x._version, vals(x), vals(x.grad)]


def data_edit_of_saved_is_silent(m):
    x = m.ones(1, requires_grad=True)
    y = x * x
    x.data *= 10
    y.backward()
    return [vals(x.grad)]


def inplace_leaf_error(m):
    x = m.ones(2, requires_grad=True)
    return [attempt(lambda: x.add_(1)), attempt(lambda: x.mul_(2))]


def inplace_leaf_no_grad_allowed(m):
    x = m.ones(2, requires_grad=True)
    with m.no_grad():
        x.mul_(3)
    return [vals(x), x._version, x.requires_grad, x.is_leaf]


def inplace_replaces_grad_fn(m):
    x = m.ones(2, requires_grad=True)
    y = x * 2
    y.mul_(3)
    names = [type(y.grad_fn).__name__,
             [type(f).__name__ if f else None for f, _ in y.grad_fn.next_functions]]
    y.sum().backward()
    return [names, y._version, vals(x.grad)]


def inplace_mul_needs_original(m):
    x = m.ones(2, requires_grad=True)
    b = m.full((2,), 3.0, requires_grad=True)
    a = x * 2
    a.mul_(b)
    a.sum().backward()
    return [vals(x.grad), vals(b.grad)]


def requires_grad_on_nonleaf(m):
    x = m.ones(2, requires_grad=True)
    y = x * 2
    return [attempt(lambda: y.requires_grad_(False)), y.requires_grad_(True) is y]


def requires_grad_on_int(m):
    return [attempt(lambda: m.ones(2, dtype=m.long).requires_grad_())]


def requires_grad_flag_flow(m):
    a = m.ones(2)
    b = a * 3
    before = [a.requires_grad, b.requires_grad, b.grad_fn is None]
    a.requires_grad_(True)
    c = (a * a).sum()
    return [before, a.requires_grad, c.requires_grad, type(c.grad_fn).__name__]


def no_grad_blocks(m):
    x = m.ones(2, requires_grad=True)
    with m.no_grad():
        y = x * 2
        with m.enable_grad():
            z = x * 2
    return [y.requires_grad, y.grad_fn is None, z.requires_grad, m.is_grad_enabled()]


def no_grad_decorator(m):
    @m.no_grad()
    def double(t):
        return t * 2

    x = m.ones(2, requires_grad=True)
    with m.set_grad_enabled(False):
        off = m.is_grad_enabled()
    return [double(x).requires_grad, off, m.is_grad_enabled()]


def retain_grad_nonleaf(m):
    x = m.ones(2, requires_grad=True)
    y = x * 3
    y.retain_grad()
    z = (y * y).sum()
    z.backward()
    return [vals(y.grad), y.retains_grad, x.retains_grad, vals(x.grad)]


def nonleaf_grad_warns(m):
    x = m.ones(2, requires_grad=True)
    y = x * 3
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        value = y.grad
    return [value, [str(w.message)[:120] for w in caught], [w.category.__name__ for w in caught]]


def tensor_hooks(m):
    x = m.ones(2, requires_grad=True)
    seen = []
    x.register_hook(lambda g: seen.append(("leaf", vals(g))))
    y = x * 3
    y.register_hook(lambda g: g * 10)
    handle = y.register_hook(lambda g: seen.append(("y", vals(g))))
    (y * y).sum().backward()
    handle.remove()
    return [seen, vals(x.grad)]


def post_accumulate_hook(m):
    x = m.ones(2, requires_grad=True)
    seen = []
    x.register_post_accumulate_grad_hook(lambda t: seen.append(vals(t.grad)))
    (x * 4).sum().backward()
    return [seen]


def node_hooks(m):
    x = m.ones(2, requires_grad=True)
    y = x * 3
    seen = []
    y.grad_fn.register_prehook(lambda gout: seen.append(("pre", vals(gout[0]))))
    y.grad_fn.register_hook(lambda gin, gout: seen.append(("post", vals(gin[0]), vals(gout[0]))))
    y.sum().backward()
    return [seen]


def used_twice(m):
    x = m.tensor([1.0, 2.0], requires_grad=True)
    y = x * x
    edges = [type(f).__name__ for f, _ in y.grad_fn.next_functions]
    same = y.grad_fn.next_functions[0][0] is y.grad_fn.next_functions[1][0]
    y.sum().backward()
    return [edges, same, vals(x.grad)]


def accumulate_grad_variable(m):
    x = m.ones(2, requires_grad=True)
    y = x * 2
    acc = y.grad_fn.next_functions[0][0]
    return [type(acc).__name__, acc.name(), acc.variable is x, y.grad_fn.name()]


def autograd_grad_basic(m):
    x = m.tensor([1.0, 2.0], requires_grad=True)
    y = (x ** 3).sum()
    (g,) = m.autograd.grad(y, x)
    return [vals(g), x.grad is None]


def autograd_grad_unused(m):
    x = m.ones(2, requires_grad=True)
    w = m.ones(2, requires_grad=True)
    y = (x * 2).sum()
    return [attempt(lambda: m.autograd.grad(y, [x, w])),
            [vals(g) for g in m.autograd.grad((x * 2).sum(), [x, w], allow_unused=True)]]


def autograd_grad_nonleaf_input(m):
    x = m.tensor([1.0, 2.0], requires_grad=True)
    y = x * 3
    z = (y * y).sum()
    (gy,) = m.autograd.grad(z, y)
    return [vals(gy), x.grad is None]


def create_graph_second_order(m):
    x = m.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = (x ** 3).sum()
    (g,) = m.autograd.grad(y, x, create_graph=True)
    (h,) = m.autograd.grad(g.sum(), x)
    return [vals(g), g.requires_grad, vals(h)]


def backward_create_graph(m):
    x = m.tensor([2.0], requires_grad=True)
    y = x ** 3
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        y.backward(create_graph=True)
    first = vals(x.grad)
    has_fn = x.grad.grad_fn is not None
    g = x.grad
    x.grad = None
    g.backward()
    return [first, has_fn, vals(x.grad), [w.category.__name__ for w in caught]]


def backward_inputs(m):
    x = m.ones(2, requires_grad=True)
    w = m.ones(2, requires_grad=True)
    (x * w * 3).sum().backward(inputs=[x])
    return [vals(x.grad), w.grad is None]


def detach_semantics(m):
    x = m.ones(2, requires_grad=True)
    d = (x * 2).detach()
    d2 = x.detach()
    return [d.requires_grad, d.is_leaf, d.grad_fn is None, d2._version == x._version]


def detach_inplace(m):
    x = m.ones(2, requires_grad=True)
    y = x * 2
    y.detach_()
    return [y.requires_grad, y.is_leaf, y.grad_fn is None]


def diamond_sum_order(m):
    x = m.tensor([1.0, 2.0], requires_grad=True)
    a = x * 2
    b = x * 3
    c = a + b
    d = (c * a).sum()
    d.backward()
    return [vals(x.grad)]


def grad_assign_checks(m):
    x = m.ones(2, 2, requires_grad=True)
    return [attempt(lambda: setattr(x, "grad", m.ones(3)))]


def item_and_numpy_errors(m):
    x = m.ones(2, requires_grad=True)
    return [attempt(lambda: x.numpy()), attempt(lambda: (x * 2).item())]


def int_float_promotion(m):
    i = m.tensor([1, 2, 3])
    return [str((i * 2.5).dtype), str((i / 2).dtype), str((i + 1).dtype),
            str((m.ones(2, dtype=m.float64) * m.ones(2)).dtype),
            str((m.ones(2) * m.tensor(2.0, dtype=m.float64)).dtype),
            str((i * m.tensor(2.0, dtype=m.float64)).dtype)]


def broadcasting_grads(m):
    a = m.ones(2, 3, requires_grad=True)
    b = m.tensor([1.0, 2.0, 3.0], requires_grad=True)
    c = m.ones(2, 1, requires_grad=True)
    (a * b + c).sum().backward()
    return [vals(a.grad), vals(b.grad), vals(c.grad)]


def reflected_ops(m):
    x = m.tensor([1.0, 2.0], requires_grad=True)
    out = []
    for y in (1 - x, 2 / x, 2 ** x, 3 + x, 3 * x, -x, x - 1, x / 2):
        out.append(type(y.grad_fn).__name__)
        out.append(len(y.grad_fn.next_functions))
    y = (1 - x) + 2 / x + 2 ** x
    y.sum().backward()
    return [out, vals(x.grad)]


def second_backward_through_scalar_mul(m):
    x = m.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    y.backward(m.ones(2))
    z = x + 2
    z.backward(m.ones(2))
    return [attempt(lambda: y.backward(m.ones(2))), attempt(lambda: z.backward(m.ones(2)) or "ok")]


def rounded_division_gradient(m):
    x = m.tensor([1.5, -2.5], requires_grad=True)
    y = x.div(2, rounding_mode="floor")
    y.sum().backward()
    return [type(y.grad_fn).__name__, vals(y), vals(x.grad), len(y.grad_fn.next_functions)]


def inplace_through_view_of_nonleaf(m):
    x = m.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x * 2
    v = y[1:]
    v.mul_(3)
    (y * y).sum().backward()
    return [type(y.grad_fn).__name__, vals(y), vals(x.grad), y._version]


SCENARIOS = [value for name, value in sorted(globals().items())
             if callable(value) and not name.startswith("_")
             and name not in ("attempt", "vals") and value.__module__ == __name__]
