"""``torch.autograd.functional``: jacobian, hessian, vjp, jvp, hvp and vhp.

Each takes a function of tensors and returns its derivative products in
PyTorch's shapes: a single Tensor where the function took (or returned) a
single Tensor, tuples where it took tuples. Forward-mode products (``jvp``,
``hvp``) use the double-backward trick, as PyTorch does. ``vectorize=True``
is accepted and computed one row at a time; the forward-mode Jacobian
strategy is computed in reverse mode: the same values and structures, though a
zero may carry the other sign and the graph other node names than PyTorch's
forward-mode ones.
"""
from ..creation import zeros_like
from ..ops.join_split import stack
from ..tensor import Tensor
from . import grad as _autograd_grad_raw
from .grad_mode import enable_grad, is_grad_enabled, set_grad_enabled

__all__ = ["vjp", "jvp", "jacobian", "hessian", "hvp", "vhp"]


# ------------------------------------------------------------------ structure
def _as_tuple(value, arg_name, fn_name):
    """``(was_a_tuple, tuple_of_tensors)``, with PyTorch's TypeError for anything else."""
    is_tuple = isinstance(value, tuple)
    values = value if is_tuple else (value,)
    for i, element in enumerate(values):
        if not isinstance(element, Tensor):
            where = f"value at index {i}" if is_tuple else f"given {arg_name}"
            raise TypeError(
                f"The {arg_name} given to {fn_name} must be either a Tensor or a tuple of "
                f"Tensors but the {where} has type {type(element)}.")
    return is_tuple, values


def _unpack(result, was_tuple):
    """Undo :func:`_as_tuple`: ``was_tuple`` is a flag, or (outputs, inputs) flags for
    a nested result such as a Jacobian."""
    if isinstance(was_tuple, tuple):
        outputs_tuple, inputs_tuple = was_tuple
        if not inputs_tuple:
            result = tuple(row[0] for row in result)
        return result if outputs_tuple else result[0]
    return result if was_tuple else result[0]


def _prepare(inputs, create_graph, need_graph):
    """Inputs the function will see: new leaves, or (to keep the caller's graph when
    ``create_graph``) views of inputs that already require grad."""
    prepared = []
    for tensor in inputs:
        if create_graph and tensor.requires_grad:
            prepared.append(tensor.view_as(tensor))
        else:
            prepared.append(tensor.detach().requires_grad_(need_graph))
    return tuple(prepared)


def _finish(values, create_graph):
    """Results leave detached unless the caller asked for a graph."""
    if isinstance(values[0], Tensor):
        return values if create_graph else tuple(v.detach() for v in values)
    return tuple(_finish(v, create_graph) for v in values)


def _validate_v(v, other, other_is_tuple):
    if len(other) != len(v):
        if other_is_tuple:
            raise RuntimeError(
                f"v is a tuple of invalid length: should be {len(other)} but got {len(v)}.")
        raise RuntimeError("The given v should contain a single Tensor.")
    for i, (v_i, other_i) in enumerate(zip(v, other)):
        if v_i.size() != other_i.size():
            prefix = f"Entry {i} in " if other_is_tuple else ""
            raise RuntimeError(
                f"{prefix}v has invalid size: should be {other_i.size()} but got {v_i.size()}.")


def _vector(v, against, against_is_tuple, fn_name, create_graph, v_none_message):
    """``v`` as a tuple checked against ``against``; None only for one one-element tensor."""
    if v is not None:
        _, v = _as_tuple(v, "v", fn_name)
        v = _prepare(v, create_graph, need_graph=False)
        _validate_v(v, against, against_is_tuple)
        return v
    if len(against) != 1 or against[0].nelement() != 1:
        raise RuntimeError(v_none_message)
    return None


_V_NONE_OUTPUT = ("The vector v can only be None if the user-provided function returns a single "
                  "Tensor with a single element.")
_V_NONE_INPUT = ("The vector v can only be None if the input to the user-provided function is a "
                 "single Tensor with a single element.")


# --------------------------------------------------------------- strict mode
_NOT_REQUIRING_GRAD = {
    "hessian": ("The hessian of the user-provided function with respect to input {i} is "
                "independent of the input. This is not allowed in strict mode. You should ensure "
                "that your function is thrice differentiable and that the hessian depends on the "
                "inputs."),
    "jacobian": ("While computing the hessian, found that the jacobian of the user-provided "
                 "function with respect to input {i} is independent of the input. This is not "
                 "allowed in strict mode. You should ensure that your function is twice "
                 "differentiable and that the jacobian depends on the inputs (this would be "
                 "violated by a linear function for example)."),
    "grad_inputs": ("The gradient with respect to input {i} is independent of the inputs of the "
                    "user-provided function. This is not allowed in strict mode."),
    "outputs": ("Output {i} of the user-provided function does not require gradients. The "
                "outputs must be computed in a differentiable manner from the input when running "
                "in strict mode."),
}

_MISSING_GRADIENT = {
    "back": ("The output of the user-provided function is independent of input {i}. This is not "
             "allowed in strict mode."),
    "back_trick": ("The gradient with respect to the input is independent of entry {i} in the "
                   "grad_outputs when using the double backward trick to compute forward mode "
                   "gradients. This is not allowed in strict mode."),
    "double_back": ("The jacobian of the user-provided function is independent of input {i}. "
                    "This is not allowed in strict mode."),
    "double_back_trick": ("The hessian of the user-provided function is independent of entry {i} "
                          "in the grad_jacobian. This is not allowed in strict mode as it "
                          "prevents from using the double backward trick to replace forward "
                          "mode AD."),
}

_GRADIENT_WITHOUT_GRAPH = {
    "jacobian": ("The jacobian of the user-provided function is independent of input {i}. This is "
                 "not allowed in strict mode when create_graph=True."),
    "hessian": ("The hessian of the user-provided function is independent of input {i}. This is "
                "not allowed in strict mode when create_graph=True."),
}


def _check_requires_grad(tensors, kind, strict):
    if not strict:
        return
    for i, tensor in enumerate(tensors):
        if tensor is None:
            raise RuntimeError(_MISSING_GRADIENT["back"].format(i=i))
        if not tensor.requires_grad:
            raise RuntimeError(_NOT_REQUIRING_GRAD[kind].format(i=i))


def _grad(outputs, inputs, grad_outputs=None, create_graph=False, retain_graph=None):
    """``autograd.grad`` over the outputs that require grad; None for unreached inputs."""
    if grad_outputs is None:
        grad_outputs = (None,) * len(outputs)
    kept = [(out, g) for out, g in zip(outputs, grad_outputs)
            if out is not None and out.requires_grad]
    if not kept:
        return (None,) * len(inputs)
    return _autograd_grad_raw([out for out, _ in kept], inputs, [g for _, g in kept],
                              retain_graph=retain_graph, create_graph=create_graph,
                              allow_unused=True)


def _fill_in_zeros(grads, refs, strict, create_graph, stage):
    filled = []
    for i, grad in enumerate(grads):
        if grad is None:
            if strict:
                raise RuntimeError(_MISSING_GRADIENT[stage].format(i=i))
            grad = zeros_like(refs[i])
        elif strict and create_graph and not grad.requires_grad:
            kind = "hessian" if "double" in stage else "jacobian"
            raise RuntimeError(_GRADIENT_WITHOUT_GRAPH[kind].format(i=i))
        filled.append(grad)
    return tuple(filled)


# -------------------------------------------------------------- the products
def _result_and_product(outputs, outputs_tuple, backward, shaped_as, create_graph, strict, stage):
    """What vjp, jvp, vhp and hvp return: ``func``'s outputs and the product, ``backward``
    (what to differentiate, with respect to what, and ``v``) taken through the graph, with
    zeros shaped as ``shaped_as`` (tensors and whether they came as a tuple) where nothing
    reached; graphs are kept only under ``create_graph``."""
    of, wrt, v = backward
    like, like_tuple = shaped_as
    with set_grad_enabled(create_graph or is_grad_enabled()):
        grads = _grad(of, wrt, v, create_graph=create_graph)
        products = _fill_in_zeros(grads, like, strict, create_graph, stage)
    return (_unpack(_finish(outputs, create_graph), outputs_tuple),
            _unpack(_finish(products, create_graph), like_tuple))


def vjp(func, inputs, v=None, create_graph=False, strict=False):
    """``(func(*inputs), v^T J)``."""
    with enable_grad():
        inputs_tuple, inputs = _as_tuple(inputs, "inputs", "vjp")
        inputs = _prepare(inputs, create_graph, need_graph=True)
        outputs_tuple, outputs = _as_tuple(
            func(*inputs), "outputs of the user-provided function", "vjp")
        _check_requires_grad(outputs, "outputs", strict)
        v = _vector(v, outputs, outputs_tuple, "vjp", create_graph, _V_NONE_OUTPUT)
    return _result_and_product(outputs, outputs_tuple, (outputs, inputs, v),
                               (inputs, inputs_tuple), create_graph, strict, "back")


def jvp(func, inputs, v=None, create_graph=False, strict=False):
    """``(func(*inputs), J v)`` by the double-backward trick."""
    with enable_grad():
        inputs_tuple, inputs = _as_tuple(inputs, "inputs", "jvp")
        inputs = _prepare(inputs, create_graph, need_graph=True)
        v = _vector(v, inputs, inputs_tuple, "jvp", create_graph, _V_NONE_INPUT)
        outputs_tuple, outputs = _as_tuple(
            func(*inputs), "outputs of the user-provided function", "jvp")
        _check_requires_grad(outputs, "outputs", strict)
        grad_outputs = tuple(zeros_like(out, requires_grad=True) for out in outputs)
        grad_inputs = _grad(outputs, inputs, grad_outputs, create_graph=True)
        _check_requires_grad(grad_inputs, "grad_inputs", strict)
    return _result_and_product(outputs, outputs_tuple, (grad_inputs, grad_outputs, v),
                               (outputs, outputs_tuple), create_graph, strict, "back_trick")


def jacobian(func, inputs, create_graph=False, strict=False, vectorize=False,
             strategy="reverse-mode"):
    """The Jacobian: a Tensor, or ``result[i][j]`` = d output i / d input j for tuples."""
    if strategy not in ("forward-mode", "reverse-mode"):
        raise AssertionError(
            'Expected strategy to be either "forward-mode" or "reverse-mode". Hint: If your '
            'function has more outputs than inputs, "forward-mode" tends to be more performant. '
            'Otherwise, prefer to use "reverse-mode".')
    if strategy == "forward-mode":
        if create_graph:
            raise NotImplementedError(
                "torch.autograd.functional.jacobian: `create_graph=True` and "
                '`strategy="forward-mode"` are not supported together (yet). Please either set '
                '`create_graph=False` or `strategy="reverse-mode"`.')
        if strict:
            raise RuntimeError(
                "torch.autograd.functional.jacobian: `strict=True` and "
                '`strategy="forward-mode"` are not supported together (yet). Please either set '
                '`strict=False` or `strategy="reverse-mode"`.')
        _as_tuple(inputs, "inputs", "jacobian")
        if not vectorize:
            raise NotImplementedError(
                "Computing Jacobian using forward-AD or forward-over-reverse Hessian is"
                "only implemented for `vectorize=True`.")
    # Forward mode differentiates the caller's inputs themselves, so its Jacobian
    # stays attached to their graph; reverse mode detaches unless create_graph.
    keep_graph = create_graph
    with enable_grad():
        inputs_tuple, inputs = _as_tuple(inputs, "inputs", "jacobian")
        if strategy == "forward-mode":
            keep_graph = is_grad_enabled() and any(t.requires_grad for t in inputs)
            create_graph = True
        inputs = _prepare(inputs, create_graph, need_graph=True)
        outputs_tuple, outputs = _as_tuple(
            func(*inputs), "outputs of the user-provided function", "jacobian")
        _check_requires_grad(outputs, "outputs", strict)
        if vectorize and strict:
            raise RuntimeError(
                "torch.autograd.functional.jacobian: `strict=True` and `vectorized=True` are "
                "not supported together. Please either set `strict=False` or "
                "`vectorize=False`.")
        rows = tuple(_jacobian_of_output(i, out, inputs, create_graph, strict)
                     for i, out in enumerate(outputs))
        rows = _finish(rows, keep_graph)
        if strategy == "forward-mode":  # PyTorch's forward mode collects lists, not tuples
            rows = [list(row) for row in rows]
        return _unpack(rows, (outputs_tuple, inputs_tuple))


def _jacobian_of_output(i, out, inputs, create_graph, strict):
    """d out / d each input, one backward per element of ``out``."""
    columns = tuple([] for _ in inputs)
    flat = out.reshape(-1)
    for j in range(out.nelement()):
        grads = _grad((flat[j],), inputs, retain_graph=True, create_graph=create_graph)
        for k, (column, grad, tensor) in enumerate(zip(columns, grads, inputs)):
            if grad is not None:
                if strict and create_graph and not grad.requires_grad:
                    raise RuntimeError(_GRADIENT_WITHOUT_GRAPH["jacobian"].format(i=i))
                column.append(grad)
            else:
                if strict:
                    raise RuntimeError(
                        f"Output {i} of the user-provided function is independent of input {k}. "
                        "This is not allowed in strict mode.")
                column.append(zeros_like(tensor))
    return tuple(stack(column, dim=0).view(out.size() + inputs[k].size())
                 for k, column in enumerate(columns))


def hessian(func, inputs, create_graph=False, strict=False, vectorize=False,
            outer_jacobian_strategy="reverse-mode"):
    """The Hessian of a function returning one element: a Tensor, or
    ``result[i][j]`` = d2 f / d input i d input j for tuples."""
    inputs_tuple, inputs = _as_tuple(inputs, "inputs", "hessian")
    if outer_jacobian_strategy not in ("forward-mode", "reverse-mode"):
        raise AssertionError('Expected strategy to be either "forward-mode" or "reverse-mode".')

    def single_output(*args):
        out = func(*args)
        out_tuple, outs = _as_tuple(out, "outputs of the user-provided function", "hessian")
        _check_requires_grad(outs, "outputs", strict)
        if out_tuple or not isinstance(out, Tensor):
            raise RuntimeError("The function given to hessian should return a single Tensor")
        if out.nelement() != 1:
            raise RuntimeError(
                "The Tensor returned by the function given to hessian should contain a single "
                "element")
        return out.squeeze()

    def gradient(*args):
        if outer_jacobian_strategy == "forward-mode":
            args = tuple(t.requires_grad_(True) for t in args)
        grads = jacobian(single_output, args, create_graph=True)
        _check_requires_grad(grads, "jacobian", strict)
        return grads

    result = jacobian(gradient, inputs, create_graph=create_graph, strict=strict,
                      vectorize=vectorize, strategy=outer_jacobian_strategy)
    return _unpack(result, (inputs_tuple, inputs_tuple))


def _scalar_function_setup(func, inputs, v, create_graph, strict, fn_name):
    """Shared start of vhp and hvp: prepared inputs, v, the output and its gradient."""
    inputs_tuple, inputs = _as_tuple(inputs, "inputs", fn_name)
    inputs = _prepare(inputs, create_graph, need_graph=True)
    v = _vector(v, inputs, inputs_tuple, fn_name, create_graph, _V_NONE_INPUT)
    outputs_tuple, outputs = _as_tuple(
        func(*inputs), "outputs of the user-provided function", fn_name)
    _check_requires_grad(outputs, "outputs", strict)
    if outputs_tuple or not isinstance(outputs[0], Tensor):
        raise RuntimeError(f"The function given to {fn_name} should return a single Tensor")
    if outputs[0].nelement() != 1:
        raise RuntimeError(
            f"The Tensor returned by the function given to {fn_name} should contain a single "
            "element")
    gradient = _grad(outputs, inputs, create_graph=True)
    _check_requires_grad(gradient, "jacobian", strict)
    return inputs_tuple, inputs, v, outputs_tuple, outputs, gradient


def vhp(func, inputs, v=None, create_graph=False, strict=False):
    """``(func(*inputs), v^T H)``."""
    with enable_grad():
        inputs_tuple, inputs, v, outputs_tuple, outputs, gradient = _scalar_function_setup(
            func, inputs, v, create_graph, strict, "vhp")
    return _result_and_product(outputs, outputs_tuple, (gradient, inputs, v),
                               (inputs, inputs_tuple), create_graph, strict, "double_back")


def hvp(func, inputs, v=None, create_graph=False, strict=False):
    """``(func(*inputs), H v)`` by the double-backward trick."""
    with enable_grad():
        inputs_tuple, inputs, v, outputs_tuple, outputs, gradient = _scalar_function_setup(
            func, inputs, v, create_graph, strict, "hvp")
        grad_gradient = tuple(zeros_like(t, requires_grad=True) for t in inputs)
        double_back = _grad(gradient, inputs, grad_gradient, create_graph=True)
        _check_requires_grad(gradient, "hessian", strict)
    return _result_and_product(outputs, outputs_tuple, (double_back, grad_gradient, v),
                               (inputs, inputs_tuple), create_graph, strict, "double_back_trick")
