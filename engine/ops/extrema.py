"""Extremes: max, min (with or without a dim), amax, amin, argmax, argmin.

The gradient of an extreme goes to the element(s) that attained it: ``max()``
and ``amax`` share it evenly among ties, ``max(dim)`` gives it to the index it
returned, as PyTorch does. The selecting masks are constants in backward.
"""
import numpy as np

from ..autograd.node import Node
from ..backend import array_module
from ..tensor import Tensor
from .reduction import expand_reduced_array, normalize_dims, saved_dims
from .registry import FUNCTIONS, op, record, recording, save, save_result, wrap


class _ReturnType(tuple):
    """A ``(values, indices)`` pair printed like ``torch.return_types.max``."""

    __slots__ = ()
    n_fields = 2
    n_sequence_fields = 2

    def __new__(cls, values, indices):
        return tuple.__new__(cls, (values, indices))

    @property
    def values(self):
        return self[0]

    @property
    def indices(self):
        return self[1]

    def __repr__(self):
        return (f"torch.return_types.{type(self).__name__}(\nvalues={self[0]!r},\n"
                f"indices={self[1]!r})")


def _return_type(name):
    return type(name, (_ReturnType,), {"__slots__": (), "__module__": "torch.return_types"})


RETURN_TYPES = {name: _return_type(name) for name in ("max", "min")}


class MaxBackward1(Node):
    __slots__ = ()
    saved_fields = ("result", "self")
    # the gradient goes to the largest element, shared evenly among ties
    gradients = {"self": "grad * peak_share(self, result)"}


class MinBackward1(MaxBackward1):
    __slots__ = ()


def peak_share_array(input, result):
    """Each element's share of a full max's (or min's) gradient: 1/k at the k ties, else 0.
    A NaN maximum (max propagates NaN) is attained by the NaN elements, as in PyTorch."""
    xp = array_module(input)
    mask = (input == result) | (xp.isnan(input) & xp.isnan(result))
    return (mask / mask.sum()).astype(input.dtype)


def peaks_share_array(input, result, dim, keepdim):
    """``peak_share_array`` along ``dim``: amax/amin share among the ties of each slice."""
    dims = normalize_dims(dim, input.ndim)
    mask = input == expand_reduced_array(result, input.shape, dims, keepdim)
    with np.errstate(invalid="ignore"):  # a NaN peak matches nothing: 0/0, nan, as PyTorch
        return (mask / mask.sum(axis=dims, keepdims=True)).astype(input.dtype)


def picked_array(indices, dim, keepdim, sizes, like):
    """1 at the index max(dim) (or min) returned, 0 elsewhere, in ``like``'s dtype."""
    xp = array_module(like)
    picked = indices if keepdim else xp.expand_dims(indices, dim)
    positions = xp.arange(sizes[dim]).reshape((-1,) + (1,) * (len(sizes) - dim - 1))
    return (positions == picked).astype(like.dtype)


class MaxBackward0(Node):
    __slots__ = ()
    saved_fields = ("dim", "indices", "keepdim", "self_sym_sizes")
    index_fields = ("indices",)
    # the gradient goes to the index that was returned
    gradients = {"self": "expand_reduced(grad, self_sym_sizes, dim, keepdim) "
                         "* picked(indices, dim, keepdim, self_sym_sizes, grad)"}


class MinBackward0(MaxBackward0):
    __slots__ = ()


def _extreme(input, dim, keepdim, largest, name):
    if isinstance(dim, Tensor):
        return FUNCTIONS["maximum" if largest else "minimum"](input, dim)
    xp = array_module(input._data)
    data = input._data
    if dim is None:
        if data.size == 0:
            raise RuntimeError(
                f"{name}(): Expected reduction dim to be specified for input.numel() == 0. Specify "
                "the reduction dim with the 'dim' argument.")
        out = wrap(xp.asarray(data.max() if largest else data.min()))
        if recording(input):
            node_cls = MaxBackward1 if largest else MinBackward1
            record(node_cls, out, (input,), (save_result(out), save(input)))
        return out
    (axis,) = normalize_dims(dim, data.ndim) or (0,)
    _check_reduced_size(data, axis, name)
    if data.ndim == 0:
        values, indices = data.copy(), xp.asarray(0)
    else:
        indices = data.argmax(axis=axis) if largest else data.argmin(axis=axis)
        values = xp.take_along_axis(data, xp.expand_dims(indices, axis), axis=axis)
        values = values if keepdim else values.squeeze(axis)
        indices = xp.expand_dims(indices, axis) if keepdim else indices
    out = wrap(xp.asarray(values))
    if recording(input) and data.ndim:
        node_cls = MaxBackward0 if largest else MinBackward0
        record(node_cls, out, (input,), (axis, save(wrap(indices)), keepdim, data.shape))
    return RETURN_TYPES[name](out, wrap(xp.asarray(indices, dtype=xp.int64)))


@op("Reductions", arity=1, basic=True)
def max(input, dim=None, keepdim=False):
    return _extreme(input, dim, keepdim, True, "max")


@op("Reductions")
def min(input, dim=None, keepdim=False):
    return _extreme(input, dim, keepdim, False, "min")


class AmaxBackward0(Node):
    __slots__ = ()
    saved_fields = ("dim", "keepdim", "result", "self")
    # the gradient goes to the largest elements, shared evenly among ties
    gradients = {"self": "expand_reduced(grad, shape_of(self), dim or None, keepdim) "
                         "* peaks_share(self, result, dim or None, keepdim)"}


class AminBackward0(AmaxBackward0):
    __slots__ = ()


def _amax(input, dim, keepdim, largest):
    name = "amax" if largest else "amin"
    if dim in ((), []) and input._data.size == 0:
        raise RuntimeError(
            f"{name}(): Expected reduction dim to be specified for input.numel() == 0. Specify "
            "the reduction dim with the 'dim' argument.")
    dims = normalize_dims(dim if dim not in ((), []) else None, input._data.ndim)
    for axis in dims:
        _check_reduced_size(input._data, axis, name)
    xp = array_module(input._data)
    data = input._data.max(axis=dims, keepdims=keepdim) if largest else \
        input._data.min(axis=dims, keepdims=keepdim)
    out = wrap(xp.asarray(data))
    if recording(input):
        node_cls = AmaxBackward0 if largest else AminBackward0
        record(node_cls, out, (input,), (saved_dims(dim), keepdim, save_result(out),
                                         save(input)))
    return out


@op("Reductions")
def amax(input, dim=(), keepdim=False):
    return _amax(input, dim, keepdim, True)


@op("Reductions")
def amin(input, dim=(), keepdim=False):
    return _amax(input, dim, keepdim, False)


def _arg(input, dim, keepdim, largest):
    xp = array_module(input._data)
    data = input._data
    if dim is None:
        if data.size == 0:
            raise IndexError(
                f"{'argmax' if largest else 'argmin'}(): Expected reduction dim to be specified "
                "for input.numel() == 0.")
        flat = data.reshape(-1)
        index = flat.argmax() if largest else flat.argmin()
        shape = (1,) * data.ndim if keepdim else ()
        return wrap(xp.asarray(index, dtype=xp.int64).reshape(shape))
    (axis,) = normalize_dims(dim, data.ndim) or (0,)
    _check_reduced_size(data, axis, "argmax" if largest else "argmin")
    if data.ndim == 0:
        return wrap(xp.asarray(0, dtype=xp.int64))
    index = data.argmax(axis=axis, keepdims=keepdim) if largest else \
        data.argmin(axis=axis, keepdims=keepdim)
    return wrap(xp.asarray(index, dtype=xp.int64))


def _check_reduced_size(data, axis, name):
    """PyTorch's error for an extreme along an empty dim (numpy's would name argmax)."""
    if data.ndim and data.shape[axis] == 0:
        raise IndexError(f"{name}(): Expected reduction dim {axis} to have non-zero size.")


@op("Reductions")
def argmax(input, dim=None, keepdim=False):
    return _arg(input, dim, keepdim, True)


@op("Reductions")
def argmin(input, dim=None, keepdim=False):
    return _arg(input, dim, keepdim, False)
