"""torch.autograd.Function's whole contract, and gradcheck/gradgradcheck, probed against PyTorch.

Every case runs on engine and on PyTorch (see probecheck.py) and must give the
same values, gradients, node names, error types and texts, and warnings.
"""
import pytest
from probecheck import case_table, outcome

import engine

torch = pytest.importorskip("torch")


def leaf(m, values=(1.0, 2.0), dtype=None):
    return m.tensor(list(values), dtype=dtype or m.float32, requires_grad=True)


def function(m, forward, backward=None, setup_context=None, name="MyFn", vjp=None):
    """A Function subclass named ``name`` from plain functions (static methods)."""
    namespace = {"forward": staticmethod(forward)}
    if backward is not None:
        namespace["backward"] = staticmethod(backward)
    if setup_context is not None:
        namespace["setup_context"] = staticmethod(setup_context)
    if vjp is not None:
        namespace["vjp"] = staticmethod(vjp)
    return type(name, (m.autograd.Function,), namespace)


def grad_of(m, fn_output, x):
    out = fn_output if not isinstance(fn_output, tuple) else fn_output[0]
    out.sum().backward()
    return x.grad


def square(m):
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x

    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return 2 * x * g
    return function(m, forward, backward, name="Square")


def two_outputs(m, materialize=True, seen=None):
    def forward(ctx, x):
        ctx.set_materialize_grads(materialize)
        return x * 2, x * 3

    def backward(ctx, g1, g2):
        if seen is not None:
            seen.append((g1, g2))
        total = g1 * 2 if g1 is not None else 0
        return total + (g2 * 3 if g2 is not None else 0)
    return function(m, forward, backward, name="TwoOut")


# ------------------------------------------------------------------ cases
def plain_square_gradient(m):
    x = leaf(m)
    y = square(m).apply(x)
    return y, grad_of(m, y, x)


def node_name_and_printing(m):
    y = square(m).apply(leaf(m))
    return type(y.grad_fn).__name__, y.grad_fn.name(), repr(y), str(y)


def node_repr(m):
    y = square(m).apply(leaf(m))
    return repr(y.grad_fn).split(" object at ")[0]


def node_class_bases(m):
    y = square(m).apply(leaf(m))
    return type(y.grad_fn).__mro__[1].__name__


def next_functions_to_leaf(m):
    y = square(m).apply(leaf(m))
    return [(type(n).__name__, nr) for n, nr in y.grad_fn.next_functions]


def next_functions_skip_numbers(m):
    fn = function(m, lambda ctx, x, k, y: x * k + y, lambda ctx, g: (g, None, g))
    out = fn.apply(leaf(m), 2.0, leaf(m) * 1)
    return [type(n).__name__ for n, _ in out.grad_fn.next_functions]


def next_functions_untracked_input(m):
    fn = function(m, lambda ctx, x, y: x * y, lambda ctx, g: (g, g))
    out = fn.apply(leaf(m), m.ones(2))
    return [(None if n is None else type(n).__name__) for n, _ in out.grad_fn.next_functions]


def ctx_is_the_node(m):
    seen = []

    def forward(ctx, x):
        seen.append(ctx)
        return x * 2
    out = function(m, forward, lambda ctx, g: g).apply(leaf(m))
    return seen[0] is out.grad_fn


def ctx_attributes_reach_backward(m):
    def forward(ctx, x, k):
        ctx.k = k
        return x * k

    def backward(ctx, g):
        return g * ctx.k, None
    x = leaf(m)
    out = function(m, forward, backward).apply(x, 5.0)
    return out.grad_fn.k, grad_of(m, out, x)


def needs_input_grad_mixed(m):
    seen = []

    def forward(ctx, x, y, k):
        seen.append(ctx.needs_input_grad)
        return x * y * k

    def backward(ctx, g):
        seen.append(ctx.needs_input_grad)
        return g, None, None
    out = function(m, forward, backward).apply(leaf(m), m.ones(2), 3)
    out.sum().backward()
    return seen


def needs_input_grad_under_no_grad(m):
    seen = []

    def forward(ctx, x):
        seen.append((ctx.needs_input_grad, m.is_grad_enabled()))
        return x * 2
    with m.no_grad():
        out = function(m, forward, lambda ctx, g: g).apply(leaf(m))
    return seen, out


def forward_runs_without_grad(m):
    seen = []

    def forward(ctx, x):
        seen.append((m.is_grad_enabled(), (x * 2).requires_grad))
        return x * 2
    function(m, forward, lambda ctx, g: g).apply(leaf(m))
    return seen


def numpy_inside_forward(m):
    def forward(ctx, x):
        return m.tensor(x.numpy() * 3)

    def backward(ctx, g):
        return g * 3
    x = leaf(m)
    out = function(m, forward, backward).apply(x)
    return out, grad_of(m, out, x)


def untracked_call_returns_plain(m):
    out = square(m).apply(m.ones(2))
    return out


def no_grad_call_returns_plain(m):
    with m.no_grad():
        out = square(m).apply(leaf(m))
    return out


def two_outputs_values(m):
    a, b = two_outputs(m).apply(leaf(m))
    return a, b, a.output_nr, b.output_nr, a.grad_fn is b.grad_fn


def two_outputs_one_used_materialized(m):
    seen = []
    x = leaf(m)
    a, _ = two_outputs(m, True, seen).apply(x)
    a.sum().backward()
    return seen, x.grad


def two_outputs_one_used_not_materialized(m):
    seen = []
    x = leaf(m)
    _, b = two_outputs(m, False, seen).apply(x)
    b.sum().backward()
    return seen, x.grad


def two_outputs_both_used(m):
    x = leaf(m)
    a, b = two_outputs(m).apply(x)
    (a * b).sum().backward()
    return x.grad


def non_tensor_output(m):
    seen = []

    def backward(ctx, *grads):
        seen.append(grads)
        return grads[0]
    x = leaf(m)
    out = function(m, lambda ctx, x: (x * 2, 5), backward).apply(x)
    out[0].sum().backward()
    return out, seen, x.grad


def mark_non_differentiable_int_output(m):
    seen = []

    def forward(ctx, x):
        index = x.argmax()
        ctx.mark_non_differentiable(index)
        return x.max(), index

    def backward(ctx, g_value, g_index):
        seen.append(g_index)
        return g_value * m.ones(2)
    x = leaf(m, (1.0, 3.0))
    value, index = function(m, forward, backward).apply(x)
    value.backward()
    return value, index, seen, x.grad


def mark_non_differentiable_float_output(m):
    def forward(ctx, x):
        out = x * 2
        ctx.mark_non_differentiable(out)
        return out
    out = function(m, forward, lambda ctx, g: g).apply(leaf(m))
    return out, out.is_leaf


def setup_context_style(m):
    seen = []

    def forward(x, k):
        return x * k

    def setup_context(ctx, inputs, output):
        seen.append((len(inputs), output.requires_grad))
        ctx.k = inputs[1]
        ctx.save_for_backward(inputs[0])

    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * ctx.k + x * 0, None
    x = leaf(m)
    out = function(m, forward, backward, setup_context).apply(x, 3.0)
    return out, seen, grad_of(m, out, x)


def setup_context_with_keyword(m):
    def forward(x, k=2.0):
        return x * k

    def setup_context(ctx, inputs, output):
        ctx.count = len(inputs)
    out = function(m, forward, lambda ctx, g: (g, None), setup_context).apply(leaf(m), k=4.0)
    return out, out.grad_fn.count


def setup_context_default_argument(m):
    def forward(x, k=2.0):
        return x * k

    def setup_context(ctx, inputs, output):
        ctx.inputs = inputs
    out = function(m, forward, lambda ctx, g: (g, None), setup_context).apply(leaf(m))
    return out, len(out.grad_fn.inputs)


def forward_without_ctx_and_no_setup_context(m):
    return function(m, lambda x: x * 2, lambda ctx, g: g).apply(leaf(m))


def apply_unknown_keyword(m):
    return function(m, lambda ctx, x: x * 2, lambda ctx, g: g).apply(leaf(m), y=2)


def apply_keyword_input(m):
    fn = function(m, lambda ctx, x: x * 2, lambda ctx, g: g)
    x = leaf(m)
    out = fn.apply(x=x)
    return out, grad_of(m, out, x)


def save_for_backward_number(m):
    def forward(ctx, x):
        ctx.save_for_backward(x, 3)
        return x * 2
    return function(m, forward, lambda ctx, g: g).apply(leaf(m))


def save_for_backward_none(m):
    seen = []

    def forward(ctx, x):
        ctx.save_for_backward(None, x)
        return x * 2

    def backward(ctx, g):
        seen.append(ctx.saved_tensors)
        return g
    x = leaf(m)
    function(m, forward, backward).apply(x).sum().backward()
    return seen


def saved_tensors_inside_forward(m):
    seen = []

    def forward(ctx, x):
        ctx.save_for_backward(x)
        seen.append(ctx.saved_tensors)
        return x * 2
    function(m, forward, lambda ctx, g: g).apply(leaf(m))
    return seen


def saved_input_is_the_input(m):
    x = leaf(m)
    out = square(m).apply(x)
    return out.grad_fn.saved_tensors[0] is x


def saved_output_has_the_node(m):
    def forward(ctx, x):
        out = x.exp()
        ctx.save_for_backward(out)
        return out

    def backward(ctx, g):
        (out,) = ctx.saved_tensors
        return g * out
    x = leaf(m)
    out = function(m, forward, backward, name="MyExp").apply(x)
    saved = out.grad_fn.saved_tensors[0]
    return saved, type(saved.grad_fn).__name__, grad_of(m, out, x)


def saved_tensors_after_backward(m):
    out = square(m).apply(leaf(m))
    out.sum().backward()
    return out.grad_fn.saved_tensors


def saved_tensors_retained(m):
    out = square(m).apply(leaf(m))
    out.sum().backward(retain_graph=True)
    return out.grad_fn.saved_tensors


def second_backward_raises(m):
    out = square(m).apply(leaf(m)).sum()
    out.backward()
    out.backward()


def saved_input_modified_in_place(m):
    x = leaf(m) * 1
    out = square(m).apply(x)
    x.add_(1)
    out.sum().backward()


def mark_dirty_non_leaf(m):
    def forward(ctx, x):
        x.mul_(2)
        ctx.mark_dirty(x)
        return x
    x = leaf(m)
    y = x * 1
    version = y._version
    out = function(m, forward, lambda ctx, g: g * 2, name="Double_").apply(y)
    return out is y, y._version - version, out, grad_of(m, out, x)


def mark_dirty_view_of_non_leaf(m):
    def forward(ctx, x):
        x.mul_(2)
        ctx.mark_dirty(x)
        return x
    x = leaf(m, (1.0, 2.0, 3.0, 4.0))
    base = x * 1
    view = base[0:2]
    before = (view._version, base._version)
    out = function(m, forward, lambda ctx, g: g * 2, name="Double_").apply(view)
    after = (view._version, base._version)
    base.sum().backward()
    return before, after, out is view, out, base, x.grad


def mark_dirty_view_of_leaf(m):
    def forward(ctx, x):
        x.mul_(2)
        ctx.mark_dirty(x)
        return x
    return function(m, forward, lambda ctx, g: g * 2).apply(leaf(m)[0:1])


def mark_dirty_leaf(m):
    def forward(ctx, x):
        x.add_(1)
        ctx.mark_dirty(x)
        return x
    return function(m, forward, lambda ctx, g: g).apply(leaf(m))


def mark_dirty_not_returned(m):
    def forward(ctx, x):
        ctx.mark_dirty(x)
        return x * 2
    return function(m, forward, lambda ctx, g: g).apply(leaf(m) * 1)


def input_returned_as_is(m):
    x = leaf(m)
    out = function(m, lambda ctx, x: x, lambda ctx, g: g * 3, name="Ident").apply(x)
    return out is x, out._base is x, out, grad_of(m, out, x)


def view_output_changed_in_place(m):
    fn = function(m, lambda ctx, x: x.view(2), lambda ctx, g: g)
    fn.apply(leaf(m) * 1).mul_(2)


def view_output_of_leaf_changed_in_place(m):
    fn = function(m, lambda ctx, x: x[0:1], lambda ctx, g: g)
    fn.apply(leaf(m)).mul_(2)


def returned_input_changed_in_place(m):
    fn = function(m, lambda ctx, x: x, lambda ctx, g: g, name="Ident")
    fn.apply(leaf(m) * 1).mul_(2)


def untracked_view_output_changed_in_place(m):
    fn = function(m, lambda ctx, x: x.view(2), lambda ctx, g: g)
    out = fn.apply(m.ones(2))
    out.mul_(2)
    return out


def view_output_changed_under_no_grad(m):
    x = leaf(m) * 1
    out = function(m, lambda ctx, x: x.view(2), lambda ctx, g: g).apply(x)
    with m.no_grad():
        out.mul_(2)
    return x


def backward_too_few_gradients(m):
    fn = function(m, lambda ctx, x, y: x * y, lambda ctx, g: g)
    fn.apply(leaf(m), leaf(m)).sum().backward()


def backward_too_many_gradients(m):
    fn = function(m, lambda ctx, x: x * 2, lambda ctx, g: (g, g, g))
    fn.apply(leaf(m)).sum().backward()


def backward_extra_nones_are_dropped(m):
    x = leaf(m)
    fn = function(m, lambda ctx, x: x * 2, lambda ctx, g: (g * 2, None, None))
    fn.apply(x).sum().backward()
    return x.grad


def backward_wrong_shape(m):
    fn = function(m, lambda ctx, x: x * 2, lambda ctx, g: m.ones(3))
    fn.apply(leaf(m)).sum().backward()


def backward_wrong_rank(m):
    fn = function(m, lambda ctx, x: x * 2, lambda ctx, g: m.ones(2, 1))
    fn.apply(leaf(m)).sum().backward()


def backward_broadcast_gradient_is_summed(m):
    x = leaf(m)
    fn = function(m, lambda ctx, x: x * 2, lambda ctx, g: m.ones(3, 2))
    fn.apply(x).sum().backward()
    return x.grad


def backward_wrong_dtype_is_cast(m):
    x = leaf(m)
    fn = function(m, lambda ctx, x: x * 2, lambda ctx, g: g.double() * 2)
    fn.apply(x).sum().backward()
    return x.grad


def backward_integer_gradient_is_cast(m):
    x = leaf(m)
    fn = function(m, lambda ctx, x: x * 2, lambda ctx, g: m.ones(2, dtype=m.int64))
    fn.apply(x).sum().backward()
    return x.grad


def backward_returns_number(m):
    fn = function(m, lambda ctx, x: x * 2, lambda ctx, g: 3.0)
    fn.apply(leaf(m)).sum().backward()


def backward_gradient_for_number_input(m):
    fn = function(m, lambda ctx, x, k: x * k, lambda ctx, g: (g, g))
    fn.apply(leaf(m), 2.0).sum().backward()


def backward_none_gradient(m):
    x = leaf(m)
    y = leaf(m)
    fn = function(m, lambda ctx, x, y: x * y, lambda ctx, g: (None, g))
    (fn.apply(x, y) + x).sum().backward()
    return x.grad, y.grad


def backward_not_implemented(m):
    fn = function(m, lambda ctx, x: x * 2)
    fn.apply(leaf(m)).sum().backward()


def forward_not_implemented(m):
    return type("Empty", (m.autograd.Function,), {}).apply(leaf(m))


def vjp_instead_of_backward(m):
    x = leaf(m)
    fn = function(m, lambda ctx, x: x * 2, vjp=lambda ctx, g: g * 5)
    fn.apply(x).sum().backward()
    return x.grad


def both_backward_and_vjp(m):
    fn = function(m, lambda ctx, x: x * 2, lambda ctx, g: g, vjp=lambda ctx, g: g)
    fn.apply(leaf(m)).sum().backward()


def vjp_is_backward_on_the_base(m):
    return m.autograd.Function.vjp is m.autograd.Function.backward


def grad_fn_attributes_through_node(m):
    out = square(m).apply(leaf(m))
    return out.grad_fn.needs_input_grad, len(out.grad_fn.saved_tensors)


def double_backward_through_function(m):
    x = leaf(m)
    out = square(m).apply(x)
    (g,) = m.autograd.grad(out.sum(), x, create_graph=True)
    g.sum().backward()
    return g, x.grad


def once_differentiable_first_order(m):
    def backward(ctx, g):
        return g * 2
    fn = function(m, lambda ctx, x: x * 2,
                  m.autograd.function.once_differentiable(backward), name="Once")
    x = leaf(m)
    fn.apply(x).sum().backward()
    return x.grad


def once_differentiable_second_order(m):
    def backward(ctx, g):
        return g * 2
    fn = function(m, lambda ctx, x: x * 2,
                  m.autograd.function.once_differentiable(backward), name="Once")
    x = leaf(m)
    y = fn.apply(x)
    (g,) = m.autograd.grad((y * y).sum(), x, create_graph=True)
    names = (type(g.grad_fn).__name__, g.grad_fn.name(),
             [type(n).__name__ for n, _ in g.grad_fn.next_functions])
    try:
        g.sum().backward()
    except RuntimeError as exc:
        return g, names, str(exc)


def once_differentiable_keeps_name(m):
    def backward(ctx, g):
        return g
    return m.autograd.function.once_differentiable(backward).__name__


def custom_function_in_a_chain(m):
    x = leaf(m, (0.5, -1.0))
    y = square(m).apply(x.sin()).exp()
    y.sum().backward()
    return [type(y.grad_fn).__name__, type(y.grad_fn.next_functions[0][0]).__name__], x.grad


def custom_function_with_hook_on_output(m):
    x = leaf(m)
    y = square(m).apply(x)
    y.register_hook(lambda g: g * 10)
    y.sum().backward()
    return x.grad


def retain_grad_of_output(m):
    x = leaf(m)
    y = square(m).apply(x)
    y.retain_grad()
    (y * 3).sum().backward()
    return y.grad


def gradcheck_bare_tensor(m):
    x = m.tensor([0.3, -0.7], dtype=m.float64, requires_grad=True)
    return m.autograd.gradcheck(square(m).apply, x)


def gradcheck_tuple(m):
    x = m.tensor([0.3, -0.7], dtype=m.float64, requires_grad=True)
    y = m.tensor([1.5, 2.0], dtype=m.float64, requires_grad=True)
    return m.autograd.gradcheck(lambda a, b: a * b.sin(), (x, y))


def gradcheck_builtin_op(m):
    x = m.tensor([[0.3, -0.7], [1.1, 0.2]], dtype=m.float64, requires_grad=True)
    return m.autograd.gradcheck(m.tanh, x)


def gradcheck_two_outputs(m):
    x = m.tensor([0.3, -0.7], dtype=m.float64, requires_grad=True)
    return m.autograd.gradcheck(two_outputs(m).apply, x)


def gradcheck_wrong_backward(m):
    fn = function(m, lambda ctx, x: x * 2, lambda ctx, g: g * 3, name="Bad")
    return m.autograd.gradcheck(fn.apply, m.ones(2, dtype=m.float64, requires_grad=True))


def gradcheck_wrong_backward_second_input(m):
    fn = function(m, lambda ctx, x, y: x * y, lambda ctx, g: (g, g), name="Bad")
    x = m.tensor([2.0, 3.0], dtype=m.float64, requires_grad=True)
    y = m.tensor([4.0, 5.0], dtype=m.float64, requires_grad=True)
    return m.autograd.gradcheck(fn.apply, (x, y))


def gradcheck_no_raise(m):
    fn = function(m, lambda ctx, x: x * 2, lambda ctx, g: g * 3, name="Bad")
    x = m.ones(2, dtype=m.float64, requires_grad=True)
    return m.autograd.gradcheck(fn.apply, (x,), raise_exception=False)


def gradcheck_float32_warns(m):
    return m.autograd.gradcheck(lambda x: x * 2, m.ones(2, requires_grad=True), atol=1e-2)


def gradcheck_nothing_requires_grad(m):
    return m.autograd.gradcheck(m.sin, m.ones(2, dtype=m.float64))


def gradgradcheck_builtin(m):
    x = m.tensor([0.3, -0.7], dtype=m.float64, requires_grad=True)
    return m.autograd.gradgradcheck(lambda t: t.sin() * t, x)


def gradgradcheck_custom(m):
    x = m.tensor([0.3, -0.7], dtype=m.float64, requires_grad=True)
    return m.autograd.gradgradcheck(square(m).apply, x)


def half_square(m):
    """x², its backward detaching x: right once, wrong twice (gradgradcheck fails it)."""
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x

    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return 2 * x.detach() * g
    return function(m, forward, backward, name="HalfSquare")


def gradgradcheck_detached_backward(m):
    x = m.tensor([0.3, -0.7], dtype=m.float64, requires_grad=True)
    seeds = m.tensor([1.0, 1.0], dtype=m.float64, requires_grad=True)
    return m.autograd.gradgradcheck(half_square(m).apply, x, seeds)


def gradgradcheck_no_raise(m):
    x = m.tensor([0.3, -0.7], dtype=m.float64, requires_grad=True)
    return m.autograd.gradgradcheck(half_square(m).apply, x, raise_exception=False)


def backward_transposed_gradient(m):
    x = m.ones(2, 2, requires_grad=True)
    fn = function(m, lambda ctx, x: x * 2, lambda ctx, g: g.t() * 2)
    fn.apply(x).sum().backward()
    return x.grad


def backward_scalar_gradient_for_vector(m):
    x = leaf(m)
    fn = function(m, lambda ctx, x: x * 2, lambda ctx, g: m.tensor(3.0))
    fn.apply(x).sum().backward()
    return x.grad


def integer_tensor_input(m):
    seen = []

    def forward(ctx, x, index):
        seen.append(ctx.needs_input_grad)
        return x[index]
    fn = function(m, forward, lambda ctx, g: (g.expand(2) * 1, None))
    x = leaf(m)
    y = fn.apply(x, m.tensor(0))
    y.backward()
    return seen, x.grad, [type(n).__name__ if n else None for n, _ in y.grad_fn.next_functions]


def function_instantiated(m):
    fn = function(m, lambda ctx, x: x, name="Made")
    return type(fn()).__name__


def called_without_gradients(m, materialize):
    seen = []

    def forward(ctx, x):
        ctx.set_materialize_grads(materialize)
        return x * 2

    def backward(ctx, g):
        seen.append(g)
        return g
    drop_second = function(m, lambda ctx, a, b: a + b, lambda ctx, g: (g, None), name="DropSecond")
    x, w = leaf(m), leaf(m)
    drop_second.apply(w, function(m, forward, backward).apply(x)).sum().backward()
    return seen, x.grad


def backward_runs_with_zeros_when_no_gradient_arrives(m):
    return called_without_gradients(m, True)


def backward_runs_with_none_when_not_materialized(m):
    return called_without_gradients(m, False)


def builtin_node_skipped_when_no_gradient_arrives(m):
    drop_second = function(m, lambda ctx, a, b: a + b, lambda ctx, g: (g, None), name="DropSecond")
    x, w = leaf(m), leaf(m)
    drop_second.apply(w, x * 2).sum().backward()
    return x.grad


def double_leaf(m):
    return m.tensor([0.3, -0.7], dtype=m.float64, requires_grad=True)


def gradcheck_constant_output(m):
    return m.autograd.gradcheck(lambda t: m.ones(2, dtype=m.float64), double_leaf(m))


def gradcheck_number_argument(m):
    return m.autograd.gradcheck(lambda t, k: t * k, (double_leaf(m), 3.0))


def gradcheck_skips_untracked_output(m):
    return m.autograd.gradcheck(lambda t: (t * 2, t.detach() * 3), double_leaf(m))


def gradcheck_detached_output_depends_on_input(m):
    return m.autograd.gradcheck(lambda t: t.detach() * 3, double_leaf(m))


def gradcheck_partly_detached(m):
    return m.autograd.gradcheck(lambda t: t.sum() * t.sum().detach(), double_leaf(m))


def gradcheck_integer_output(m):
    return m.autograd.gradcheck(lambda t: t.argmax(), double_leaf(m))


def gradcheck_list_of_inputs(m):
    return m.autograd.gradcheck(lambda t: t * 2, [double_leaf(m)])


def gradgradcheck_given_grad_outputs(m):
    return m.autograd.gradgradcheck(lambda t: t ** 3, double_leaf(m), m.ones(2, dtype=m.float64))


def sinh_with_saved_outputs(m):
    """PyTorch's double-backward tutorial: intermediate results returned as extra outputs."""
    def forward(ctx, x):
        expx, expnegx = m.exp(x), m.exp(-x)
        ctx.save_for_backward(expx, expnegx)
        return (expx - expnegx) / 2, expx, expnegx

    def backward(ctx, grad_out, grad_exp, grad_negexp):
        expx, expnegx = ctx.saved_tensors
        grad_input = grad_out * (expx + expnegx) / 2
        grad_input += grad_exp * expx
        grad_input -= grad_negexp * expnegx
        return grad_input
    return function(m, forward, backward, name="Sinh")


def saved_outputs_second_derivative(m):
    x = m.tensor([0.3, -0.7], dtype=m.float64, requires_grad=True)
    out = sinh_with_saved_outputs(m).apply(x)
    saved = [(t.output_nr, type(t.grad_fn).__name__) for t in out[0].grad_fn.saved_tensors]
    (g,) = m.autograd.grad(out[0].sum(), x, create_graph=True)
    g.sum().backward()
    return saved, g, x.grad


def gradgradcheck_saved_outputs(m):
    x = m.tensor([[0.3, -0.7], [0.1, 0.9]], dtype=m.float64, requires_grad=True)
    fn = sinh_with_saved_outputs(m)
    return (m.autograd.gradcheck(lambda t: fn.apply(t)[0], x),
            m.autograd.gradgradcheck(lambda t: fn.apply(t)[0], x))


CASES = [
    plain_square_gradient, node_name_and_printing, node_repr, node_class_bases,
    next_functions_to_leaf, next_functions_skip_numbers, next_functions_untracked_input,
    ctx_is_the_node, ctx_attributes_reach_backward, needs_input_grad_mixed,
    needs_input_grad_under_no_grad, forward_runs_without_grad, numpy_inside_forward,
    untracked_call_returns_plain, no_grad_call_returns_plain, two_outputs_values,
    two_outputs_one_used_materialized, two_outputs_one_used_not_materialized,
    two_outputs_both_used, non_tensor_output, mark_non_differentiable_int_output,
    mark_non_differentiable_float_output, setup_context_style, setup_context_with_keyword,
    setup_context_default_argument, forward_without_ctx_and_no_setup_context,
    apply_unknown_keyword, apply_keyword_input, save_for_backward_number, save_for_backward_none,
    saved_tensors_inside_forward, saved_input_is_the_input, saved_output_has_the_node,
    saved_tensors_after_backward, saved_tensors_retained, second_backward_raises,
    saved_input_modified_in_place, mark_dirty_non_leaf, mark_dirty_view_of_non_leaf,
    mark_dirty_view_of_leaf, mark_dirty_leaf, mark_dirty_not_returned, input_returned_as_is,
    backward_too_few_gradients, backward_too_many_gradients, backward_extra_nones_are_dropped,
    backward_wrong_shape, backward_wrong_rank, backward_broadcast_gradient_is_summed,
    backward_wrong_dtype_is_cast, backward_integer_gradient_is_cast, backward_returns_number,
    backward_gradient_for_number_input, backward_none_gradient, backward_not_implemented,
    forward_not_implemented, vjp_instead_of_backward, both_backward_and_vjp,
    vjp_is_backward_on_the_base, grad_fn_attributes_through_node, double_backward_through_function,
    once_differentiable_first_order, once_differentiable_second_order,
    once_differentiable_keeps_name, custom_function_in_a_chain,
    custom_function_with_hook_on_output, retain_grad_of_output, gradcheck_bare_tensor,
    gradcheck_tuple, gradcheck_builtin_op, gradcheck_two_outputs, gradcheck_wrong_backward,
    gradcheck_wrong_backward_second_input, gradcheck_no_raise, gradcheck_float32_warns,
    gradcheck_nothing_requires_grad, gradgradcheck_builtin, gradgradcheck_custom,
    gradgradcheck_detached_backward, gradgradcheck_no_raise, saved_outputs_second_derivative,
    gradgradcheck_saved_outputs, gradcheck_constant_output, gradcheck_number_argument,
    gradcheck_skips_untracked_output, gradcheck_detached_output_depends_on_input,
    gradcheck_partly_detached, gradcheck_integer_output, gradcheck_list_of_inputs,
    gradgradcheck_given_grad_outputs, backward_transposed_gradient,
    backward_scalar_gradient_for_vector, integer_tensor_input, function_instantiated,
    backward_runs_with_zeros_when_no_gradient_arrives,
    backward_runs_with_none_when_not_materialized, builtin_node_skipped_when_no_gradient_arrives,
    view_output_changed_in_place, view_output_of_leaf_changed_in_place,
    returned_input_changed_in_place, untracked_view_output_changed_in_place,
    view_output_changed_under_no_grad,
]


@pytest.mark.parametrize(**case_table(CASES))
def test_matches_pytorch(case):
    assert outcome(case, engine) == outcome(case, torch)


def test_dropped_function_graph_is_freed_without_the_cycle_collector():
    """The node keeps nothing that holds its outputs (saved outputs keep their arrays)."""
    import gc
    import weakref

    class Both(engine.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            y = x * x
            ctx.save_for_backward(x, y)
            ctx.mark_non_differentiable(y)
            return x * 2, y

        @staticmethod
        def backward(ctx, g, gy):
            return g * 2

    gc.disable()
    try:
        a, b = Both.apply(engine.ones(2, requires_grad=True))
        node = weakref.ref(a.grad_fn)
        del a, b
        assert node() is None
    finally:
        gc.enable()
