"""Indexing: ``tensor[...]``, select, narrow, and the advanced ``index`` / ``index_put``.

``__getitem__`` follows PyTorch's ``applySlicing``: it walks the index left to
right and applies one view op per entry (``select`` for an int, ``slice`` for
a slice, ``unsqueeze`` for None), so ``x[0, 1:]`` records SliceBackward0 on
top of SelectBackward0 exactly as PyTorch does. Integer tensors, lists and
bool masks are collected on the way and applied at the end by one ``index``
(IndexBackward0), whose result is a copy, not a view.

Assignment (``__setitem__``) lives in ``setitem.py``; gather, scatter,
index_select and masked_fill in ``gather.py``.
"""
import numpy as np

from ..autograd.node import Node
from ..backend import array_module
from ..tensor import Tensor, _wrap_dim
from .registry import method, op, record, recording, wrap
from .views import make_view, sizes_text, unsqueeze


# ---------------------------------------------------------------- select
def take_view(data, dim, index):
    """``data`` at ``index`` along ``dim`` as an array view (an int key gives numpy scalars at 0-d)."""
    window = data[(slice(None),) * dim + (slice(index, index + 1),)]
    return window.squeeze(dim)


class SelectBackward0(Node):
    __slots__ = ()
    saved_fields = ("dim", "index", "self_sym_sizes")
    gradients = {"self": "select_backward(grad, self_sym_sizes, dim, index)"}


class SelectBackwardBackward0(Node):
    __slots__ = ()
    saved_fields = ("dim", "index")
    gradients = {"grad_output": "select(grad, dim, index)"}


def select_backward_array(grad, sizes, dim, index):
    data = array_module(grad).zeros(sizes, dtype=grad.dtype)
    data[(slice(None),) * dim + (index,)] = grad
    return data


def select_backward(grad, sizes, dim, index):
    """Zeros of ``sizes`` with ``grad`` written at ``index`` along ``dim`` (differentiable)."""
    out = wrap(select_backward_array(grad._data, sizes, dim, index))
    if recording(grad):
        record(SelectBackwardBackward0, out, (grad,), (dim, index))
    return out


def _select(input, dim, index, message_dim=None):
    """``input.select(dim, index)``; ``message_dim`` switches to the error text of ``x[i]``."""
    size = input._data.shape[dim]
    if not -size <= index < size:
        if message_dim is not None:
            raise IndexError(
                f"index {index} is out of bounds for dimension {message_dim} with size {size}")
        raise IndexError(
            f"select(): index {index} out of range for tensor of size "
            f"{sizes_text(input._data.shape)} at dimension {dim}")
    index = index % size
    out = make_view(input, take_view(input._data, dim, index))
    if recording(input):
        record(SelectBackward0, out, (input,), (dim, index, input._data.shape))
    return out


@op("Indexing")
def select(input, dim, index):
    if input._data.ndim == 0:
        raise IndexError("select() cannot be applied to a 0-dim tensor.")
    return _select(input, _wrap_dim(dim, input._data.ndim), int(index))


# ----------------------------------------------------------------- slice
class SliceBackward0(Node):
    __slots__ = ()
    saved_fields = ("dim", "end", "self_sym_sizes", "start", "step")
    gradients = {"self": "slice_backward(grad, self_sym_sizes, dim, start, end, step)"}


class SliceBackwardBackward0(Node):
    __slots__ = ()
    saved_fields = ("dim", "end", "start", "step")
    gradients = {"grad_output": "slice_dim(grad, dim, start, end, step)"}


def slice_backward_array(grad, sizes, dim, start, end, step):
    data = array_module(grad).zeros(sizes, dtype=grad.dtype)
    data[(slice(None),) * dim + (slice(start, end, step),)] = grad
    return data


def slice_backward(grad, sizes, dim, start, end, step):
    """Zeros of ``sizes`` with ``grad`` written over ``start:end:step`` of ``dim``."""
    out = wrap(slice_backward_array(grad._data, sizes, dim, start, end, step))
    if recording(grad):
        record(SliceBackwardBackward0, out, (grad,), (dim, end, start, step))
    return out


def slice_dim(input, dim, start, end, step=1):
    """``input[..., start:end:step]`` along ``dim`` as a view (PyTorch's ``aten::slice``)."""
    if step <= 0:
        raise ValueError("step must be greater than zero")
    size = input._data.shape[dim]
    start, end, _ = slice(start, end, step).indices(size)
    end = max(end, start)
    out = make_view(input, input._data[(slice(None),) * dim + (slice(start, end, step),)])
    if recording(input):
        record(SliceBackward0, out, (input,), (dim, end, input._data.shape, start, step))
    return out


@op("Indexing")
def narrow(input, dim, start, length):
    dim = _wrap_dim(dim, input._data.ndim)
    size = input._data.shape[dim]
    if start < 0:
        start += size
    if start + length > size:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size ({size}).")
    return slice_dim(input, dim, start, start + length)


# ----------------------------------------------------------------- alias
class AliasBackward0(Node):
    __slots__ = ()
    gradients = {"self": "grad"}  # the same values under a new name


def alias(input):
    out = make_view(input, input._data.view())
    if recording(input):
        record(AliasBackward0, out, (input,))
    return out


# ----------------------------------------------------- advanced indexing
def numpy_key(data_shape, indices):
    """The numpy index for PyTorch's ``indices`` (None or an integer array per dim).

    Bool masks become integer arrays, one per masked dim (``nonzero``), as
    PyTorch expands them; out-of-range entries raise PyTorch's IndexError.
    """
    key = []
    dim = 0
    for index in indices:
        if index is None:
            key.append(slice(None))
            dim += 1
            continue
        if index.dtype.kind == "b":
            mask_shape = data_shape[dim:dim + index.ndim]
            for k, (m, s) in enumerate(zip(index.shape, mask_shape, strict=True)):
                if m != s:
                    raise IndexError(
                        f"The shape of the mask {sizes_text(index.shape)} at index {k} does not "
                        f"match the shape of the indexed tensor {sizes_text(data_shape)} at index "
                        f"{dim + k}")
            key.extend(array_module(index).nonzero(index))
            dim += index.ndim
            continue
        size = data_shape[dim]
        bad = index[(index >= size) | (index < -size)]
        if bad.size:
            raise IndexError(
                f"index {int(bad.reshape(-1)[0])} is out of bounds for dimension {dim} with size "
                f"{size}")
        key.append(index)
        dim += 1
    return tuple(key)


class IndexBackward0(Node):
    __slots__ = ()
    saved_fields = ("indices", "self_sym_sizes")
    # each gradient is added back at its source
    gradients = {"self": "index_put(new_zeros(grad, self_sym_sizes), indices, grad, True)"}


def index_array(data, indices):
    return data[numpy_key(data.shape, indices)]


def index(input, indices):
    """``input[indices]`` where ``indices`` holds None or an integer / bool array per dim."""
    out = wrap(index_array(input._data, indices))
    if recording(input):
        record(IndexBackward0, out, (input,), (tuple(indices), input._data.shape))
    return out


class IndexPutBackward0(Node):
    __slots__ = ()
    saved_fields = ("accumulate", "indices")
    # the written positions get the values' gradient (and, unless accumulating, none of their own)
    gradients = {"self": "grad if accumulate else index_put(grad, indices, new_zeros(grad, ()), False)",
                 "values": "index(grad, indices)"}


def _index_arrays(indices):
    """PyTorch's ``index_put`` takes a tuple of tensors (None skips a dim)."""
    return tuple(None if i is None else (i._data if isinstance(i, Tensor) else np.asarray(i))
                 for i in indices)


def index_put_array(data, indices, values, accumulate):
    """A copy of ``data`` with ``values`` written (or added) at ``indices`` (arrays or None)."""
    key = numpy_key(data.shape, indices)
    data = data.copy()
    source = values.astype(data.dtype, copy=False)
    if accumulate:
        array_module(data).add.at(data, key, source)
    else:
        data[key] = source
    return data


@op("Indexing")
def index_put(input, indices, values, accumulate=False):
    """Out of place: a copy of ``input`` with ``values`` written (or added) at ``indices``."""
    indices = _index_arrays(indices)
    out = wrap(index_put_array(input._data, indices, values._data, accumulate))
    if recording(input, values):
        record(IndexPutBackward0, out, (input, values), (accumulate, indices))
    return out


# ----------------------------------------------------------- __getitem__
_INVALID_INDEX = ("only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables "
                  "are valid indices (got {})")


def _as_index_array(obj):
    """A list / tensor index as an integer or bool array (PyTorch's checks)."""
    data = obj._data if isinstance(obj, Tensor) else np.asarray(obj)
    if data.dtype.kind == "f" or data.dtype.kind not in "biu":
        if isinstance(obj, Tensor):
            raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
        raise IndexError(_INVALID_INDEX.format(type(obj).__name__))
    if data.dtype == np.uint8:
        data = data.astype(bool)
    return data


def _specified_dims(entries):
    count = 0
    for obj in entries:
        if obj is None or obj is Ellipsis or isinstance(obj, bool):
            continue
        if isinstance(obj, Tensor) and obj._data.dtype.kind == "b":
            count += obj._data.ndim
        else:
            count += 1
    return count


@method("__getitem__")
def getitem(self, key):
    # PyTorch's fast paths for a single entry come first: ``x[:]`` records a
    # SliceBackward0 and ``x[...]`` an AliasBackward0 instead of returning x.
    if key is None:
        return unsqueeze(self, 0)
    if key is Ellipsis:
        return alias(self)
    if isinstance(key, int) and not isinstance(key, bool):
        if self._data.ndim == 0:
            raise IndexError(
                "invalid index of a 0-dim tensor. Use `tensor.item()` in Python or "
                "`tensor.item<T>()` in C++ to convert a 0-dim tensor to a number")
        return _select(self, 0, key, message_dim=0)
    if isinstance(key, slice):
        if self._data.ndim == 0:
            raise IndexError("invalid index of a 0-dim tensor. Use `tensor.item()` in Python or "
                             "`tensor.item<T>()` in C++ to convert a 0-dim tensor to a number")
        return slice_dim(self, 0, key.start, key.stop, 1 if key.step is None else key.step)
    result, advanced = apply_slicing(self, key)
    if not advanced:
        return alias(result) if result is self else result
    return index(result, advanced)


def index_entries(key):
    """The index as a tuple of entries (a list of ints is one tensor-like entry)."""
    if isinstance(key, tuple):
        return key
    if isinstance(key, list) and any(k is None or k is Ellipsis or isinstance(k, slice) for k in key):
        return tuple(key)
    return (key,)


def apply_slicing(self, key):
    """Apply the basic entries of ``key`` as views; return (view, advanced indices or None).

    The advanced indices list holds None or an array per dim of the view.
    """
    entries = index_entries(key)
    ndim = self._data.ndim
    specified = _specified_dims(entries)
    if specified > ndim:
        raise IndexError(f"too many indices for tensor of dimension {ndim}")
    result = self
    dim = real_dim = 0
    advanced = {}
    for obj in entries:
        if obj is None:
            result = unsqueeze(result, dim)
            dim += 1
        elif obj is Ellipsis:
            dim += ndim - specified
            real_dim += ndim - specified
        elif isinstance(obj, bool):
            result = unsqueeze(result, dim)
            advanced[dim] = np.array([obj])
            dim += 1
        elif isinstance(obj, (int, np.integer)) or (
                isinstance(obj, Tensor) and obj._data.ndim == 0 and obj._data.dtype.kind in "iu"):
            result = _select(result, dim, int(obj), message_dim=real_dim)
            real_dim += 1
        elif isinstance(obj, slice):
            step = 1 if obj.step is None else obj.step
            size = result._data.shape[dim]
            start, stop, _ = slice(obj.start, obj.stop, step).indices(size) if step > 0 else (0, 0, 0)
            if not (start == 0 and stop == size and step == 1):  # a full slice is skipped
                result = slice_dim(result, dim, obj.start, obj.stop, step)
            dim += 1
            real_dim += 1
        elif isinstance(obj, (Tensor, list, tuple, np.ndarray)):
            array = _as_index_array(obj)
            if array.dtype.kind == "b" and array.ndim == 0:
                result = unsqueeze(result, dim)
                array = array.reshape(1)
            advanced[dim] = array
            width = array.ndim if array.dtype.kind == "b" else 1
            dim += width
            real_dim += width
        else:
            raise IndexError(_INVALID_INDEX.format(type(obj).__name__))
    if not advanced:
        return result, None
    last = max(d + (a.ndim if a.dtype.kind == "b" else 1) for d, a in advanced.items())
    indices = []
    d = 0
    while d < last:
        array = advanced.get(d)
        indices.append(array)
        d += array.ndim if array is not None and array.dtype.kind == "b" else 1
    return result, indices


def last_view_op(tensor, key):
    """The last view op (as PyTorch's errors name it) that ``tensor[key]`` makes before it
    writes, or None when the key makes no view (full slices, an Ellipsis, tensor indices only)."""
    entries = index_entries(key)
    shape = list(tensor._data.shape)
    skipped = len(shape) - _specified_dims(entries)  # the dims an Ellipsis stands for
    dim, op = 0, None  # dim: position in the view made so far, as apply_slicing counts it
    for entry in entries:
        if entry is None:
            shape.insert(dim, 1)
            dim, op = dim + 1, "Unsqueeze"
        elif entry is Ellipsis:
            dim += skipped
        elif isinstance(entry, (int, np.integer)) and not isinstance(entry, bool):
            shape.pop(dim)
            op = "Select"
        elif isinstance(entry, slice):
            start, stop, step = entry.indices(shape[dim])
            if not (start == 0 and stop == shape[dim] and step == 1):
                shape[dim] = len(range(start, stop, step))
                op = "Slice"
            dim += 1
        else:  # a tensor index: indexed (index_put) on the view made so far
            dim += 1
    return op
