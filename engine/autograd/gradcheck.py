"""Finite-difference gradient checks: ``gradcheck`` and ``gradgradcheck``, as PyTorch's.

Shipped with the engine (as PyTorch and HIPS autograd ship theirs) so that
anyone adding an op or a custom Function can test its backward. Both take a
tensor or a tuple of inputs, return True, or raise ``GradcheckError`` with
PyTorch's texts (``raise_exception=False``: return False instead). The
Jacobians are laid out as PyTorch's are: one row per input element, one
column per output element.
"""
import warnings

import numpy as np


class GradcheckError(RuntimeError):
    pass


NOT_ZERO = "Numerical gradient for function expected to be zero"
NO_INPUT_REQUIRES_GRAD = ("gradcheck expects at least one input tensor to require gradient, but "
                          "none of them have requires_grad=True.")


def _not_double_warning(index):
    return (f"Input #{index} requires gradient and is not a double precision floating point or "
            "complex. This check will likely fail if all the inputs are not of double precision "
            "floating point or complex. ")


def _as_tuple(value):
    if isinstance(value, tuple):
        return value
    return tuple(value) if isinstance(value, list) else (value,)


def _tensor_class():
    from ..tensor import Tensor
    return Tensor


def _differentiable_inputs(inputs):
    Tensor = _tensor_class()
    return [i for i, t in enumerate(inputs) if isinstance(t, Tensor) and t.requires_grad]


def numerical_jacobians(fn, inputs, index, eps):
    """Per output, d(output)/d(inputs[index]) by central differences, shaped (input, output)
    and computed in the output's dtype as PyTorch computes it. ``fn`` runs in the grad
    mode of the caller, as in PyTorch (``gradgradcheck``'s function differentiates)."""
    target = inputs[index]
    flat = target._data.reshape(-1)  # perturbed in place, behind autograd's back
    columns = None
    for k in range(flat.size):
        original = flat[k].item()
        flat[k] = original - eps
        minus = [o._data.copy() for o in _as_tuple(fn(*inputs))]
        flat[k] = original + eps
        plus = [o._data.copy() for o in _as_tuple(fn(*inputs))]
        flat[k] = original
        if columns is None:
            columns = [[] for _ in plus]
        for rows, a, b in zip(columns, plus, minus):
            rows.append(((a - b) / (2 * eps)).reshape(-1))
    if columns is None:  # an empty input
        return [np.zeros((0, o._data.size)) for o in _as_tuple(fn(*inputs))]
    return [np.stack(rows, axis=0) for rows in columns]


def analytical_jacobian(output, inputs, index):
    """d(output)/d(inputs[index]) from one backward pass per output element, shaped (input, output)."""
    from ..creation import zeros_like
    from . import grad as autograd_grad
    target = inputs[index]
    dtype = np.result_type(target._data.dtype, output._data.dtype)
    columns = []
    for k in range(output._data.size):
        if not output.requires_grad:
            columns.append(np.zeros(target._data.size, dtype=dtype))
            continue
        seed = zeros_like(output)
        seed._data.reshape(-1)[k] = 1
        (g,) = autograd_grad(output, target, seed, retain_graph=True, allow_unused=True)
        columns.append(np.zeros(target._data.size, dtype=dtype) if g is None else
                       np.asarray(g._data).reshape(-1))
    if not columns:
        return np.zeros((target._data.size, 0), dtype=dtype)
    return np.stack(columns, axis=1)


def _jacobian_repr(array):
    from .. import creation
    return repr(creation.tensor(array))


def gradcheck(func, inputs, *, eps=1e-6, atol=1e-5, rtol=1e-3, raise_exception=True, **options):
    """Compare analytical and numerical Jacobians for every input that requires grad."""
    inputs = _as_tuple(inputs)
    differentiable = _differentiable_inputs(inputs)
    if not differentiable:
        raise ValueError(NO_INPUT_REQUIRES_GRAD)
    for index in differentiable:
        if inputs[index]._data.dtype != np.float64:
            warnings.warn(_not_double_warning(index), UserWarning, stacklevel=2)
    outputs = _as_tuple(func(*inputs))
    checked = [i for i, o in enumerate(outputs) if o.requires_grad]  # as PyTorch: only these
    for index in differentiable:
        numerical = numerical_jacobians(func, inputs, index, eps)
        if not checked:
            # Nothing to differentiate: the function must then not depend on its inputs.
            if any(np.any(j != 0) for j in numerical):
                if not raise_exception:
                    return False
                raise GradcheckError(NOT_ZERO)
            continue
        for out_index, position in enumerate(checked):
            output = outputs[position]
            analytical = analytical_jacobian(output, inputs, index)
            expected = numerical[position]
            if analytical.shape == expected.shape and np.allclose(
                    analytical, expected, rtol=rtol, atol=atol):
                continue
            if not raise_exception:
                return False
            raise GradcheckError(
                f"Jacobian mismatch for output {out_index} with respect to input {index},\n"
                f"numerical:{_jacobian_repr(expected)}\nanalytical:{_jacobian_repr(analytical)}\n")
    return True


def gradgradcheck(func, inputs, grad_outputs=None, *, eps=1e-6, atol=1e-5, rtol=1e-3,
                  raise_exception=True, **options):
    """``gradcheck`` of the gradients of ``func``: checks its second derivatives.

    Without ``grad_outputs``, random ones in [-1, 1) are made (PyTorch makes
    them at random too); they take part as inputs that require grad.
    """
    from .. import creation
    from . import grad as autograd_grad
    inputs = _as_tuple(inputs)
    outputs = _as_tuple(func(*inputs))
    if grad_outputs is None:
        rng = np.random.default_rng()
        grad_outputs = tuple(
            creation.tensor(rng.uniform(-1, 1, o._data.shape).astype(o._data.dtype),
                            requires_grad=True)
            for o in outputs if o.requires_grad)
    grad_outputs = _as_tuple(grad_outputs)
    count = len(grad_outputs)

    def first_derivatives(*all_inputs):
        originals, seeds = all_inputs[:-count], all_inputs[-count:]
        results = _as_tuple(func(*originals))
        results = [r for r in results if r.requires_grad]
        wrt = [originals[i] for i in _differentiable_inputs(originals)]
        grads = autograd_grad(results, wrt, seeds, create_graph=True, allow_unused=True)
        return tuple(g for g in grads if g is not None)

    return gradcheck(first_derivatives, inputs + grad_outputs, eps=eps, atol=atol, rtol=rtol,
                     raise_exception=raise_exception)
