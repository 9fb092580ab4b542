"""Reductions beyond sum and mean: prod, var, std, norm, cumsum, all, any.

Extremes (max, min, amax, amin, argmax, argmin) and the softmax family
(softmax, log_softmax, logsumexp) live in ``extrema.py`` and ``softmax.py``,
imported at the end of this module so that importing it registers them.

Masks and signs that enter a backward formula are constants (their
derivative is zero almost everywhere), so they are wrapped as untracked
tensors; everything else is written with engine ops, so gradients of
gradients work.
"""
import math
import warnings

import numpy as np

from .. import dtypes
from ..autograd.node import Node
from ..backend import array_module
from .reduction import expand_reduced, normalize_dims
from .registry import op, record, recording, save, save_result, wrap

_SCALAR_NAMES = {"float32": "Float", "float64": "Double", "float16": "Half", "int64": "Long",
                 "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool"}


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
    wide = np.float32 if np.dtype(np_dtype) == np.float16 else np_dtype  # as PyTorch accumulates
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


# --------------------------------------------------------------- var / std
def _correction(unbiased, correction):
    if correction is not None:
        return correction
    return 1 if unbiased is None or unbiased else 0


def _var_args(dim, unbiased, keepdim, correction):
    """PyTorch's overloads: ``var(True)`` means unbiased; ``var(1)`` means dim 1."""
    if isinstance(dim, bool):
        return None, dim, keepdim, correction
    return dim, unbiased, keepdim, correction


def _check_float(input, name="std and var"):
    if input._data.dtype.kind != "f":
        raise RuntimeError(f"{name} only support floating point and complex dtypes")


def _centered(input, dims):
    """``input - mean(input over dims)`` with engine ops (so it is differentiable)."""
    return input - input.mean(dims, keepdim=True)


def centered_array(data, dims):
    """``_centered`` for a bare array, the mean computed as ``mean`` computes it."""
    if data.size == 0:
        return data.copy()  # nothing to centre (mean's nan would broadcast to nothing)
    return data - data.mean(axis=dims, keepdims=True, dtype=data.dtype).astype(data.dtype)


class VarBackward0(Node):
    __slots__ = ()
    saved_fields = ("correction", "dim", "keepdim", "self")
    # ∂var/∂aᵢ = 2 (aᵢ − mean) / (N − correction)
    gradients = {"self": "expand_reduced(grad, shape_of(self), dim, keepdim) * centered(self, dim) "
                         "* (2.0 * inverse_dof(reduced_count(shape_of(self), dim), correction))"}


class StdBackward0(Node):
    __slots__ = ()
    saved_fields = ("correction", "dim", "keepdim", "result", "self")
    # ∂std/∂aᵢ = (aᵢ − mean) / ((N − correction) · std), 0 where std is 0
    gradients = {"self": "expand_reduced(zero_where_zero(grad / result, result), shape_of(self), dim, "
                         "keepdim) * centered(self, dim) "
                         "* inverse_dof(reduced_count(shape_of(self), dim), correction)"}


def _inverse_dof(count, correction):
    """1 / (N − correction), or inf when that is not positive (PyTorch's C++ division gives inf)."""
    dof = count - correction
    return 1.0 / dof if dof > 0 else math.inf


_NO_DEGREES_OF_FREEDOM = (
    "{name}(): degrees of freedom is <= 0. Correction should be strictly less than the reduction "
    "factor (input numel divided by output numel). (Triggered internally at "
    "/__w/pytorch/pytorch/aten/src/ATen/native/ReduceOps.cpp:1861.)")


def _moments(input, dims, keepdim, correction, name="var"):
    """The variance over ``dims``; inf / nan when N − correction <= 0, with PyTorch's warning
    (and none of numpy's)."""
    data = input._data
    count = reduced_count(data.shape, dims)
    if count - correction <= 0:
        warnings.warn(_NO_DEGREES_OF_FREEDOM.format(name=name), UserWarning, stacklevel=3)
    if count:
        mean = data.mean(axis=dims, keepdims=True)
    else:  # numpy's mean of nothing warns; the sum of squares below is 0 anyway
        mean = data.sum(axis=dims, keepdims=True)
    squares = ((data - mean) ** 2).sum(axis=dims, keepdims=keepdim)
    dof = max(count - correction, 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        return array_module(data).asarray(squares / dof)


@op("Reductions")
def var(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    dim, unbiased, keepdim, correction = _var_args(dim, unbiased, keepdim, correction)
    _check_float(input)
    correction = _correction(unbiased, correction)
    dims = normalize_dims(dim, input._data.ndim)
    out = wrap(_moments(input, dims, keepdim, correction))
    if recording(input):
        record(VarBackward0, out, (input,), (correction, saved_dims(dim), keepdim, save(input)))
    return out


@op("Reductions")
def std(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    dim, unbiased, keepdim, correction = _var_args(dim, unbiased, keepdim, correction)
    _check_float(input)
    correction = _correction(unbiased, correction)
    dims = normalize_dims(dim, input._data.ndim)
    out = wrap(array_module(input._data).sqrt(_moments(input, dims, keepdim, correction, "std")))
    if recording(input):
        record(StdBackward0, out, (input,),
               (correction, saved_dims(dim), keepdim, save_result(out), save(input)))
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


# ----------------------------------------------------------------- cumsum
class CumsumBackward0(Node):
    __slots__ = ()
    saved_fields = ("dim",)
    # a reversed cumulative sum (each input counts in every later output), without flip
    gradients = {"self": "sum_kept(grad, dim) - cumsum(grad, dim) + grad"}


def cumsum_array(data, axis, np_dtype):
    """The running sum of ``data`` along ``axis`` in ``np_dtype`` (a 0-d array is its own)."""
    # float16 accumulates in float32, as PyTorch's kernel does (a float16 running sum stalls).
    wide = np.float32 if np.dtype(np_dtype) == np.float16 else np_dtype
    summed = data.cumsum(axis=axis, dtype=wide).astype(np_dtype, copy=False) if data.ndim else \
        data.astype(np_dtype)
    return array_module(data).asarray(summed)


@op("Reductions")
def cumsum(input, dim, *, dtype=None):
    ndim = input._data.ndim
    axis = normalize_dims(dim, ndim)
    axis = axis[0] if axis else 0
    np_dtype = dtypes.to_numpy(dtype) or (
        dtypes.int64.numpy if input._data.dtype.kind in "biu" else input._data.dtype)
    out = wrap(cumsum_array(input._data, axis, np_dtype))
    if recording(input):
        record(CumsumBackward0, out, (input,), (axis,))
    return out


@op("Reductions")
def diff(input, n=1, dim=-1, prepend=None, append=None):
    """Differences of neighbours along ``dim``, ``n`` times: a slice minus a slice, as PyTorch
    composes it (SubBackward0 over two SliceBackward0); ``prepend``/``append`` join first."""
    from .join_split import cat
    pieces = [t for t in (prepend, input, append) if t is not None]
    if len(pieces) > 1:
        input = cat(pieces, dim)
    axis = normalize_dims(dim, input._data.ndim)[0]
    for _ in range(n):
        length = input._data.shape[axis]
        if length == 0:
            break
        later, earlier = input.narrow(axis, 1, length - 1), input.narrow(axis, 0, length - 1)
        input = later.logical_xor(earlier) if input._data.dtype.kind == "b" else later - earlier
    return input


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


from . import extrema, softmax  # noqa: E402,F401 - registers their ops with this family
