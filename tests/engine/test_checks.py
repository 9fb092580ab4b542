"""The checks PyTorch makes around autograd, probed against PyTorch: hooks that change a
gradient's size or dtype, in-place changes of views, inference mode, node hooks (also on
AccumulateGrad), saved-tensor hooks and ``_raw_saved_*``, anomaly detection and the
grad-mode decorators. Every case runs on engine and on PyTorch (see probecheck.py).
"""
import pytest
from probecheck import case_table, outcome

import engine

torch = pytest.importorskip("torch")


def leaf(m, values=(1.0, 2.0)):
    return m.tensor(list(values), requires_grad=True)


# --------------------------------------------------------- tensor and node hooks
def hook_changes_size(m):
    x = leaf(m)
    y = x * 2
    y.register_hook(lambda g: m.ones(3))
    y.sum().backward()


def hook_changes_dtype(m):
    def hook(g):
        return g.double()
    x = leaf(m)
    y = x * 2
    y.register_hook(hook)
    y.sum().backward()


def leaf_hook_changes_size(m):
    def hook(g):
        return m.ones(3)
    x = leaf(m)
    x.register_hook(hook)
    (x * 2).sum().backward()


def leaf_hook_changes_dtype(m):
    def widen(g):
        return g.to(m.float64)
    x = leaf(m)
    x.register_hook(widen)
    (x * 2).sum().backward()


def hook_changes_values(m):
    x = leaf(m)
    y = x * 2
    y.register_hook(lambda g: g * 10)
    y.sum().backward()
    return x.grad


def hook_returns_none(m):
    seen = []
    x = leaf(m)
    y = x * 2
    y.register_hook(lambda g: seen.append(g))
    y.sum().backward()
    return seen, x.grad


def hook_returns_number(m):
    x = leaf(m)
    y = x * 2
    y.register_hook(lambda g: 5)
    y.sum().backward()


def node_prehook_returns_list(m):
    x = leaf(m)
    y = x * 3
    y.grad_fn.register_prehook(lambda go: [go[0] * 2])
    y.sum().backward()


def node_hook_returns_number_in_tuple(m):
    x = leaf(m)
    y = x * 3
    y.grad_fn.register_hook(lambda gi, go: (5, None))
    y.sum().backward()


def leaf_hook_before_accumulator_prehook(m):
    seen = []
    x = leaf(m)
    y = x * 3
    x.register_hook(lambda g: seen.append("tensor"))
    y.grad_fn.next_functions[0][0].register_prehook(lambda go: seen.append("accumulator"))
    y.sum().backward()
    return seen


def post_accumulate_grad_hook(m):
    seen = []
    x = leaf(m)
    x.register_post_accumulate_grad_hook(lambda t: seen.append(t.grad))
    (x * 2).sum().backward()
    return seen


def node_prehook_changes_size(m):
    x = leaf(m)
    y = x * 3
    y.grad_fn.register_prehook(lambda grads: (m.ones(3),))
    y.sum().backward()


def node_prehook_wrong_count(m):
    def pre(grads):
        return (m.ones(2), 1)
    x = leaf(m)
    y = x * 3
    y.grad_fn.register_prehook(pre)
    y.sum().backward()


def node_prehook_scales(m):
    x = leaf(m)
    y = x * 3
    y.grad_fn.register_prehook(lambda grads: (grads[0] * 2,))
    y.sum().backward()
    return x.grad


def node_hook_changes_size(m):
    def post(grad_inputs, grad_outputs):
        return (m.ones(3), None)
    x = leaf(m)
    y = x * 3
    y.grad_fn.register_hook(post)
    y.sum().backward()


def node_hook_wrong_count(m):
    def post(grad_inputs, grad_outputs):
        return (m.ones(2), None, None)
    x = leaf(m)
    y = x * 3
    y.grad_fn.register_hook(post)
    y.sum().backward()


def node_hook_changes_dtype(m):
    def post(grad_inputs, grad_outputs):
        return (grad_inputs[0].double(), None)
    x = leaf(m)
    y = x * 3
    y.grad_fn.register_hook(post)
    y.sum().backward()


def node_hook_sees_inputs_and_outputs(m):
    seen = []
    x = leaf(m)
    y = x * 3
    y.grad_fn.register_hook(lambda gi, go: seen.append((gi, go)))
    y.sum().backward()
    return seen


def node_hook_replaces(m):
    x = leaf(m)
    y = x * 3
    y.grad_fn.register_hook(lambda gi, go: (gi[0] + 1, None))
    y.sum().backward()
    return x.grad


def node_hook_removed(m):
    x = leaf(m)
    y = x * 3
    handle = y.grad_fn.register_hook(lambda gi, go: (gi[0] * 0, None))
    handle.remove()
    y.sum().backward()
    return x.grad


def hooks_of_tensors_outside_inputs_do_not_run(m):
    seen = []
    a, b = leaf(m), leaf(m)
    b.register_hook(lambda g: seen.append("b"))
    a.register_hook(lambda g: seen.append("a"))
    c = a * b
    c.register_hook(lambda g: seen.append("c"))
    c.sum().backward(inputs=(a,))
    seen.append("|")
    m.autograd.grad((a * b).sum(), a)
    return seen, b.grad


def multi_grad_hook_all(m):
    seen = []
    a, b = leaf(m), leaf(m, (2.0, 3.0))
    c = a * b
    d = a * b
    m.autograd.graph.register_multi_grad_hook((a, b, c, d), lambda grads: seen.append(grads))
    c.sum().backward(retain_graph=True)
    c.sum().backward(inputs=(a,), retain_graph=True)
    (a * 2).sum().backward()
    return seen


def multi_grad_hook_any_and_remove(m):
    seen = []
    a, b = leaf(m), leaf(m, (2.0, 3.0))
    c = a * b
    handle = m.autograd.graph.register_multi_grad_hook((a, b), seen.append, mode="any")
    c.sum().backward(retain_graph=True)
    handle.remove()
    c.sum().backward()
    return seen, type(handle).__name__


def multi_grad_hook_bad_mode(m):
    m.autograd.graph.register_multi_grad_hook((leaf(m),), print, mode="some")


def leaf_has_no_grad_fn(m):
    x = leaf(m)
    y = x * 3
    acc = y.grad_fn.next_functions[0][0]
    return x.grad_fn, type(acc).__name__, acc.name(), acc.next_functions


def accumulate_grad_hooks(m):
    seen = []
    x = leaf(m)
    y = x * 3
    acc = y.grad_fn.next_functions[0][0]
    acc.register_prehook(lambda go: seen.append(("pre", go)))
    acc.register_hook(lambda gi, go: seen.append(("post", gi, go)))
    y.sum().backward()
    return seen, x.grad


def accumulate_grad_prehook_replaces(m):
    x = leaf(m)
    y = x * 3
    y.grad_fn.next_functions[0][0].register_prehook(lambda go: (go[0] * 2,))
    y.sum().backward()
    return x.grad


def accumulate_grad_is_shared(m):
    x = leaf(m)
    a = x * 2
    b = x * 3
    return a.grad_fn.next_functions[0][0] is b.grad_fn.next_functions[0][0]


def hook_order_tensor_then_node(m):
    seen = []
    x = leaf(m)
    y = x * 3
    y.register_hook(lambda g: seen.append("tensor"))
    y.grad_fn.register_prehook(lambda go: seen.append("pre"))
    y.grad_fn.register_hook(lambda gi, go: seen.append("post"))
    y.sum().backward()
    return seen


def requires_grad_off_between_forward_and_backward(m):
    a = leaf(m)
    b = a * 2
    a.requires_grad_(False)
    b.sum().backward()
    return a.grad, a.requires_grad


def requires_grad_off_then_on(m):
    a = leaf(m)
    b = a * 2
    a.requires_grad_(False)
    a.requires_grad_(True)
    b.sum().backward()
    return a.grad


def requires_grad_off_other_leaf_still_accumulates(m):
    a = leaf(m)
    c = leaf(m)
    b = a * c
    a.requires_grad_(False)
    b.sum().backward()
    return a.grad, c.grad


# ------------------------------------------------------------- views, in place
def inplace_on_unbind_output(m):
    outs = (leaf(m, (1.0, 2.0, 3.0, 4.0)) * 1).view(2, 2).unbind()
    outs[1].mul_(2)


def inplace_on_split_output(m):
    outs = (leaf(m, (1.0, 2.0, 3.0, 4.0)) * 1).split(2)
    outs[0].add_(1)


def inplace_on_split_with_sizes_output(m):
    outs = (leaf(m, (1.0, 2.0, 3.0, 4.0)) * 1).split([1, 3])
    outs[1].zero_()


def inplace_on_chunk_output(m):
    outs = (leaf(m, (1.0, 2.0, 3.0, 4.0)) * 1).chunk(2)
    outs[1].mul_(3)


def inplace_on_view_of_unbind_output(m):
    outs = (leaf(m, (1.0, 2.0, 3.0, 4.0)) * 1).unbind()
    outs[0].view(1).mul_(2)


def inplace_on_split_made_under_no_grad(m):
    base = leaf(m, (1.0, 2.0, 3.0, 4.0)) * 1
    with m.no_grad():
        outs = base.split(2)
    outs[0].mul_(2)


def inplace_on_detached_tracked(m):
    a = leaf(m) * 1
    d = a.detach()
    d.add_(1)
    return a.detach(), d._version


def inplace_on_unbind_of_leaf(m):
    outs = m.ones(2, 2, requires_grad=True).unbind()
    outs[0].mul_(2)


def inplace_on_unbind_under_no_grad(m):
    base = leaf(m, (1.0, 2.0, 3.0, 4.0)) * 1
    outs = base.unbind()
    with m.no_grad():
        outs[0].mul_(2)
    return base.detach()


def inplace_on_unbind_untracked(m):
    base = m.ones(2, 2)
    outs = base.unbind()
    outs[0].mul_(2)
    return base


def inplace_on_no_grad_view(m):
    a = leaf(m) * 1
    with m.no_grad():
        v = a[0:1]
    v.mul_(2)


def inplace_on_no_grad_view_add(m):
    a = leaf(m) * 1
    with m.no_grad():
        v = a.view(2)
    v.add_(1)


def inplace_on_no_grad_view_of_leaf(m):
    a = leaf(m)
    with m.no_grad():
        v = a[0:1]
    v.mul_(2)


def inplace_on_no_grad_view_under_no_grad(m):
    a = leaf(m) * 1
    with m.no_grad():
        v = a[0:1]
        v.mul_(2)
    return a.detach()


def inplace_on_no_grad_view_of_untracked(m):
    a = m.ones(2)
    with m.no_grad():
        v = a[0:1]
    v.mul_(2)
    return a


def inplace_on_grad_mode_view(m):
    x = leaf(m)
    a = x * 1
    v = a[0:1]
    v.mul_(2)
    a.sum().backward()
    return x.grad, type(a.grad_fn).__name__


def write_into_no_grad_view(m, key, mode="no_grad"):
    a = m.ones(4, 4, requires_grad=True) * 1
    with getattr(m, mode)():
        v = a[0:3]
    v[key] = 1.0


def setitem_select_of_no_grad_view(m):
    write_into_no_grad_view(m, 0)


def setitem_slice_of_no_grad_view(m):
    write_into_no_grad_view(m, (0, slice(1, 2)))


def setitem_unsqueeze_of_no_grad_view(m):
    write_into_no_grad_view(m, (0, None))


def setitem_full_slice_of_no_grad_view(m):
    write_into_no_grad_view(m, (slice(None), slice(0, 4)))


def setitem_ellipsis_of_no_grad_view(m):
    write_into_no_grad_view(m, (Ellipsis, slice(0, 3, 2)))


def setitem_tensor_index_of_no_grad_view(m):
    write_into_no_grad_view(m, (0, [1, 2]))


def setitem_select_of_inference_view(m):
    write_into_no_grad_view(m, 1, "inference_mode")


def inplace_on_view_of_leaf(m):
    a = leaf(m)
    a[0:1].mul_(2)


def inplace_on_leaf(m):
    leaf(m).add_(1)


def setitem_on_view_made_in_grad_mode(m):
    x = leaf(m)
    buffer = m.zeros(2, 2)
    row = buffer[0]
    buffer[1] = x * 2
    row[0] = 5.0
    buffer.sum().backward()
    return buffer, x.grad


def inplace_on_inference_view(m):
    a = leaf(m) * 1
    with m.inference_mode():
        v = a[0:1]
    v.add_(1)


# ------------------------------------------------------------------ inference mode
def inference_flags(m):
    normal = m.ones(2)
    w = leaf(m)
    with m.inference_mode():
        made = m.ones(2)
        result = normal * 2
        view_of_normal = normal[0:1]
        tracked = w * 2
        inside = (m.is_inference_mode_enabled(), m.is_grad_enabled())
    return (inside, m.is_inference_mode_enabled(), made.is_inference(), result.is_inference(),
            view_of_normal.is_inference(), tracked.requires_grad, tracked.is_inference(),
            normal.is_inference(), made[0:1].is_inference(), (made * 2).is_inference(),
            made.clone().is_inference())


def inference_mode_false_nested(m):
    w = leaf(m)
    with m.inference_mode():
        with m.inference_mode(False):
            inner = (m.is_inference_mode_enabled(), m.is_grad_enabled())
            made = m.ones(1).is_inference()
            tracked = w * 2
        after = (m.is_inference_mode_enabled(), m.is_grad_enabled())
    return inner, made, tracked, after


def no_grad_inside_inference_mode(m):
    with m.inference_mode():
        with m.no_grad():
            inside = m.is_inference_mode_enabled()
        return inside, m.ones(1).is_inference()


def inference_tensor_saved_for_backward(m):
    with m.inference_mode():
        x = m.ones(2)
    return leaf(m) * x


def inference_tensor_not_saved(m):
    with m.inference_mode():
        x = m.ones(2)
    return leaf(m) + x


def inference_tensor_inplace_outside(m):
    with m.inference_mode():
        x = m.ones(2)
    x.add_(1)


def inference_tensor_inplace_tensor_outside(m):
    with m.inference_mode():
        x = m.ones(2)
    x.mul_(m.ones(2))


def inference_tensor_inplace_under_no_grad(m):
    with m.inference_mode():
        x = m.ones(2)
    with m.no_grad():
        x.add_(1)


def inference_tensor_setitem_outside(m):
    with m.inference_mode():
        x = m.ones(2)
    x[0] = 1.0


def inference_tensor_inplace_inside(m):
    with m.inference_mode():
        x = m.ones(2)
        x.add_(1)
        x.mul_(3)
    return x


def inference_tensor_version(m):
    with m.inference_mode():
        x = m.ones(2)
    return x._version


def inference_tensor_requires_grad(m):
    with m.inference_mode():
        x = m.ones(2)
    x.requires_grad_()


def inference_tensor_requires_grad_inside(m):
    with m.inference_mode():
        x = m.ones(2, requires_grad=True)
    return x.requires_grad, x.is_inference()


def inference_tensor_in_untracked_math(m):
    with m.inference_mode():
        x = m.ones(2)
    w = leaf(m)
    (w.sum() + x.sum()).backward()
    return w.grad


def inference_views_of_inference(m):
    with m.inference_mode():
        x = m.ones(2)
    return x.view(2).is_inference(), x[0].is_inference()


def inference_detach_and_data(m):
    with m.inference_mode():
        x = m.ones(2)
    return x.detach().is_inference(), x.data.is_inference()


def inference_mode_nested_three_deep(m):
    with m.inference_mode():
        with m.inference_mode(False):
            with m.inference_mode(True):
                x = m.ones(1)
            y = m.ones(1)
    return x.is_inference(), y.is_inference()


def normal_tensor_changed_inside_inference_mode(m):
    x = m.ones(2)
    with m.inference_mode():
        x.add_(1)
    return x, x._version, x.is_inference()


def inference_clone_is_usable(m):
    with m.inference_mode():
        x = m.ones(2)
    w = leaf(m)
    y = w * x.clone()
    y.sum().backward()
    return w.grad


# ------------------------------------------------------------- decorators
def no_grad_bare_decorator(m):
    @m.no_grad
    def inside():
        return m.is_grad_enabled()
    return inside(), inside.__name__, m.is_grad_enabled()


def bare_decorators_on_methods(m):
    class Model:
        @m.no_grad
        def untracked(self, x):
            return self, x * 2

        @m.inference_mode
        def inferred(self):
            return m.ones(1).is_inference()
    model = Model()
    owner, out = model.untracked(leaf(m))
    return owner is model, out, model.inferred(), Model.untracked.__name__


def no_grad_called_decorator(m):
    @m.no_grad()
    def make(x):
        return x * 2
    return make(leaf(m))


def enable_grad_bare_decorator(m):
    @m.enable_grad
    def make(x):
        return x * 2
    with m.no_grad():
        return make(leaf(m))


def enable_grad_called_decorator(m):
    @m.enable_grad()
    def inside():
        return m.is_grad_enabled()
    with m.no_grad():
        return inside()


def inference_mode_called_decorator(m):
    @m.inference_mode()
    def make():
        return m.ones(1)
    return make().is_inference(), m.is_inference_mode_enabled()


def inference_mode_bare_decorator(m):
    @m.inference_mode
    def make():
        return m.ones(1), m.is_grad_enabled()
    out, grad_enabled = make()
    return out.is_inference(), grad_enabled


def inference_mode_false_decorator(m):
    @m.inference_mode(False)
    def make():
        return m.ones(1).is_inference()
    return make()


def set_grad_enabled_decorator(m):
    @m.set_grad_enabled(False)
    def inside():
        return m.is_grad_enabled()
    return inside(), m.is_grad_enabled()


def decorator_restores_after_error(m):
    @m.no_grad
    def boom():
        raise ValueError("boom")
    try:
        boom()
    except ValueError:
        pass
    return m.is_grad_enabled()


# --------------------------------------------------------- saved tensors
def saved_tensors_hooks_pack_and_unpack(m):
    log = []

    def pack(t):
        log.append(("pack", t.shape, t.requires_grad))
        return t

    def unpack(t):
        log.append(("unpack", t.shape))
        return t
    x = leaf(m, (0.5, 1.0))
    with m.autograd.graph.saved_tensors_hooks(pack, unpack):
        y = x.sin().exp()
    packed = list(log)
    y.sum().backward()
    return packed, log[len(packed):], x.grad


def saved_tensors_hooks_transform(m):
    x = leaf(m, (0.5, 1.0))
    with m.autograd.graph.saved_tensors_hooks(lambda t: t * 2, lambda t: t / 2):
        y = x.tanh()
    y.sum().backward()
    return x.grad


def saved_tensors_hooks_outside_do_nothing(m):
    log = []
    x = leaf(m, (0.5, 1.0))
    with m.autograd.graph.saved_tensors_hooks(lambda t: log.append(1) or t, lambda t: t):
        pass
    y = x.sin()
    y.sum().backward()
    return log, x.grad


def saved_tensors_hooks_nested(m):
    log = []
    x = leaf(m, (0.5, 1.0))
    outer = m.autograd.graph.saved_tensors_hooks(lambda t: log.append("outer") or t, lambda t: t)
    inner = m.autograd.graph.saved_tensors_hooks(lambda t: log.append("inner") or t, lambda t: t)
    with outer:
        with inner:
            a = x.sin()
        b = a.exp()
    (b.sum()).backward()
    return log, x.grad


def saved_tensors_hooks_bad_unpack(m):
    x = leaf(m)
    with m.autograd.graph.saved_tensors_hooks(lambda t: 5, lambda p: p):
        y = x.exp()
    return y.grad_fn._saved_result


def saved_tensors_hooks_custom_function(m):
    log = []

    class Cube(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x ** 3

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return 3 * x * x * g
    x = leaf(m)
    with m.autograd.graph.saved_tensors_hooks(lambda t: log.append("pack") or t,
                                              lambda t: log.append("unpack") or t):
        y = Cube.apply(x)
    y.sum().backward()
    return log, x.grad


def save_on_cpu_passes_through(m):
    x = leaf(m, (0.5, 1.0))
    with m.autograd.graph.save_on_cpu():
        y = x.exp() * x
    saved = y.grad_fn.next_functions[0][0]._saved_result
    y.sum().backward()
    return saved, x.grad


def disabled_saved_tensors_hooks(m):
    graph = m.autograd.graph
    with graph.disable_saved_tensors_hooks("no hooks here"):
        y = leaf(m).exp()
        graph.saved_tensors_hooks(lambda t: t, lambda t: t).__enter__()
    return y


def disable_inside_saved_tensors_hooks(m):
    graph = m.autograd.graph
    with graph.saved_tensors_hooks(lambda t: t, lambda t: t):
        graph.disable_saved_tensors_hooks("not now").__enter__()


def increment_version_by_hand(m):
    x = m.ones(2)
    y = leaf(m) * x
    m.autograd.graph.increment_version(x)
    m.autograd.graph.increment_version([x, x])
    return x._version, m.autograd.grad(y.sum(), y.grad_fn.next_functions[0][0].variable)


def save_on_cpu_custom_function(m):
    class Scale(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * 2

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return g * x
    x = leaf(m)
    with m.autograd.graph.save_on_cpu(pin_memory=False):
        y = Scale.apply(x)
    y.sum().backward()
    return x.grad


def saved_tensors_hooks_double_backward(m):
    x = leaf(m)
    with m.autograd.graph.saved_tensors_hooks(lambda t: t, lambda t: t):
        y = (x * x * x).sum()
    (g,) = m.autograd.grad(y, x, create_graph=True)
    g.sum().backward()
    return g, x.grad


def saved_tensors_hooks_after_backward(m):
    x = leaf(m)
    with m.autograd.graph.saved_tensors_hooks(lambda t: t, lambda t: t):
        y = x.exp()
    y.sum().backward()
    return y.grad_fn._saved_result


def saved_self_of_common_nodes(m):
    a = leaf(m, (1.0, 2.0))
    b = leaf(m, (3.0, 4.0))
    mul = a * b
    return (mul.grad_fn._saved_self, mul.grad_fn._saved_other, a.sin().grad_fn._saved_self,
            a.pow(2).grad_fn._saved_self, a.pow(2).grad_fn._saved_exponent,
            a.exp().grad_fn._saved_result, a.tanh().grad_fn._saved_result)


def saved_numbers_show_as_tensors(m):
    a = leaf(m)
    nodes = [(a * 2).grad_fn, (a * 2.5).grad_fn, (a / 3).grad_fn, (a ** 2).grad_fn,
             (a ** 2.5).grad_fn, (a + 2).grad_fn, (a - 1).grad_fn]
    return [{n: getattr(node, n) for n in dir(node) if n.startswith("_saved_")} for node in nodes]


def saved_self_is_the_input(m):
    a = leaf(m)
    return (a * 3).grad_fn._saved_self is a, a.sin().grad_fn._saved_self is a


def raw_saved_attributes_exist(m):
    a = leaf(m, (1.0, 2.0))
    b = leaf(m, (3.0, 4.0))
    nodes = [a * b, a.sin(), a.pow(2), a.exp(), a.tanh()]
    return [sorted(n for n in dir(y.grad_fn) if n.startswith("_raw_saved_") and n != "_raw_saved_exponent")
            for y in nodes]


def raw_saved_repr(m):
    return repr((leaf(m) * leaf(m)).grad_fn._raw_saved_self).split(" object at ")[0]


def raw_saved_register_hooks(m):
    log = []
    a = leaf(m, (1.0, 2.0))
    y = a.sin()
    y.grad_fn._raw_saved_self.register_hooks(lambda t: log.append("pack") or t * 0,
                                             lambda t: log.append("unpack") or t)
    after_pack = list(log)
    value = y.grad_fn._saved_self
    y.sum().backward()
    return after_pack, value, a.grad, log


def raw_saved_register_hooks_sees_detached(m):
    seen = []
    x = leaf(m)
    y = (x * 1).sin()
    y.grad_fn._raw_saved_self.register_hooks(
        lambda t: seen.append(("pack", t.requires_grad, t.grad_fn)) or t,
        lambda t: seen.append(("unpack", t.requires_grad, t.grad_fn)) or t)
    saved = y.grad_fn._saved_self
    return seen, saved.requires_grad, type(saved.grad_fn).__name__


def raw_saved_register_hooks_twice(m):
    y = leaf(m).sin()
    raw = y.grad_fn._raw_saved_self
    raw.register_hooks(lambda t: t, lambda t: t)
    raw.register_hooks(lambda t: t, lambda t: t)


def saved_self_after_backward(m):
    a = leaf(m)
    y = a * a
    y.sum().backward()
    return y.grad_fn._saved_self


# ------------------------------------------------------------ anomaly mode
def anomaly_nan_in_backward(m):
    try:
        with m.autograd.detect_anomaly():
            a = m.tensor([0.0, 1.0], requires_grad=True)
            b = a * m.tensor([float("nan"), 1.0])
            b.sum().backward()
    finally:
        m.autograd.set_detect_anomaly(False)


def anomaly_sqrt_nan(m):
    try:
        with m.autograd.detect_anomaly():
            a = m.tensor([0.0, 1.0], requires_grad=True)
            (a.sqrt() * 0).sum().backward()
    finally:
        m.autograd.set_detect_anomaly(False)


def anomaly_inplace_error_shows_forward(m):
    try:
        with m.autograd.detect_anomaly():
            a = leaf(m)
            b = a.exp()
            b.add_(1)
            b.sum().backward()
    finally:
        m.autograd.set_detect_anomaly(False)


def inplace_error_without_anomaly(m):
    a = leaf(m)
    b = a.exp()
    b.add_(1)
    b.sum().backward()


def anomaly_is_no_decorator(m):
    @m.autograd.detect_anomaly()
    def inside():
        return m.is_anomaly_enabled()
    try:
        return inside(), m.is_anomaly_enabled()
    finally:
        m.autograd.set_detect_anomaly(False)


def anomaly_flags(m):
    before = m.is_anomaly_enabled()
    with m.autograd.detect_anomaly():
        inside = (m.is_anomaly_enabled(), m.is_anomaly_check_nan_enabled())
    return before, inside, m.is_anomaly_enabled()


def anomaly_check_nan_off(m):
    with m.autograd.detect_anomaly(check_nan=False):
        a = m.tensor([0.0, 1.0], requires_grad=True)
        (a * m.tensor([float("nan"), 1.0])).sum().backward()
        flags = (m.is_anomaly_enabled(), m.is_anomaly_check_nan_enabled())
    return a.grad, flags


def anomaly_clean_backward(m):
    with m.autograd.detect_anomaly():
        a = m.tensor([1.0, 2.0], dtype=m.float64, requires_grad=True)
        a.exp().sin().sum().backward()
    return a.grad


def anomaly_set_detect_no_warning(m):
    m.autograd.set_detect_anomaly(True)
    try:
        return m.is_anomaly_enabled()
    finally:
        m.autograd.set_detect_anomaly(False)


def anomaly_set_detect_as_context(m):
    with m.autograd.set_detect_anomaly(True):
        inside = m.is_anomaly_enabled()
    return inside, m.is_anomaly_enabled()


def anomaly_set_anomaly_enabled(m):
    m.set_anomaly_enabled(True, check_nan=False)
    try:
        return m.is_anomaly_enabled(), m.is_anomaly_check_nan_enabled()
    finally:
        m.set_anomaly_enabled(False)


def anomaly_warns_on_construction(m):
    m.autograd.detect_anomaly()
    return m.is_anomaly_enabled()


def anomaly_records_forward_stack(m):
    with m.autograd.detect_anomaly():
        y = leaf(m) * 2
    stack = y.grad_fn.metadata.get("traceback_")
    return isinstance(stack, list) and any("anomaly_records_forward_stack" in s for s in stack)


def anomaly_nan_in_custom_function(m):
    class NaNGrad(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 1

        @staticmethod
        def backward(ctx, g):
            return g * float("nan")
    try:
        with m.autograd.detect_anomaly():
            NaNGrad.apply(leaf(m)).sum().backward()
    finally:
        m.autograd.set_detect_anomaly(False)


CASES = [
    hooks_of_tensors_outside_inputs_do_not_run, multi_grad_hook_all,
    multi_grad_hook_any_and_remove, multi_grad_hook_bad_mode,
    raw_saved_register_hooks_sees_detached, hook_returns_number, node_prehook_returns_list,
    node_hook_returns_number_in_tuple, leaf_hook_before_accumulator_prehook,
    post_accumulate_grad_hook, inplace_on_view_of_unbind_output,
    inplace_on_split_made_under_no_grad, inplace_on_detached_tracked,
    inference_tensor_in_untracked_math, inference_views_of_inference, save_on_cpu_custom_function,
    disabled_saved_tensors_hooks, disable_inside_saved_tensors_hooks, increment_version_by_hand,
    saved_tensors_hooks_double_backward, saved_tensors_hooks_after_backward,
    anomaly_is_no_decorator, hook_changes_size, hook_changes_dtype, leaf_hook_changes_size,
    leaf_hook_changes_dtype, hook_changes_values, hook_returns_none, node_prehook_changes_size,
    node_prehook_wrong_count, node_prehook_scales, node_hook_changes_size, node_hook_wrong_count,
    node_hook_changes_dtype, node_hook_sees_inputs_and_outputs, node_hook_replaces,
    node_hook_removed, leaf_has_no_grad_fn, accumulate_grad_hooks,
    accumulate_grad_prehook_replaces, accumulate_grad_is_shared, hook_order_tensor_then_node,
    requires_grad_off_between_forward_and_backward, requires_grad_off_then_on,
    requires_grad_off_other_leaf_still_accumulates, inplace_on_unbind_output,
    inplace_on_split_output, inplace_on_split_with_sizes_output, inplace_on_chunk_output,
    inplace_on_unbind_of_leaf, inplace_on_unbind_under_no_grad, inplace_on_unbind_untracked,
    inplace_on_no_grad_view, inplace_on_no_grad_view_add, inplace_on_no_grad_view_of_leaf,
    inplace_on_no_grad_view_under_no_grad, inplace_on_no_grad_view_of_untracked,
    inplace_on_grad_mode_view, inplace_on_view_of_leaf, inplace_on_leaf,
    setitem_on_view_made_in_grad_mode, inplace_on_inference_view, inference_flags,
    inference_mode_false_nested, no_grad_inside_inference_mode,
    inference_tensor_saved_for_backward, inference_tensor_not_saved,
    inference_tensor_inplace_outside, inference_tensor_inplace_tensor_outside,
    inference_tensor_inplace_under_no_grad, inference_tensor_setitem_outside,
    inference_tensor_inplace_inside, inference_tensor_version, inference_tensor_requires_grad,
    inference_tensor_requires_grad_inside, inference_clone_is_usable, inference_detach_and_data,
    inference_mode_nested_three_deep, normal_tensor_changed_inside_inference_mode,
    no_grad_bare_decorator, bare_decorators_on_methods, no_grad_called_decorator,
    enable_grad_bare_decorator, enable_grad_called_decorator, inference_mode_called_decorator,
    inference_mode_bare_decorator, inference_mode_false_decorator, set_grad_enabled_decorator,
    decorator_restores_after_error, saved_tensors_hooks_pack_and_unpack,
    saved_tensors_hooks_transform, saved_tensors_hooks_outside_do_nothing,
    saved_tensors_hooks_nested, saved_tensors_hooks_bad_unpack,
    saved_tensors_hooks_custom_function, save_on_cpu_passes_through, saved_self_of_common_nodes,
    saved_numbers_show_as_tensors, saved_self_is_the_input, raw_saved_attributes_exist,
    raw_saved_repr, raw_saved_register_hooks, raw_saved_register_hooks_twice,
    saved_self_after_backward, anomaly_nan_in_backward, anomaly_sqrt_nan,
    anomaly_inplace_error_shows_forward, inplace_error_without_anomaly, anomaly_flags,
    anomaly_check_nan_off, anomaly_clean_backward, anomaly_set_detect_no_warning,
    anomaly_set_detect_as_context, anomaly_set_anomaly_enabled, anomaly_warns_on_construction,
    anomaly_records_forward_stack, anomaly_nan_in_custom_function, setitem_select_of_no_grad_view,
    setitem_slice_of_no_grad_view, setitem_unsqueeze_of_no_grad_view,
    setitem_full_slice_of_no_grad_view, setitem_ellipsis_of_no_grad_view,
    setitem_tensor_index_of_no_grad_view, setitem_select_of_inference_view,
]


@pytest.mark.parametrize(**case_table(CASES))
def test_matches_pytorch(case):
    assert outcome(case, engine) == outcome(case, torch)
    assert not engine.is_anomaly_enabled() and not engine.is_inference_mode_enabled()


def test_saved_tensors_hooks_in_two_threads_pack_once_each():
    """Hooks are per thread; the one graph listener serves both and is gone afterwards."""
    import threading
    log = []
    barrier = threading.Barrier(2)

    def work(tag):
        x = engine.ones(2, requires_grad=True)
        with engine.autograd.graph.saved_tensors_hooks(lambda t: log.append(tag) or t, lambda t: t):
            barrier.wait()
            x.exp()
            barrier.wait()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(log) == [0, 1]
    assert engine.observe.LISTENERS == []
