"""Finite-difference gradient checking, shipped with the engine (as PyTorch and
HIPS autograd ship theirs) so anyone adding an op can test its backward."""
import numpy as np


class GradcheckError(RuntimeError):
    pass


def numerical_jacobian(fn, inputs, index, eps=1e-6):
    """d(fn outputs, flattened and concatenated)/d(inputs[index]) by central differences."""
    from ..autograd.grad_mode import no_grad
    target = inputs[index]
    flat = target._data.reshape(-1)
    with no_grad():
        columns = []
        for k in range(flat.size):
            original = flat[k].item()
            flat[k] = original + eps
            plus = _flat_outputs(fn(*inputs))
            flat[k] = original - eps
            minus = _flat_outputs(fn(*inputs))
            flat[k] = original
            columns.append((plus - minus) / (2 * eps))
    return np.stack(columns, axis=1) if columns else np.zeros((0, 0))


def analytical_jacobian(fn, inputs, index):
    """Rows of the Jacobian from one backward pass per output element."""
    from ..creation import zeros_like
    from . import grad as autograd_grad
    outputs = fn(*inputs)
    outputs = outputs if isinstance(outputs, tuple) else (outputs,)
    rows = []
    for out in outputs:
        for k in range(out._data.size):
            seed = zeros_like(out)
            seed._data.reshape(-1)[k] = 1
            (g,) = autograd_grad(out, inputs[index], seed, retain_graph=True, allow_unused=True)
            rows.append(np.zeros(inputs[index]._data.size) if g is None else
                        np.asarray(g._data, dtype=np.float64).reshape(-1))
    return np.stack(rows, axis=0) if rows else np.zeros((0, inputs[index]._data.size))


def _flat_outputs(outputs):
    outputs = outputs if isinstance(outputs, tuple) else (outputs,)
    return np.concatenate([np.asarray(o._data, dtype=np.float64).reshape(-1) for o in outputs])


def gradcheck(fn, inputs, eps=1e-6, atol=1e-5, rtol=1e-3, raise_exception=True):
    """Compare analytical and numerical Jacobians for every input that requires grad.

    Inputs should be float64 tensors; returns True or raises GradcheckError.
    """
    inputs = tuple(inputs)
    for index, t in enumerate(inputs):
        if not getattr(t, "requires_grad", False):
            continue
        numerical = numerical_jacobian(fn, inputs, index, eps)
        analytical = analytical_jacobian(fn, inputs, index)
        if not np.allclose(analytical, numerical, atol=atol, rtol=rtol):
            if not raise_exception:
                return False
            raise GradcheckError(
                f"Jacobian mismatch for output 0 with respect to input {index},\n"
                f"numerical:{numerical}\nanalytical:{analytical}\n")
    return True
