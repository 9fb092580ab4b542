"""The softmax family along one dim: softmax, log_softmax, and logsumexp.

Forward subtracts the maximum first (exp never overflows); backward uses the
saved result, as PyTorch's formulas do.
"""
import math

import numpy as np

from .. import dtypes
from ..autograd.grad_mode import STATE
from ..autograd.node import Node
from ..backend import array_module
from ..tensor import _wrap_dim
from .reduction import (
    FEW_NUMBERS,
    normalize_dims,
    row_sums,
    saved_dims,
    sum_array,
    vector_max,
    vector_sum,
)
from .registry import (
    op,
    quietly,
    record,
    record1,
    recorded,
    recording,
    save,
    save_result,
    wrap,
)


def _float_data(input, dtype):
    data = input._data
    if dtype is not None:
        return data.astype(dtypes.to_numpy(dtype))
    if data.dtype.kind != "f":
        return data.astype(dtypes.get_default_dtype().numpy)
    return data


def _shifted(data, axis, xp):
    """``data - max`` along ``axis``, an infinite max taken as 0 (as PyTorch's logsumexp does:
    a row of -inf then sums to 0, not nan)."""
    if data.size == 0:  # no maximum to take: exp sums to 0 and logsumexp is -inf, as PyTorch
        peak = xp.zeros([1 if i in axis else s for i, s in enumerate(data.shape)], data.dtype)
        return data, peak
    peak = data.max(axis=axis, keepdims=True)
    peak = xp.where(xp.isfinite(peak), peak, 0)
    return data - peak, peak


def _sum_kept(data, dim):
    """``sum(dim, keepdim=True)`` of a floating array, as the engine's ``sum`` computes it."""
    return sum_array(data, (dim,), keepdims=True)


class SoftmaxBackward0(Node):
    __slots__ = ()
    saved_fields = ("dim", "result")
    gradients = {"self": "softmax_backward_data(grad, result, dim)"}


# PyTorch's softmax kernels subtract the row's maximum as it is: a row holding
# +inf (or only -inf) comes out all nan, silently. numpy would warn, so the
# arithmetic runs with its warnings off (``quietly``). On numpy arrays the
# reductions are the ufuncs' own (``max`` and ``sum`` are Python wrappers of
# them) and the steps write into one fresh array; a vector's maximum and sum
# are not kept as (1,) arrays, which numpy broadcasts at twice a scalar's cost.
# Outputs are passed by position: the keyword costs more than a small vector's
# arithmetic. As PyTorch's kernel does, softmax multiplies by the reciprocal
# of the row's sum rather than dividing by it. The rows of a matrix (the last
# dim of a contiguous array) are summed by a product with a vector of ones, in
# BLAS: a third of the time of numpy's row reduction, with sums as exact
# (numpy's pairwise order is not PyTorch's either).
#
# A vector of a few numbers is computed on Python floats, in double precision,
# and rounded once to its dtype: numpy's per-call cost (about half a
# microsecond a call, seven calls) is most of a small softmax's time. The
# values are PyTorch's to within the last unit; the shifted values are never
# positive (or are nan), so exp cannot overflow, and the sum is at least 1 (or
# nan), so neither 1/sum nor log(sum) can fail.
_ndarray = np.ndarray
_max_reduce = np.maximum.reduce
_sum_reduce = np.add.reduce
_exp, _log = math.exp, math.log


def _max_kept(data, axis):
    """``data.max(axis, keepdims=True)`` of a numpy array with two or more dims.

    numpy takes the maximum along a row element by element; for a matrix of
    many short rows (a batch of logits) it is quicker to copy the matrix
    transposed and take the maxima of its rows elementwise, all rows at once.
    A maximum is exact, so only the sign of a zero and a NaN's payload could
    tell the ways apart, and neither reaches softmax's or log_softmax's values:
    x − (±0) is x, and a ±0 tie makes the sum of exponentials at least 2.
    """
    rows = data.shape[0]
    if data.ndim == 2 and axis == 1 and rows >= 32 and rows >= 2 * data.shape[1]:
        return _max_reduce(np.ascontiguousarray(data.T), 0).reshape(rows, 1)
    return _max_reduce(data, axis, None, None, True)


def _softmax(data, axis, xp):
    if data.size == 0:
        return data.copy()  # an empty softmax is empty (numpy's max of nothing would fail)
    if data.dtype == np.float16:  # computed in float32 and rounded once, as PyTorch's kernels do
        return _softmax(data.astype(np.float32), axis, xp).astype(np.float16)
    if xp is not np or not data.ndim:  # (numpy gives scalars, not arrays, for 0-d)
        exp = xp.exp(data - data.max(axis=axis, keepdims=True))
        return exp / exp.sum(axis=axis, keepdims=True)
    if data.ndim == 1 and data.shape[0] <= FEW_NUMBERS:
        values = data.tolist()
        peak = max(values)
        exps = [_exp(value - peak) for value in values]
        scale = 1 / sum(exps)
        return np.array([value * scale for value in exps], data.dtype)
    if data.ndim == 1:  # (vector_max and vector_sum: reduction.py)
        exp = np.subtract(data, vector_max(data))
        np.exp(exp, exp)
        return np.multiply(exp, 1 / vector_sum(exp), exp)
    exp = np.subtract(data, _max_kept(data, axis))
    np.exp(exp, exp)
    total = row_sums(exp, axis)
    exp *= np.reciprocal(total, total)
    return exp


def _log_softmax(data, axis, xp):
    if data.size == 0:
        return data.copy()
    if data.dtype == np.float16:  # as _softmax
        return _log_softmax(data.astype(np.float32), axis, xp).astype(np.float16)
    if xp is not np or not data.ndim:  # (numpy gives scalars, not arrays, for 0-d)
        shifted = data - data.max(axis=axis, keepdims=True)
        return shifted - xp.log(xp.exp(shifted).sum(axis=axis, keepdims=True))
    if data.ndim == 1 and data.shape[0] <= FEW_NUMBERS:
        values = data.tolist()
        peak = max(values)
        shifted = [value - peak for value in values]
        total = _log(sum([_exp(value) for value in shifted]))
        return np.array([value - total for value in shifted], data.dtype)
    if data.ndim == 1:
        shifted = np.subtract(data, vector_max(data))
        shifted -= math.log(vector_sum(np.exp(shifted)))  # (the sum is at least 1, or nan)
        return shifted
    shifted = np.subtract(data, _max_kept(data, axis))
    total = row_sums(np.exp(shifted), axis)
    np.log(total, total)
    shifted -= total
    return shifted


@op("Activations")
def softmax(input, dim, dtype=None):
    data = input._data
    ndim = data.ndim
    if dtype is None and type(data) is _ndarray and data.dtype.kind == "f" and ndim \
            and type(dim) is int and -ndim <= dim < ndim:  # the common case, without detours
        axis = dim % ndim
        return recorded(SoftmaxBackward0, quietly(_softmax, data, axis, np), input, (axis,), True)
    data = _float_data(input, dtype)
    axis = _wrap_dim(dim, data.ndim)
    out = wrap(quietly(_softmax, data, axis, array_module(data)))
    if STATE.enabled and (input._grad_fn is not None or input._requires_grad):  # recording(input)
        record1(SoftmaxBackward0, out, input, (axis, save_result(out)))
    return out


class LogSoftmaxBackward0(Node):
    __slots__ = ()
    saved_fields = ("dim", "result")
    gradients = {"self": "log_softmax_backward_data(grad, result, dim)"}


@op("Activations")
def log_softmax(input, dim, dtype=None):
    data = input._data
    ndim = data.ndim
    if dtype is None and type(data) is _ndarray and data.dtype.kind == "f" and ndim \
            and type(dim) is int and -ndim <= dim < ndim:  # the common case, without detours
        axis = dim % ndim
        return recorded(LogSoftmaxBackward0, quietly(_log_softmax, data, axis, np), input, (axis,),
                        True)
    data = _float_data(input, dtype)
    axis = _wrap_dim(dim, data.ndim)
    out = wrap(quietly(_log_softmax, data, axis, array_module(data)))
    if STATE.enabled and (input._grad_fn is not None or input._requires_grad):  # recording(input)
        record1(LogSoftmaxBackward0, out, input, (axis, save_result(out)))
    return out


class LogsumexpBackward0(Node):
    __slots__ = ()
    saved_fields = ("dim", "keepdim", "result", "self")
    # ∂logsumexp/∂aᵢ = exp(aᵢ − logsumexp) = softmax(a)ᵢ
    gradients = {"self": "expand_reduced(grad, shape_of(self), dim, keepdim) "
                         "* exp(self - expand_reduced(result, shape_of(self), dim, keepdim))"}


@op("Reductions")
def logsumexp(input, dim, keepdim=False):
    xp = array_module(input._data)
    data = _float_data(input, None)
    dims = normalize_dims(dim, data.ndim)
    shifted, peak = _shifted(data, dims, xp)
    with np.errstate(divide="ignore"):  # log(0) of an empty sum is -inf, silently
        total = xp.log(xp.exp(shifted).sum(axis=dims, keepdims=True)) + peak
    out = wrap(total if keepdim else total.reshape(
        tuple(s for i, s in enumerate(data.shape) if i not in dims)))
    if recording(input):
        record(LogsumexpBackward0, out, (input,),
               (saved_dims(dim), keepdim, save_result(out), save(input)))
    return out
