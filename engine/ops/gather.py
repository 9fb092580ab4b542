"""Selecting along a dim with an index tensor: gather, scatter, scatter_add,
index_select; and masked_fill.

Each backward is written with these same ops (gather's is a scatter_add and
the other way round), so gradients of gradients work.
"""
import numpy as np

from ..autograd.node import Node
from ..backend import array_module
from ..tensor import Tensor, _wrap_dim
from .comparison import NotImplementedBackward  # see NOTE [NotImplemented nodes] there
from .inplace import apply_inplace
from .registry import check_broadcast, method, op, record, recording, save, wrap
from .views import sizes_text

_DTYPE_NAMES = {"float32": "float", "float64": "double", "float16": "c10::Half", "int64": "long int",
                "int32": "int", "int16": "short int", "int8": "signed char", "uint8": "unsigned char",
                "bool": "bool"}


def _along(index, dim):
    """A numpy key that picks ``index[i, j, ...]`` along ``dim`` for every other position."""
    key = list(np.indices(index.shape, sparse=True)) if index.ndim else []
    if index.ndim:
        key[dim] = index
        return tuple(key)
    return (index,)


def _check_index(name, input, dim, index, other=None):
    """PyTorch's checks for gather / scatter: dtype, rank, sizes, range."""
    if index._data.dtype not in (np.int64, np.int32):
        raise RuntimeError(f"{name}(): Expected dtype int32/int64 for index")
    if index._data.ndim != input._data.ndim and not (index._data.ndim <= 1 and input._data.ndim <= 1):
        raise RuntimeError("Index tensor must have the same number of dimensions as "
                           f"{'input' if name == 'gather' else 'self'} tensor")
    for d, size in enumerate(index._data.shape):
        if d != dim and size > input._data.shape[d]:
            raise RuntimeError(
                f"Size does not match at dimension {d} expected index {sizes_text(index._data.shape)} to "
                f"be no larger than self {sizes_text(input._data.shape)} apart from dimension {dim}")
    size = input._data.shape[dim] if input._data.ndim else 1
    bad = index._data[(index._data >= size) | (index._data < -size)]
    if bad.size:
        raise RuntimeError(f"index {int(bad.reshape(-1)[0])} is out of bounds for dimension {dim} "
                           f"with size {size}")


# ----------------------------------------------------------------- gather
class GatherBackward0(Node):
    __slots__ = ()
    saved_fields = ("dim", "index", "self_sym_sizes", "sparse_grad")
    index_fields = ("index",)
    # each gradient is added back where it was read
    gradients = {"self": "scatter_add(new_zeros(grad, self_sym_sizes), dim, index, grad)"}


def gather_array(data, dim, index):
    return data[_along(index, dim)]


def scatter_add_array(data, dim, index, src):
    """``data`` with ``src`` added at ``index`` along ``dim`` (a new array)."""
    data = data.copy()
    window = tuple(slice(0, s) for s in index.shape)
    array_module(data).add.at(data, _along(index, dim), src[window].astype(data.dtype, copy=False))
    return data


def scatter_array(data, dim, index, src):
    """``data`` with ``src`` written at ``index`` along ``dim`` (a new array)."""
    data = data.copy()
    window = tuple(slice(0, s) for s in index.shape)
    data[_along(index, dim)] = src[window].astype(data.dtype, copy=False)
    return data


def scatter_number_array(data, dim, index, number):
    """``data`` with ``number`` written at ``index`` along ``dim`` (a new array)."""
    data = data.copy()
    data[_along(index, dim)] = number
    return data


def masked_fill_array(data, mask, number):
    xp = array_module(data)
    return xp.where(mask, xp.asarray(number, dtype=data.dtype), data)


@op("Indexing")
def gather(input, dim, index, *, sparse_grad=False):
    dim = _wrap_dim(dim, input._data.ndim)
    _check_index("gather", input, dim, index)
    out = wrap(gather_array(input._data, dim, index._data))
    if recording(input):
        record(GatherBackward0, out, (input,), (dim, save(index), input._data.shape, sparse_grad))
    return out


# ---------------------------------------------------------------- scatter
class ScatterBackward0(Node):
    __slots__ = ()
    saved_fields = ("dim", "index")
    index_fields = ("index",)
    # the written positions pass their gradient to src, not to self
    gradients = {"self": "scatter(grad, dim, index, 0)", "src": "gather(grad, dim, index)"}


class ScatterBackward1(Node):
    __slots__ = ()
    saved_fields = ("dim", "index")
    index_fields = ("index",)
    gradients = {"self": "scatter(grad, dim, index, 0)"}  # positions written with a number get none


@op("Indexing")
def scatter(input, dim, index, src=None, *, value=None, reduce=None):
    if src is None:
        src = value
    dim = _wrap_dim(dim, input._data.ndim)
    if reduce is not None:
        return _scatter_reduced(input, dim, index, src, reduce)
    _check_index("scatter", input, dim, index)
    if isinstance(src, Tensor):
        out = wrap(scatter_array(input._data, dim, index._data, src._data))
        if recording(input, src):
            record(ScatterBackward0, out, (input, src), (dim, save(index)))
        return out
    out = wrap(scatter_number_array(input._data, dim, index._data, src))
    if recording(input):
        record(ScatterBackward1, out, (input,), (dim, save(index)))
    return out


_REDUCERS = {"add": np.add, "multiply": np.multiply}


def _scatter_reduced(input, dim, index, src, reduce):
    """``scatter(..., reduce="add" | "multiply")``: values combined into place, one by one
    (a repeated index combines every value). PyTorch has no derivative for it: the
    result gets a NotImplemented node, and backward through it is an error."""
    if reduce not in _REDUCERS:
        raise RuntimeError("reduce argument must be either add or multiply.")
    _check_index("scatter", input, dim, index)
    data = input._data.copy()
    if isinstance(src, Tensor):
        window = tuple(slice(0, s) for s in index._data.shape)
        values = src._data[window].astype(data.dtype, copy=False)
    else:
        values = src
    _REDUCERS[reduce].at(data, _along(index._data, dim), values)
    out = wrap(data)
    # Like PyTorch's other NotImplemented nodes: edges only to the inputs that require grad.
    tensors = tuple(t for t in (input, src) if isinstance(t, Tensor) and t.requires_grad)
    if recording(*tensors):
        record(NotImplementedBackward, out, tensors, ("aten::scatter",))
    return out


@method("scatter_")
def scatter_(self, dim, index, src=None, *, value=None, reduce=None):
    return apply_inplace(self, lambda: scatter(self, dim, index, src, value=value, reduce=reduce))


class ScatterAddBackward0(Node):
    __slots__ = ()
    saved_fields = ("dim", "index")
    index_fields = ("index",)
    gradients = {"self": "grad", "src": "gather(grad, dim, index)"}


@op("Indexing")
def scatter_add(input, dim, index, src):
    dim = _wrap_dim(dim, input._data.ndim)
    _check_index("scatter", input, dim, index)
    out = wrap(scatter_add_array(input._data, dim, index._data, src._data))
    if recording(input, src):
        record(ScatterAddBackward0, out, (input, src), (dim, save(index)))
    return out


# ----------------------------------------------------------- index_select
class IndexSelectBackward0(Node):
    __slots__ = ()
    saved_fields = ("dim", "index", "self_sym_sizes")
    index_fields = ("index",)
    # each gradient slice is added back where it was picked
    gradients = {"self": "index_put(new_zeros(grad, self_sym_sizes), (None,) * dim + (index,), grad, True)"}


@op("Indexing")
def index_select(input, dim, index):
    dim = _wrap_dim(dim, input._data.ndim)
    if index._data.ndim > 1:
        raise IndexError("index_select(): Index is supposed to be a vector")
    if index._data.dtype not in (np.int64, np.int32):
        raise RuntimeError("index_select(): Expected dtype int32 or int64 for index")
    size = input._data.shape[dim] if input._data.ndim else 1
    flat = index._data.reshape(-1)
    if flat.size and (flat.max() >= size or flat.min() < -size):
        raise IndexError("index out of range in self")
    out = wrap(array_module(input._data).take(input._data, flat, axis=dim))
    if recording(input):
        record(IndexSelectBackward0, out, (input,), (dim, save(index), input._data.shape))
    return out


# ------------------------------------------------------------ masked_fill
class MaskedFillBackward0(Node):
    __slots__ = ()
    saved_fields = ("mask",)
    gradients = {"self": "masked_fill(grad, mask, 0)"}  # filled positions are constants


class MaskedFillBackward1(Node):
    __slots__ = ()
    saved_fields = ("mask",)
    # filled with a 0-d tensor: it gets the sum of the filled positions' gradients
    gradients = {"self": "masked_fill(grad, mask, 0)", "value": "sum_all(grad * as_dtype(mask, grad))"}


@op("Indexing", shape="broadcast")
def masked_fill(input, mask, value):
    if mask._data.dtype != np.bool_:
        raise RuntimeError(f"masked_fill_ only supports boolean masks, but got mask with dtype "
                           f"{_DTYPE_NAMES.get(mask.dtype.name, mask.dtype.name)}")
    if mask._data.shape != input._data.shape:
        check_broadcast(mask._data.shape, input._data.shape)  # PyTorch's words, not numpy's
    fill = value._data if isinstance(value, Tensor) else value
    if isinstance(value, Tensor) and value._data.ndim:
        raise RuntimeError(
            "masked_fill_ only supports a 0-dimensional value tensor, but got tensor with "
            f"{value._data.ndim} dimension(s).")
    out = wrap(masked_fill_array(input._data, mask._data, fill))
    if isinstance(value, Tensor) and value.requires_grad and recording(input, value):
        record(MaskedFillBackward1, out, (input, value), (save(mask),))
    elif recording(input):
        record(MaskedFillBackward0, out, (input,), (save(mask),))
    return out


@method("masked_fill_")
def masked_fill_(self, mask, value):
    return apply_inplace(self, lambda: masked_fill(self, mask, value))
