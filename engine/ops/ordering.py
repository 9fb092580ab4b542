"""Ops that reorder or rank elements: sort, argsort, msort, topk, flip, roll, rot90, median
and kthvalue.

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
from .gather import scatter_add_array, scatter_array
from .registry import op, record, recording, save, save_result, wrap

for _name in ("sort", "topk", "median", "kthvalue"):
    RETURN_TYPES[_name] = _return_type(_name)


def dense(array):
    """A C-ordered copy that keeps a 0-d array 0-d (numpy's ascontiguousarray would not)."""
    return array_module(array).array(array, order="C")


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
    index_fields = ("indices",)
    # each gradient goes back to where its value came from
    gradients = {"self": "scatter_back(grad, dim, indices, self_sym_sizes)"}


class SortBackward1(SortBackward0):
    """The ``stable=`` overload of sort records this one."""

    __slots__ = ()


class TopkBackward0(SortBackward0):
    __slots__ = ()


def scatter_back(grad, dim, indices, sizes):
    """Zeros of ``sizes`` with ``grad`` written back at ``indices`` along ``dim``."""
    if not sizes:
        return grad.clone()
    return wrap(array_module(grad._data).zeros(sizes, dtype=grad._data.dtype)).scatter(dim, indices, grad)


def scatter_back_array(grad, dim, indices, sizes):
    if not sizes:
        return grad.copy()
    return scatter_array(array_module(grad).zeros(sizes, dtype=grad.dtype), dim, indices, grad)


def scatter_add_back(grad, dim, indices, sizes):
    """Zeros of ``sizes`` with ``grad`` added back at ``indices`` along ``dim``."""
    if not sizes:
        return grad.clone()
    zeros = wrap(array_module(grad._data).zeros(sizes, dtype=grad._data.dtype))
    return zeros.scatter_add(dim, indices, grad)


def scatter_add_back_array(grad, dim, indices, sizes):
    if not sizes:
        return grad.copy()
    return scatter_add_array(array_module(grad).zeros(sizes, dtype=grad.dtype), dim, indices, grad)


def kept(tensor, dim, keepdim, sizes):
    """A reduced result with its reduced ``dim`` back (size 1), as keepdim=True gives it."""
    return tensor.unsqueeze(dim) if not keepdim and sizes else tensor


def kept_array(data, dim, keepdim, sizes):
    return array_module(data).expand_dims(data, dim) if not keepdim and sizes else data


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
    out = wrap(dense(values))
    index_tensor = wrap(dense(indices).astype(np.int64))
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
    gradients = {"self": "flip(grad, dims)"}


@op("Ordering")
def flip(input, *dims, **keywords):
    if "dims" in keywords:
        dims = (keywords.pop("dims"),)
    if keywords:
        raise TypeError(f"flip() got an unexpected keyword argument '{next(iter(keywords))}'")
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
    gradients = {"self": "roll(grad, negated(shifts), dims)"}  # shifted back


def roll_array(data, shifts, dims):
    """``data`` shifted cyclically (flattened when ``dims`` is empty), as a new dense array."""
    xp = array_module(data)
    if not dims:
        return dense(xp.roll(data.reshape(-1), shifts[0]).reshape(data.shape))
    axes = tuple(_wrap_dim(d, data.ndim) for d in dims)
    return dense(xp.roll(data, tuple(shifts), axis=axes))


@op("Ordering")
def roll(input, shifts, dims=None):
    shifts = list(_dims_list(shifts))
    dims = [] if dims is None else list(_dims_list(dims))
    if len(shifts) != (len(dims) or 1):
        raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, "
                           f"dims:{len(dims)}")
    out = wrap(roll_array(input._data, shifts, dims))
    if recording(input):
        record(RollBackward0, out, (input,), (dims, shifts))
    return out


class Rot90Backward0(Node):
    __slots__ = ()
    saved_fields = ("dims", "k")
    gradients = {"self": "rot90(grad, -k, dims)"}  # turned back


def rot90_array(data, k, dims):
    axes = tuple(_wrap_dim(d, data.ndim) for d in dims)
    return dense(array_module(data).rot90(data, k, axes))


@op("Ordering")
def rot90(input, k=1, dims=(0, 1)):
    dims = list(dims)
    if len(dims) != 2:
        raise RuntimeError(f"expected total rotation dims == 2, but got dims = {len(dims)}")
    if input._data.ndim < 2:
        raise RuntimeError(f"expected total dims >= 2, but got total dims = {input._data.ndim}")
    axes = tuple(_wrap_dim(d, input._data.ndim) for d in dims)
    if axes[0] == axes[1]:
        raise RuntimeError(f"expected rotation dims to be different, but got dim0 = {dims[0]} "
                           f"and dim1 = {dims[1]}")
    out = wrap(rot90_array(input._data, k, dims))
    if recording(input):
        record(Rot90Backward0, out, (input,), (dims, k))
    return out


@op("Ordering")
def msort(input):
    """The values of ``sort`` along the first dim."""
    return sort(input, 0)[0]


# ------------------------------------------------------ median / kthvalue
class MedianBackward0(Node):
    __slots__ = ()
    saved_fields = ("result", "self")
    # the gradient goes to the median element, shared evenly among ties
    gradients = {"self": "grad * peak_share(self, result)"}


class MedianBackward1(Node):
    __slots__ = ()
    saved_fields = ("dim", "indices", "keepdim", "self_sym_sizes")
    index_fields = ("indices",)
    # the gradient goes to the index that was returned
    gradients = {"self": "scatter_back(kept(grad, dim, keepdim, self_sym_sizes), dim, "
                         "kept(indices, dim, keepdim, self_sym_sizes), self_sym_sizes)"}


class KthvalueBackward0(MedianBackward1):
    __slots__ = ()


def _median_along(data, axis, position):
    """The value at ``position`` of a stable sort along ``axis`` and its index (PyTorch's
    median orders by value, then index); a NaN anywhere gives NaN at the first NaN."""
    xp = array_module(data)
    order = xp.argsort(data, axis=axis, kind="stable")
    indices = xp.take(order, [position], axis=axis)
    if data.dtype.kind == "f":
        nan = xp.isnan(data)
        has_nan = nan.any(axis=axis, keepdims=True)
        indices = xp.where(has_nan, xp.expand_dims(nan.argmax(axis=axis), axis), indices)
    return xp.take_along_axis(data, indices, axis=axis), indices.squeeze(axis)


def _kth_along(data, axis, position):
    """kthvalue's pick along ``axis``: PyTorch's quickselect (median of three, NaN largest)
    on each row, so ties resolve to the index PyTorch returns."""
    xp = array_module(data)
    moved = xp.moveaxis(data, axis, -1)
    rows = moved.reshape(-1, moved.shape[-1])
    values = xp.empty(rows.shape[0], dtype=data.dtype)
    indices = xp.empty(rows.shape[0], dtype=np.int64)
    for r, row in enumerate(rows.tolist()):
        order = list(range(len(row)))
        _quick_select(row, order, position)
        values[r], indices[r] = row[position], order[position]
    shape = moved.shape[:-1]
    return xp.expand_dims(values.reshape(shape), axis), indices.reshape(shape)


def _greater_or_nan(x, y):
    return (x != x and y == y) or x > y


def _quick_select(values, order, k):
    """Partially order ``values`` (and ``order`` alongside) so position ``k`` holds the k-th
    smallest: PyTorch's quick_select_template, step for step."""
    def swap(a, b):
        values[a], values[b] = values[b], values[a]
        order[a], order[b] = order[b], order[a]
    low, high = 0, len(values) - 1
    while high > low:
        if high == low + 1:
            if _greater_or_nan(values[low], values[high]):
                swap(low, high)
            return
        swap(low + (high - low) // 2, low + 1)  # median of three as the pivot, at ``low``
        if _greater_or_nan(values[low + 1], values[high]):
            swap(low + 1, high)
        if _greater_or_nan(values[low], values[high]):
            swap(low, high)
        if _greater_or_nan(values[low + 1], values[low]):
            swap(low + 1, low)
        i, j, pivot = low + 1, high, values[low]
        while True:
            i += 1
            while _greater_or_nan(pivot, values[i]):
                i += 1
            j -= 1
            while _greater_or_nan(values[j], pivot):
                j -= 1
            if j < i:
                break
            swap(i, j)
        swap(low, j)
        if j <= k:
            low = i
        if j >= k:
            high = j - 1


def _selected(input, dim, keepdim, position, node_cls, name):
    data = input._data
    xp = array_module(data)
    axis = _wrap_dim(dim, data.ndim)
    if data.ndim == 0:
        values, indices = data.copy(), xp.zeros((), dtype=np.int64)
    else:
        pick = _median_along if name == "median" else _kth_along
        values, indices = pick(data, axis, position)
        values = values if keepdim else values.squeeze(axis)
        indices = xp.expand_dims(indices, axis) if keepdim else indices
    out = wrap(dense(values))
    index_tensor = wrap(xp.asarray(indices, dtype=np.int64))
    if recording(input):
        record(node_cls, out, (input,), (axis, save(index_tensor), keepdim, data.shape))
    return RETURN_TYPES[name](out, index_tensor)


@op("Reductions")
def median(input, dim=None, keepdim=False):
    """The lower median; with ``dim``, ``(values, indices)``. NaN anywhere gives NaN."""
    data = input._data
    if dim is None:
        if data.size == 0:
            return wrap(array_module(data).asarray(np.nan, dtype=data.dtype))
        flat = data.reshape(-1)
        value, _ = _median_along(flat, 0, (flat.size - 1) // 2)
        out = wrap(array_module(data).asarray(value.reshape(())))
        if recording(input):
            record(MedianBackward0, out, (input,), (save_result(out), save(input)))
        return out
    size = data.shape[_wrap_dim(dim, data.ndim)] if data.ndim else 1
    return _selected(input, dim, keepdim, (size - 1) // 2, MedianBackward1, "median")


@op("Reductions")
def kthvalue(input, k, dim=-1, keepdim=False):
    axis = _wrap_dim(dim, input._data.ndim)
    size = input._data.shape[axis] if input._data.ndim else 1
    if not 1 <= k <= size:
        raise RuntimeError(f"kthvalue(): selected number k out of range for dimension {axis}")
    return _selected(input, dim, keepdim, k - 1, KthvalueBackward0, "kthvalue")
