"""Ops that reorder elements: sort, argsort, topk, flip, roll; and cumprod.

sort and topk return ``(values, indices)``; the gradient of the values goes
back to the positions the indices name (a scatter into zeros, as PyTorch's
``value_selecting_reduction_backward``). flip and roll move elements, so their
gradients move back. Backward formulas use engine ops, so gradients of
gradients work.
"""
import numpy as np

from ..autograd.node import Node
from ..backend import array_module
from ..tensor import _wrap_dim
from .extrema import RETURN_TYPES, _return_type
from .registry import op, record, recording, save, save_result, wrap

for _name in ("sort", "topk"):
    RETURN_TYPES[_name] = _return_type(_name)


def _dims_list(dims):
    return (dims,) if isinstance(dims, int) else tuple(dims)


# ------------------------------------------------------------- sort / topk
def _order(data, axis, descending):
    """Indices that sort ``data`` along ``axis``, stably; NaN counts as the largest value."""
    xp = array_module(data)
    if not descending:
        return xp.argsort(data, axis=axis, kind="stable")
    if data.dtype.kind == "f":
        # lexsort sorts by its last key first: NaN (key 0) ahead of numbers, then -value.
        moved = xp.moveaxis(data, axis, -1)
        order = xp.lexsort((-moved, ~xp.isnan(moved)), axis=-1)
        return xp.moveaxis(order, -1, axis)
    signed = data.astype(np.int64) if data.dtype.kind in "bu" else data
    return xp.argsort(-signed, axis=axis, kind="stable")


class SortBackward0(Node):
    __slots__ = ()
    saved_fields = ("dim", "indices", "self_sym_sizes")
    formula = "elements reordered: each gradient goes back to where its value came from"

    def backward(self, grad):
        dim, indices, sizes = self._saved[0], self.saved(1), self._saved[2]
        return _scatter_back(grad, dim, indices, sizes)


class SortBackward1(SortBackward0):
    """The ``stable=`` overload of sort records this one."""

    __slots__ = ()


class TopkBackward0(SortBackward0):
    __slots__ = ()
    formula = "the k picked values: each gradient goes back to where its value came from"


def _scatter_back(grad, dim, indices, sizes):
    if not sizes:
        return grad.clone()
    xp = array_module(grad._data)
    zeros = wrap(xp.zeros(sizes, dtype=grad._data.dtype))
    return zeros.scatter(dim, indices, grad)


def _sorted_pair(input, dim, descending, count, node_cls, name):
    data = input._data
    xp = array_module(data)
    if data.ndim == 0:
        values, indices = data.copy(), xp.zeros((), dtype=np.int64)
        axis = 0
    else:
        axis = _wrap_dim(dim, data.ndim)
        indices = _order(data, axis, descending)
        if count is not None:
            indices = xp.take(indices, xp.arange(count), axis=axis)
        values = xp.take_along_axis(data, indices, axis=axis)
    out = wrap(xp.ascontiguousarray(values))
    index_tensor = wrap(xp.ascontiguousarray(indices).astype(np.int64))
    if recording(input):
        record(node_cls, out, (input,), (axis, save(index_tensor), data.shape))
    return RETURN_TYPES[name](out, index_tensor)


@op("Ordering")
def sort(input, dim=-1, descending=False, stable=None):
    node_cls = SortBackward0 if stable is None else SortBackward1
    return _sorted_pair(input, dim, descending, None, node_cls, "sort")


@op("Ordering")
def argsort(input, dim=-1, descending=False, stable=False):
    data = input._data
    if data.ndim == 0:
        return wrap(array_module(data).zeros((), dtype=np.int64))
    return wrap(_order(data, _wrap_dim(dim, data.ndim), descending).astype(np.int64))


@op("Ordering")
def topk(input, k, dim=-1, largest=True, sorted=True):
    size = input._data.shape[_wrap_dim(dim, input._data.ndim)] if input._data.ndim else 1
    if not 0 <= k <= size:
        raise RuntimeError("selected index k out of range")
    return _sorted_pair(input, dim, largest, k, TopkBackward0, "topk")


# -------------------------------------------------------------- flip / roll
class FlipBackward0(Node):
    __slots__ = ()
    saved_fields = ("dims",)
    formula = "elements reversed along dims: the gradient is reversed back"

    def backward(self, grad):
        return flip(grad, self._saved[0])


@op("Ordering")
def flip(input, *dims):
    dims = _dims_list(dims[0]) if len(dims) == 1 and not isinstance(dims[0], int) else dims
    ndim = input._data.ndim
    axes = tuple(_wrap_dim(d, ndim) for d in dims)
    for i, axis in enumerate(axes):
        if axis in axes[:i]:
            raise RuntimeError(f"dim {axis} appears multiple times in the list of dims")
    xp = array_module(input._data)
    data = xp.flip(input._data, axis=axes).copy() if ndim else input._data.copy()
    out = wrap(data)
    if recording(input):
        record(FlipBackward0, out, (input,), (list(axes),))
    return out


@op("Ordering")
def fliplr(input):
    if input._data.ndim < 2:
        raise RuntimeError("Input must be >= 2-d.")
    return flip(input, (1,))


@op("Ordering")
def flipud(input):
    if input._data.ndim < 1:
        raise RuntimeError("Input must be >= 1-d.")
    return flip(input, (0,))


class RollBackward0(Node):
    __slots__ = ()
    saved_fields = ("dims", "shifts")
    formula = "elements shifted cyclically: the gradient is shifted back"

    def backward(self, grad):
        dims, shifts = self._saved
        return roll(grad, [-s for s in shifts], dims)


@op("Ordering")
def roll(input, shifts, dims=None):
    shifts = list(_dims_list(shifts))
    dims = [] if dims is None else list(_dims_list(dims))
    data = input._data
    xp = array_module(data)
    if not dims:
        if len(shifts) != 1:
            raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, "
                               f"dims:{len(dims)}")
        rolled = xp.roll(data.reshape(-1), shifts[0]).reshape(data.shape)
    else:
        if len(shifts) != len(dims):
            raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, "
                               f"dims:{len(dims)}")
        axes = tuple(_wrap_dim(d, data.ndim) for d in dims)
        rolled = xp.roll(data, tuple(shifts), axis=axes)
    out = wrap(xp.ascontiguousarray(rolled))
    if recording(input):
        record(RollBackward0, out, (input,), (dims, shifts))
    return out


# ----------------------------------------------------------------- cumprod
class CumprodBackward0(Node):
    __slots__ = ()
    saved_fields = ("dim", "result", "self")
    formula = "∂(cumprod a)ⱼ/∂aᵢ = Π of a₀..aⱼ without aᵢ, for j ≥ i"

    def backward(self, grad):
        dim, result, input = self._saved[0], self.saved(1), self.saved(2)
        data = input._data
        if data.ndim == 0:
            return grad.clone()
        if not (data == 0).any():
            # Σⱼ≥ᵢ gⱼ·outⱼ / aᵢ: a cumulative sum from the end, divided by the input.
            return flip(flip(grad * result, dim).cumsum(dim), dim) / input
        return grad_of_cumprod_with_zeros(grad, data, dim)


def grad_of_cumprod_with_zeros(grad, data, dim):
    """The exact first derivative where some factor is zero: for each i, Σⱼ≥ᵢ gⱼ·Π(a₀..aⱼ
    without aᵢ), computed from the values (a constant: no second derivative there)."""
    xp = array_module(data)
    values = xp.moveaxis(data, dim, -1)
    g = xp.moveaxis(grad._data, dim, -1)
    out = xp.zeros_like(values)
    n = values.shape[-1]
    for i in range(n):
        others = values.copy()
        others[..., i] = 1
        products = xp.cumprod(others, axis=-1)
        out[..., i] = (g[..., i:] * products[..., i:]).sum(axis=-1)
    return wrap(xp.moveaxis(out, -1, dim).astype(grad._data.dtype))


@op("Reductions")
def cumprod(input, dim, *, dtype=None):
    from .. import dtypes
    data = input._data
    np_dtype = dtypes.to_numpy(dtype) or (np.dtype(np.int64) if data.dtype.kind in "biu"
                                          else data.dtype)
    axis = _wrap_dim(dim, data.ndim)
    wide = np.float32 if np_dtype == np.float16 else np_dtype  # float16 multiplies in float32
    result = data.cumprod(axis=axis, dtype=wide).astype(np_dtype, copy=False) if data.ndim else \
        data.astype(np_dtype)
    out = wrap(array_module(data).asarray(result))
    if recording(input):
        record(CumprodBackward0, out, (input,), (axis, save_result(out), save(input)))
    return out
