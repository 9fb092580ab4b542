"""Small pieces every optimiser's step shares: its step counter, fresh state arrays."""
import numpy as np

from .. import dtypes
from ..tensor import Tensor
from .optimizer import bump_version


def step_counter():
    """``state["step"]``: a 0-d float tensor, float64 only when that is the default dtype
    (PyTorch's ``_get_scalar_dtype``)."""
    dtype = np.float64 if dtypes.get_default_dtype() is dtypes.float64 else np.float32
    return Tensor._make(np.zeros((), dtype=dtype))


def advance(step_tensor):
    """``step_t += 1``; returns the new count as a Python float (``step_t.item()``)."""
    step_tensor._data += 1
    bump_version(step_tensor)
    return float(step_tensor._data)


def zeros_like(param):
    return Tensor._make(np.zeros_like(param._data))


def params_with_grad(group):
    return [p for p in group["params"] if p._grad is not None]


def signed_grad(param, maximize):
    """The gradient's array, negated (into a new array) when maximising. A 0-d
    gradient may be held as a numpy scalar: it is made an array here."""
    grad = np.asarray(param._grad._data)
    return np.asarray(np.negative(grad)) if maximize else grad


def number(value):
    """A learning rate or beta given as a one-element tensor, as a Python float."""
    return float(value.item()) if isinstance(value, Tensor) else value
