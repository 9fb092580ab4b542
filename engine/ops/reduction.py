"""Reductions: sum, mean, prod, norm, all, any; the helpers every reduction shares
(``normalize_dims``, ``expand_reduced``, ``saved_dims``); and ``sum_to``.

The variance family is ``moments.py``, running sums and differences ``cumulative.py``,
extremes ``extrema.py`` and the softmax family ``softmax.py``.

Masks and signs that enter a backward formula are constants (their derivative is
zero almost everywhere), so they are wrapped as untracked tensors; everything else
is written with engine ops, so gradients of gradients work.

``sum_to`` is the one unbroadcast helper: the engine applies it to every
gradient whose shape differs from its input's (PyTorch's engine does the same
in ``validate_outputs``), so binary backward formulas never reduce by hand.
"""
import builtins
import math

import numpy as np

from .. import dtypes
from ..autograd.node import Node
from ..backend import array_module
from .registry import op, record, recorded, recording, save, save_result, wrap

_SCALAR_NAMES = {"float32": "Float", "float64": "Double", "float16": "Half", "int64": "Long",
                 "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool"}
_ndarray = np.ndarray
_sum_reduce = np.add.reduce
_max_reduce = np.maximum.reduce
_true_divide = np.true_divide


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


def saved_dims(dim):
    """``dim`` as PyTorch saves it on the node: a tuple (or None for all dims)."""
    if dim is None:
        return None
    return tuple(dim) if isinstance(dim, (list, tuple)) else (dim,)


def reduced_count(shape, dims):
    return math.prod(shape[d] for d in dims) if shape else 1





def constant(array, like):
    """A mask or sign array as an untracked tensor in ``like``'s dtype."""
    return wrap(array.astype(like._data.dtype))


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
        data = sum_array(data, dims)
    return data if data.shape == shape else data.reshape(shape)


def sum_array(data, axis=None, keepdims=False):
    """An array summed as the engine's ``sum`` sums it: integers and bools into int64,
    half precision in float32 and rounded once at the end (as PyTorch's kernels do: in
    float16, numpy would round at every step). For the array twins of formulas that sum."""
    dtype = data.dtype
    if dtype.kind != "f":
        dtype = _SUM_DTYPES.get(dtype.kind, dtype)
    elif dtype.itemsize == 2:  # accumulation_dtype's rule, told by size: comparing dtypes costs
        return data.sum(axis=axis, keepdims=keepdims, dtype=np.float32).astype(dtype)
    # np.add.reduce is what ndarray.sum calls, without its Python wrapper.
    if type(data) is np.ndarray:
        return np.add.reduce(data, axis, dtype, None, keepdims)
    return data.sum(axis=axis, keepdims=keepdims, dtype=dtype)


def _broadcast_dims(grad_shape, shape):
    """The dims of ``grad_shape`` that broadcasting added or stretched from size 1."""
    lead = len(grad_shape) - len(shape)
    return tuple(range(lead)) + tuple(
        i + lead for i, size in enumerate(shape) if size == 1 and grad_shape[i + lead] != 1)


_SUM_DTYPES = {"b": dtypes.int64.numpy, "i": dtypes.int64.numpy, "u": dtypes.int64.numpy}


def accumulation_dtype(dtype):
    """The dtype a reduction of ``dtype`` adds (or multiplies) in: float32 for half
    precision, rounded once at the end, as PyTorch's kernels do (in float16 numpy would
    round at every step); ``dtype`` itself otherwise."""
    return np.float32 if np.dtype(dtype) == np.float16 else dtype


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
    if dim is None and dtype is None and type(data) is _ndarray and data.dtype.kind == "f" \
            and data.dtype.itemsize >= 4:
        # The whole sum of a float array, the common case: the ufunc's own reduction
        # (``ndarray.sum`` is a Python wrapper of it) into a fresh 0-d array.
        return recorded(SumBackward0, _sum_reduce(data, None, None, np.empty((), data.dtype)),
                        input, (data.shape,))
    xp_dtype = _sum_dtype(input, dtype)
    wide = accumulation_dtype(xp_dtype)
    if dim is None:
        out = wrap(input._data.sum(dtype=wide).astype(xp_dtype, copy=False).reshape(()))
        if recording(input):
            record(SumBackward0, out, (input,), (input._data.shape,))
        return out
    dims = normalize_dims(dim, input._data.ndim)
    data = input._data.sum(axis=dims, keepdims=keepdim, dtype=wide).astype(xp_dtype, copy=False) \
        if dims else input._data.astype(xp_dtype, copy=True)
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
            and data.dtype.itemsize >= 4 and data.size:
        # The whole mean of a float array, the common case, computed as ``ndarray.mean``
        # computes it (a sum in the array's dtype, divided by the count as an intp,
        # cast back) without its Python wrapper, in one fresh 0-d array: no numpy
        # scalars on the way, which cost more than the arithmetic.
        total = _sum_reduce(data, None, None, np.empty((), data.dtype))
        return recorded(MeanBackward0, _true_divide(total, np.intp(data.size), total,
                                                    casting="unsafe"),
                        input, (data.size, data.shape))
    _check_mean_dtype(input, dtype)
    np_dtype = dtypes.to_numpy(dtype) or input._data.dtype
    if input._data.size == 0:
        return _mean_of_nothing(input, dim, keepdim, np_dtype)
    # Half precision is summed in float32, as PyTorch's kernels (and numpy's own default) do:
    # asked for float16 by name, numpy would sum in float16 and lose the last bits.
    accumulate = accumulation_dtype(np_dtype)
    if dim is None:
        out = wrap(input._data.mean(dtype=accumulate).astype(np_dtype).reshape(()))
        if recording(input):
            record(MeanBackward0, out, (input,), (input._data.size, input._data.shape))
        return out
    dims = normalize_dims(dim, input._data.ndim)
    data = input._data.mean(axis=dims, keepdims=keepdim, dtype=accumulate).astype(np_dtype)
    out = wrap(data.reshape(data.shape))
    if recording(input):
        saved_dim = tuple(dim) if isinstance(dim, (list, tuple)) else (dim,)
        record(MeanBackward1, out, (input,), (saved_dim, keepdim, input._data.size,
                                              input._data.shape))
    return out


# ------------------------------------------------------------------- prod
class ProdBackward0(Node):
    __slots__ = ()
    saved_fields = ("result", "self")
    formula = "∂(Πa)/∂aᵢ = Π of the other elements"

    def backward(self, grad):
        return _prod_backward(grad, self.saved(1), self.saved(0), None, False)


class ProdBackward1(Node):
    __slots__ = ()
    saved_fields = ("dim", "keepdim", "result", "self")
    formula = "∂(Π over dim)/∂aᵢ = Π of the other elements along dim"

    def backward(self, grad):
        dim, keepdim = self._saved[0], self._saved[1]
        return _prod_backward(grad, self.saved(3), self.saved(2), dim, keepdim)


def _prod_backward(grad, input, result, dim, keepdim):
    """``grad * result / input`` where no factor is zero; products of the others elsewhere.

    Where a zero occurs the others' product is computed directly from the
    values, as a constant: exact first derivatives, no second derivative there.
    """
    shape = input._data.shape
    dims = tuple(range(len(shape))) if dim is None else (dim,)
    grad = expand_reduced(grad, shape, dims, keepdim or dim is None)
    data = input._data
    if not (data == 0).any():
        result = expand_reduced(result, shape, dims, keepdim or dim is None)
        return grad * result / input
    xp = array_module(data)
    axis = None if dim is None else dim
    flat = data.reshape(-1) if axis is None else xp.moveaxis(data, axis, -1)
    others = xp.empty_like(flat)
    for i in range(flat.shape[-1]):
        others[..., i] = xp.prod(xp.delete(flat, i, axis=-1), axis=-1)
    others = others.reshape(shape) if axis is None else xp.moveaxis(others, -1, axis)
    return grad * wrap(others)


@op("Reductions")
def prod(input, dim=None, keepdim=False, *, dtype=None):
    np_dtype = dtypes.to_numpy(dtype) or (
        dtypes.int64.numpy if input._data.dtype.kind in "biu" else input._data.dtype)
    xp = array_module(input._data)
    wide = accumulation_dtype(np_dtype)
    if dim is None:
        out = wrap(xp.asarray(input._data.prod(dtype=wide)).astype(np_dtype, copy=False))
        if recording(input):
            record(ProdBackward0, out, (input,), (save_result(out), save(input)))
        return out
    dim = normalize_dims(dim, input._data.ndim)
    dim = dim[0] if dim else 0
    data = input._data.prod(axis=dim, keepdims=keepdim, dtype=wide).astype(np_dtype, copy=False) \
        if input._data.ndim else input._data.astype(np_dtype)
    out = wrap(xp.asarray(data))
    if recording(input):
        record(ProdBackward1, out, (input,), (dim, keepdim, save_result(out), save(input)))
    return out


# ------------------------------------------------------------------- norm
class LinalgVectorNormBackward0(Node):
    __slots__ = ()
    saved_fields = ("dim", "keepdim", "ord", "result", "self")
    formula = "∂‖a‖₂/∂a = a / ‖a‖₂  (‖a‖₁: sign a;  ‖a‖∞: sign a at the largest |aᵢ|)"

    def backward(self, grad):
        dim, keepdim, ord = self._saved[0], self._saved[1], self._saved[2]
        result, input = self.saved(3), self.saved(4)
        data = input._data
        shape = data.shape
        dims = normalize_dims(dim, len(shape))
        xp = array_module(data)
        if ord == 0:
            return input * 0.0
        if ord == 1:
            return expand_reduced(grad, shape, dims, keepdim) * constant(xp.sign(data), input)
        if math.isinf(ord):
            norm = expand_reduced(result, shape, dims, keepdim)._data
            mask = xp.abs(data) == norm
            count = mask.sum(axis=dims, keepdims=True)
            share = constant(xp.sign(data) * mask / count, input)
            return expand_reduced(grad, shape, dims, keepdim) * share
        scale = grad / result if ord == 2 else grad / result ** (ord - 1)
        scale = scale.masked_fill(wrap(result._data == 0), 0)
        scale = expand_reduced(scale, shape, dims, keepdim)
        if ord == 2:
            return input * scale
        return input * (input * input) ** ((ord - 2) / 2) * scale


def _vector_norm(data, ord, dims, keepdim, xp):
    magnitude = xp.abs(data)
    if ord == 0:
        return (magnitude != 0).sum(axis=dims, keepdims=keepdim).astype(data.dtype)
    if ord == math.inf:
        return magnitude.max(axis=dims, keepdims=keepdim)
    if ord == -math.inf:
        return magnitude.min(axis=dims, keepdims=keepdim)
    if ord == 1:
        return magnitude.sum(axis=dims, keepdims=keepdim)
    if ord == 2:
        return xp.sqrt((data * data).sum(axis=dims, keepdims=keepdim))
    return (magnitude ** ord).sum(axis=dims, keepdims=keepdim) ** (1.0 / ord)


@op("Reductions", arity=1, basic=True)
def norm(input, p="fro", dim=None, keepdim=False, dtype=None):
    """``torch.norm``: a vector norm over ``dim`` (all elements by default)."""
    if input._data.dtype.kind != "f":
        raise RuntimeError("linalg.vector_norm: Expected a floating point or complex tensor as "
                           f"input. Got {_SCALAR_NAMES[input.dtype.name]}")
    if isinstance(p, str) and p != "fro":
        raise NotImplementedError(f"norm with p={p!r} (a matrix norm) is not supported")
    ord = 2 if p is None or p == "fro" else float(p) if not isinstance(p, int) else p
    xp = array_module(input._data)
    dims = normalize_dims(dim, input._data.ndim)
    data = _vector_norm(input._data, ord, dims, keepdim, xp)
    out = wrap(xp.asarray(data, dtype=input._data.dtype))
    if recording(input):
        record(LinalgVectorNormBackward0, out, (input,),
               (saved_dims(dim), keepdim, ord, save_result(out), save(input)))
    return out


# -------------------------------------------------------------- all / any
def _logical_reduce(input, dim, keepdim, name):
    xp = array_module(input._data)
    dims = None if dim is None else normalize_dims(dim, input._data.ndim)
    data = getattr(input._data.astype(bool), name)(axis=dims, keepdims=keepdim)
    return wrap(xp.asarray(data))


@op("Reductions")
def all(input, dim=None, keepdim=False):
    return _logical_reduce(input, dim, keepdim, "all")


@op("Reductions")
def any(input, dim=None, keepdim=False):
    return _logical_reduce(input, dim, keepdim, "any")


_ONES = {}  # (length, dtype) -> read-only vector of ones, for row sums
_dot = np.dot


def row_sums(data, axis):
    """``data.sum(axis, keepdims=True)`` of a numpy array; the rows of a C-contiguous
    float32/64 matrix by one matrix-vector product with ones, in BLAS: a third of the
    time of numpy's row reduction, the sums as exact (numpy's pairwise order is not
    PyTorch's either). For the softmax family, whose rows are summed at every step."""
    dtype = data.dtype
    if data.ndim == 2 and axis == 1 and dtype.kind == "f" and dtype.itemsize >= 4 \
            and data.flags.c_contiguous:
        key = (data.shape[1], dtype)
        ones = _ONES.get(key)
        if ones is None:
            if len(_ONES) >= 256:
                _ONES.clear()
            ones = _ONES[key] = np.ones(data.shape[1], dtype)
            ones.flags.writeable = False
        return _dot(data, ones).reshape(data.shape[0], 1)
    return _sum_reduce(data, axis, None, None, True)


# A short vector's maximum and sum are taken in Python, on its numbers: numpy's
# reductions cost about a microsecond each, several times the arithmetic. The
# maximum is exact either way (a nan, wherever it is, makes every value of
# softmax nan through the sum, as in PyTorch); the sum is exact in float64
# before it is rounded to the vector's dtype, where numpy's and PyTorch's round
# as they add. Both return Python floats, which numpy computes with in the
# array's dtype.
_SHORT_VECTOR = 16
# Up to this many numbers, softmax, log_softmax and sigmoid compute a vector on Python
# floats and round once (softmax.py): numpy's per-call cost is most of their time there.
FEW_NUMBERS = 8


def vector_max(data):
    """The maximum of a non-empty numpy vector, for softmax's shift."""
    if data.shape[0] <= _SHORT_VECTOR:
        return builtins.max(data.tolist())  # (this module's max is the op)
    return _max_reduce(data)


def vector_sum(data):
    """The sum of a numpy vector, for the softmax family's arithmetic."""
    if data.shape[0] <= _SHORT_VECTOR:
        return builtins.sum(data.tolist())  # (this module's sum is the op)
    return _sum_reduce(data)
