"""The op registry, and the small helpers every op module shares.

The table of ops itself (``@op``, ``@method``, ``OPS``) is ``table.py``; recording
(nodes, saved tensors, the one-call ops) is ``recording.py``; numpy's quiet error
state is ``quiet.py``. They are re-exported here, where every op module imports
its helpers from.
"""

import numpy as np

from .. import dtypes
from ..autograd.node import (
    Node,
    recording,
)
from ..backend import array_module
from ..tensor import Tensor
from .broadcasting import check_broadcast  # noqa: F401 - re-exported
from .quiet import quietly  # noqa: F401 - re-exported
from .recording import (  # noqa: F401 - re-exported
    make_view,
    one_input_op,
    record,
    record1,
    record2,
    recorded,
    recorded_view,
    save,
    save_result,
    two_input_op,
)
from .table import FUNCTIONS, METHODS, OPS, OpInfo, method, op  # noqa: F401 - the table's home

# ------------------------------------------------------------------ operands
_ndarray = np.ndarray


def wrap(data):
    """A new untracked tensor around ``data``.

    numpy returns scalars, not arrays, from ops on 0-d arrays; a tensor always
    holds an array so that in-place writes and views work on it.
    """
    if type(data) is not _ndarray and isinstance(data, (np.generic, bool, int, float)):
        data = np.asarray(data)
    return Tensor._make(data)


def operand(input, other):
    """``other`` as a Tensor or a Python number, shape-checked against ``input``."""
    if type(other) is Tensor or isinstance(other, Tensor):
        if other._data.shape != input._data.shape:
            check_broadcast(input._data.shape, other._data.shape)
        return other
    if type(other) is float or type(other) is int or type(other) is bool:
        return other
    if isinstance(other, (np.generic,)):
        return other.item()
    return operand(input, as_tensor(other))


def fix_dtype(a, b, data, true_division=False):
    """Correct numpy's result dtype to PyTorch's promotion for ``a op b``.

    numpy already agrees in the common cases (same dtypes; a float tensor with a
    Python number), which cost two comparisons here.
    """
    a_dtype = a._data.dtype
    if type(b) is Tensor or isinstance(b, Tensor):
        if a_dtype == b._data.dtype and not (true_division and a_dtype.kind != "f"):
            return data
        target = dtypes.promote(a.dtype, b.dtype, a._data.ndim > 0, b._data.ndim > 0)
    else:
        if data.dtype == a_dtype and not (true_division and a_dtype.kind != "f"):
            return data
        target = dtypes.promote_scalar(a.dtype, b)
    if true_division and not target.is_floating_point:
        target = dtypes.get_default_dtype()
    return data.astype(target.numpy) if data.dtype != target.numpy else data


def as_tensor(value, like=None):
    """``value`` as a Tensor: tensors pass through, numbers become 0-d tensors."""
    if isinstance(value, Tensor):
        return value
    xp = array_module(like._data) if like is not None else np
    if isinstance(value, (bool, int, float)):
        target = dtypes.promote_scalar(like.dtype, value) if like is not None else None
        dt = target.numpy if target is not None else dtypes.to_numpy(type(value))
        return Tensor._make(xp.asarray(value, dtype=dt))
    from ..creation import tensor as make_tensor  # on use: creation imports this module
    return make_tensor(value)


def is_number(value):
    return isinstance(value, (bool, int, float)) and not isinstance(value, Tensor)


def binary_dtype(a, b):
    """Result dtype of ``a op b`` where either may be a Python number."""
    if type(b) is not Tensor and not isinstance(b, Tensor):
        return dtypes.promote_scalar(a.dtype, b)
    if not isinstance(a, Tensor):
        return dtypes.promote_scalar(b.dtype, a)
    return dtypes.promote(a.dtype, b.dtype, a._data.ndim > 0, b._data.ndim > 0)


def raw(value):
    """The array (or Python number) behind an operand."""
    return value._data if isinstance(value, Tensor) else value


def cast(data, target):
    """Cast ``data`` to the engine dtype ``target`` when it differs."""
    if data.dtype != target.numpy:
        return data.astype(target.numpy)
    return data


def zeros_like(tensor):
    """Zeros shaped like ``tensor`` (for backward formulas whose derivative is zero)."""
    return wrap(array_module(tensor._data).zeros(tensor._data.shape, dtype=tensor._data.dtype))


__all__ = ["Node", "OPS", "op", "method", "wrap", "as_tensor", "record", "record1", "record2",
           "one_input_op", "two_input_op", "recorded", "recorded_view",
           "make_view",
           "recording", "save", "raw", "cast", "binary_dtype", "check_broadcast", "is_number"]
