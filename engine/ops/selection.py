"""Picking and lining up elements: nonzero, argwhere, count_nonzero, masked_select,
and the broadcasting helpers broadcast_to, broadcast_tensors and meshgrid.

masked_select's gradient goes back to the selected positions (the rest get
zero); the broadcasting helpers are expands (views), as in PyTorch.
"""
import warnings

import numpy as np

from ..autograd.node import Node
from ..backend import array_module
from ..tensor import Tensor
from .indexing import index_put
from .reduction import normalize_dims
from .registry import check_broadcast, op, record, recording, save, wrap
from .views import expand, reshape


def _broadcast(*shapes):
    """The common shape of ``shapes``, with PyTorch's error when they do not broadcast."""
    result = ()
    for shape in shapes:
        if shape != result:
            check_broadcast(result, shape) if len(result) >= len(shape) else \
                check_broadcast(shape, result)
            result = tuple(np.broadcast_shapes(result, shape))
    return result


# ---------------------------------------------------------- nonzero family
@op("Indexing")
def nonzero(input, *, as_tuple=False):
    positions = array_module(input._data).nonzero(input._data)
    if as_tuple:
        if input._data.ndim == 0:
            return (wrap(np.zeros(int(bool(input._data)), dtype=np.int64)),)
        return tuple(wrap(p.astype(np.int64)) for p in positions)
    if input._data.ndim == 0:
        return wrap(np.zeros((int(bool(input._data)), 0), dtype=np.int64))
    return wrap(np.stack(positions, axis=1).astype(np.int64).reshape(-1, input._data.ndim))


@op("Indexing")
def argwhere(input):
    return nonzero(input)


@op("Reductions")
def count_nonzero(input, dim=None):
    dims = None if dim is None else normalize_dims(dim, input._data.ndim)
    counts = (input._data != 0).sum(axis=dims)
    return wrap(np.asarray(counts, dtype=np.int64))


# ------------------------------------------------------------ masked_select
class MaskedSelectBackward0(Node):
    __slots__ = ()
    saved_fields = ("mask", "self_sym_sizes")
    formula = "reads the masked elements: each gradient goes back to its position"

    def backward(self, grad):
        mask, sizes = self.saved(0), self._saved[1]
        shape = _broadcast(tuple(sizes), mask._data.shape)
        zeros = wrap(array_module(grad._data).zeros(shape, dtype=grad._data.dtype))
        full_mask = np.broadcast_to(mask._data, shape)
        return index_put(zeros, (full_mask,), grad)  # reduced to the input's shape by the engine


@op("Indexing")
def masked_select(input, mask):
    if mask._data.dtype != np.bool_:
        raise RuntimeError("masked_select: expected BoolTensor for mask")
    shape = _broadcast(input._data.shape, mask._data.shape)
    xp = array_module(input._data)
    values = xp.broadcast_to(input._data, shape)[xp.broadcast_to(mask._data, shape)]
    out = wrap(xp.ascontiguousarray(values))
    if recording(input):
        record(MaskedSelectBackward0, out, (input,), (save(mask), input._data.shape))
    return out


# -------------------------------------------------------------- broadcasting
@op("Shape")
def broadcast_to(input, size):
    return expand(input, tuple(size))


@op("Shape", method=False)
def broadcast_tensors(*tensors):
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    shape = _broadcast(*(t._data.shape for t in tensors))
    # Like PyTorch: an operand that already has the shape comes back as itself.
    return tuple(t if t._data.shape == shape else expand(t, shape) for t in tensors)


_MESHGRID_WARNING = (
    "torch.meshgrid: in an upcoming release, it will be required to pass the indexing argument. "
    "(Triggered internally at /__w/pytorch/pytorch/aten/src/ATen/native/TensorShape.cpp:4215.)")
_meshgrid_warned = False


@op("Shape", method=False)
def meshgrid(*tensors, indexing=None):
    """Grids from 1-D tensors: each a view, reshaped to lie along its own dim and expanded.
    Without ``indexing`` it is "ij" and PyTorch warns once per process."""
    global _meshgrid_warned
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    if indexing is None:
        if not _meshgrid_warned:
            _meshgrid_warned = True
            warnings.warn(_MESHGRID_WARNING, UserWarning, stacklevel=2)
        indexing = "ij"
    if indexing not in ("ij", "xy"):
        raise RuntimeError('torch.meshgrid: indexing must be one of "xy" or "ij", but received: '
                           f"{indexing}")
    for t in tensors:
        if not isinstance(t, Tensor) or t._data.ndim > 1:
            raise RuntimeError("torch.meshgrid: Expected 0D or 1D tensor in the tensor list")
    swap = indexing == "xy" and len(tensors) >= 2
    order = list(tensors)
    if swap:
        order[0], order[1] = order[1], order[0]
    shape = tuple(t._data.size for t in order)
    grids = []
    for position, t in enumerate(order):
        lined_up = [1] * len(order)
        lined_up[position] = -1
        grids.append(expand(reshape(t, lined_up), shape))
    if swap:
        grids[0], grids[1] = grids[1], grids[0]
    return tuple(grids)
