"""Reductions: sum and mean (more in sibling modules), and ``sum_to``.

``sum_to`` is the one unbroadcast helper: the engine applies it to every
gradient whose shape differs from its input's (PyTorch's engine does the same
in ``validate_outputs``), so binary backward formulas never reduce by hand.
"""
import numpy as np

from .. import dtypes
from ..autograd.grad_mode import STATE
from ..autograd.node import Node
from ..backend import array_module
from ..tensor import Tensor
from .registry import op, record, record1, recording, wrap

_ndarray = np.ndarray
_sum_reduce = np.add.reduce


def normalize_dims(dim, ndim):
    """``dim`` (int, tuple, list or None) as a sorted tuple of non-negative ints."""
    if dim is None:
        return tuple(range(ndim))
    if isinstance(dim, int):
        dim = (dim,)
    n = max(ndim, 1)
    out = []
    for d in dim:
        if not -n <= d < n:
            raise IndexError(
                f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {d})")
        d %= n
        if d in out:
            raise RuntimeError(f"dim {d} appears multiple times in the list of dims")
        out.append(d)
    return tuple(sorted(out)) if ndim else ()


def expand_reduced(grad, input_shape, dims, keepdim):
    """Bring a reduced gradient back to ``input_shape`` (unsqueeze the lost dims, expand)."""
    if not keepdim and input_shape:
        for d in dims:
            grad = grad.unsqueeze(d)
    return grad.expand(input_shape)


def expand_reduced_array(data, input_shape, dims, keepdim):
    """``expand_reduced`` for a bare array (a read-only view, as ``expand`` gives)."""
    if not keepdim and input_shape:
        for d in dims:
            data = array_module(data).expand_dims(data, d)
    return array_module(data).broadcast_to(data, input_shape)


def sum_to(grad, shape):
    """Sum ``grad`` over broadcast dimensions so it has ``shape``."""
    grad_shape = grad._data.shape
    if grad_shape == shape:
        return grad
    if grad._grad_fn is None and not grad._requires_grad:
        # Nothing to record (a backward without create_graph): the same sum on the
        # array, without the two tensor ops.
        return wrap(sum_to_array(grad._data, shape))
    dims = _broadcast_dims(grad_shape, shape)
    if dims:
        grad = grad.sum(dims, keepdim=True)
    if len(grad_shape) > len(shape):
        grad = grad.view(shape)
    return grad


def sum_to_array(data, shape):
    """``sum_to`` for a bare array. Summed without keepdims, so that for the usual
    broadcast (leading dims only) the result is a fresh array, not a view of one:
    a leaf can then keep it as its ``.grad`` without a copy."""
    dims = _broadcast_dims(data.shape, shape)
    if dims:
        dtype = _SUM_DTYPES.get(data.dtype.kind, data.dtype)
        # np.add.reduce is what ndarray.sum calls, without its Python wrapper.
        data = np.add.reduce(data, axis=dims, dtype=dtype) if type(data) is np.ndarray else \
            data.sum(axis=dims, dtype=dtype)
    return data if data.shape == shape else data.reshape(shape)


def _broadcast_dims(grad_shape, shape):
    """The dims of ``grad_shape`` that broadcasting added or stretched from size 1."""
    lead = len(grad_shape) - len(shape)
    return tuple(range(lead)) + tuple(
        i + lead for i, size in enumerate(shape) if size == 1 and grad_shape[i + lead] != 1)


_SUM_DTYPES = {"b": dtypes.int64.numpy, "i": dtypes.int64.numpy, "u": dtypes.int64.numpy}


def _sum_dtype(input, dtype):
    if dtype is not None:
        return dtypes.to_numpy(dtype)
    if input._data.dtype.kind in "biu":
        return dtypes.int64.numpy
    return input._data.dtype


class SumBackward0(Node):
    __slots__ = ()
    saved_fields = ("self_sym_sizes",)
    gradients = {"self": "expand(grad, self_sym_sizes)"}
    local = {"self": "1"}  # every element gets the whole gradient


class SumBackward1(Node):
    __slots__ = ()
    saved_fields = ("dim", "keepdim", "self_sym_sizes")
    gradients = {"self": "expand_reduced(grad, self_sym_sizes, dim, keepdim)"}
    local = {"self": "1"}


@op("Reductions", arity=1, basic=True)
def sum(input, dim=None, keepdim=False, *, dtype=None):
    data = input._data
    if dim is None and dtype is None and type(data) is _ndarray and data.dtype.kind == "f":
        # The whole sum of a float array, the common case: the ufunc's own reduction
        # (``ndarray.sum`` is a Python wrapper of it) into a fresh 0-d array.
        out = Tensor._make(_sum_reduce(data, None, None, np.empty((), data.dtype)))
        if STATE.enabled and (input._grad_fn is not None or input._requires_grad):
            record1(SumBackward0, out, input, (data.shape,))
        return out
    xp_dtype = _sum_dtype(input, dtype)
    if dim is None:
        out = wrap(input._data.sum(dtype=xp_dtype).reshape(()))
        if recording(input):
            record(SumBackward0, out, (input,), (input._data.shape,))
        return out
    dims = normalize_dims(dim, input._data.ndim)
    data = input._data.sum(axis=dims, keepdims=keepdim, dtype=xp_dtype) if dims else \
        input._data.astype(xp_dtype, copy=True)
    out = wrap(data.reshape(data.shape))
    if recording(input):
        saved_dim = tuple(dim) if isinstance(dim, (list, tuple)) else (dim,)
        record(SumBackward1, out, (input,), (saved_dim, keepdim, input._data.shape))
    return out


class MeanBackward0(Node):
    __slots__ = ()
    saved_fields = ("self_sym_numel", "self_sym_sizes")
    # divided by a Scalar (DivBackward1), as PyTorch's mean backward divides
    gradients = {"self": "div_scalar(expand(grad, self_sym_sizes), self_sym_numel)"}
    local = {"self": "1 / self_sym_numel"}


class MeanBackward1(Node):
    __slots__ = ()
    saved_fields = ("dim", "keepdim", "self_sym_numel", "self_sym_sizes")
    gradients = {"self": "div_scalar(expand_reduced(grad, self_sym_sizes, dim, keepdim), "
                         "reduced_count(self_sym_sizes, dim))"}


def _check_mean_dtype(input, dtype):
    kind = (dtypes.to_numpy(dtype) if dtype is not None else input._data.dtype).kind
    if kind != "f":
        name = (dtype or input.dtype).name
        names = {"int64": "Long", "int32": "Int", "bool": "Bool", "int16": "Short",
                 "int8": "Char", "uint8": "Byte"}
        raise RuntimeError(
            "mean(): could not infer output dtype. Input dtype must be either a floating point "
            f"or complex dtype. Got: {names.get(name, name)}")


def _mean_of_nothing(input, dim, keepdim, np_dtype):
    """The mean of an empty tensor: sum / count with a count of 0 is nan, silently as in
    PyTorch (numpy's mean would warn "Mean of empty slice"). Recorded like any mean."""
    data = input._data
    dims = None if dim is None else normalize_dims(dim, data.ndim)
    count = data.size if dims is None else int(np.prod([data.shape[d] for d in dims]))
    total = data.sum(axis=dims, keepdims=keepdim and dims is not None, dtype=np_dtype)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = wrap(np.asarray(total / count if count else total * np.nan).astype(np_dtype))
    if recording(input):
        if dim is None:
            record(MeanBackward0, out, (input,), (data.size, data.shape))
        else:
            saved_dim = tuple(dim) if isinstance(dim, (list, tuple)) else (dim,)
            record(MeanBackward1, out, (input,), (saved_dim, keepdim, data.size, data.shape))
    return out


@op("Reductions", arity=1, basic=True)
def mean(input, dim=None, keepdim=False, *, dtype=None):
    data = input._data
    if dim is None and dtype is None and type(data) is _ndarray and data.dtype.kind == "f" \
            and data.size:
        # The whole mean of a float array, the common case, computed as ``ndarray.mean``
        # computes it (a sum in the array's dtype, divided by the count as an intp,
        # cast back) without its Python wrapper.
        total = _sum_reduce(data, None, data.dtype)
        out = Tensor._make(np.asarray(total.dtype.type(total / np.intp(data.size))))
        if STATE.enabled and (input._grad_fn is not None or input._requires_grad):
            record1(MeanBackward0, out, input, (data.size, data.shape))
        return out
    _check_mean_dtype(input, dtype)
    np_dtype = dtypes.to_numpy(dtype) or input._data.dtype
    if input._data.size == 0:
        return _mean_of_nothing(input, dim, keepdim, np_dtype)
    if dim is None:
        out = wrap(input._data.mean(dtype=np_dtype).astype(np_dtype).reshape(()))
        if recording(input):
            record(MeanBackward0, out, (input,), (input._data.size, input._data.shape))
        return out
    dims = normalize_dims(dim, input._data.ndim)
    data = input._data.mean(axis=dims, keepdims=keepdim, dtype=np_dtype).astype(np_dtype)
    out = wrap(data.reshape(data.shape))
    if recording(input):
        saved_dim = tuple(dim) if isinstance(dim, (list, tuple)) else (dim,)
        record(MeanBackward1, out, (input,), (saved_dim, keepdim, input._data.size,
                                              input._data.shape))
    return out
