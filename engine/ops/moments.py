"""The variance family: var and std, and ``var_mean`` / ``std_mean``, two results from one
pass and one node with two outputs (VarMeanBackward0, StdMeanBackward0), as in PyTorch."""
import math
import warnings

import numpy as np

from ..autograd.node import Node
from ..backend import array_module
from .join_split import record_outputs
from .reduction import (
    accumulation_dtype,
    expand_reduced,
    normalize_dims,
    reduced_count,
    saved_dims,
)
from .registry import op, record, recording, save, save_result, wrap


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
    """``_centered`` for a bare array, the mean computed as ``mean`` computes it (half
    precision summed in float32, as PyTorch's kernels do)."""
    if data.size == 0:
        return data.copy()  # nothing to centre (mean's nan would broadcast to nothing)
    return data - data.mean(axis=dims, keepdims=True,
                            dtype=accumulation_dtype(data.dtype)).astype(data.dtype)


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
    """The variance over ``dims`` (its square root for std and std_mean); inf / nan when N − correction
    <= 0, with PyTorch's warning (and none of numpy's). Half precision is computed in
    float32 and rounded once at the end, as PyTorch's kernels do: in float16 the squares
    overflow past 256 and the sums lose their last digits."""
    data = input._data
    half = data.dtype == np.float16
    if half:
        data = data.astype(np.float32)
    count = reduced_count(data.shape, dims)
    if count - correction <= 0:
        warnings.warn(_NO_DEGREES_OF_FREEDOM.format(name=name), UserWarning, stacklevel=3)
    if count:
        mean = data.mean(axis=dims, keepdims=True)
    else:  # numpy's mean of nothing warns; the sum of squares below is 0 anyway
        mean = data.sum(axis=dims, keepdims=True)
    squares = ((data - mean) ** 2).sum(axis=dims, keepdims=keepdim)
    dof = max(count - correction, 0)
    xp = array_module(data)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        moment = xp.asarray(squares / dof)
        if name in ("std", "std_mean"):
            moment = xp.sqrt(moment)
        return moment.astype(np.float16) if half else moment


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
    out = wrap(_moments(input, dims, keepdim, correction, "std"))
    if recording(input):
        record(StdBackward0, out, (input,),
               (correction, saved_dims(dim), keepdim, save_result(out), save(input)))
    return out


class VarMeanBackward0(Node):
    __slots__ = ("num_outputs",)
    saved_fields = ("correction", "dim", "keepdim", "self")
    formula = "∂var/∂aᵢ = 2 (aᵢ − mean) / (N − correction);  ∂mean/∂aᵢ = 1/N"

    def apply(self, grads):
        correction, dim, keepdim, input = (self._saved[0], self._saved[1], self._saved[2],
                                           self.saved(3))
        grad_spread, grad_mean = grads
        shape = input._data.shape
        dims = normalize_dims(dim, len(shape))
        total = None
        if grad_spread is not None:
            total = self._spread_part(grad_spread, input, dims, keepdim, correction)
        if grad_mean is not None:
            part = expand_reduced(grad_mean, shape, dims, keepdim) / reduced_count(shape, dims)
            total = part if total is None else total + part
        return (total,)

    def _spread_part(self, grad, input, dims, keepdim, correction):
        count = reduced_count(input._data.shape, dims)
        grad = expand_reduced(grad, input._data.shape, dims, keepdim)
        return grad * _centered(input, dims) * (2.0 * _inverse_dof(count, correction))


class StdMeanBackward0(VarMeanBackward0):
    __slots__ = ()
    saved_fields = ("correction", "dim", "keepdim", "self", "result0")
    formula = "∂std/∂aᵢ = (aᵢ − mean) / ((N − correction) · std);  ∂mean/∂aᵢ = 1/N"

    def _spread_part(self, grad, input, dims, keepdim, correction):
        std = self.saved(4)
        count = reduced_count(input._data.shape, dims)
        scale = (grad / std).masked_fill(wrap(std._data == 0), 0)
        scale = expand_reduced(scale, input._data.shape, dims, keepdim)
        return scale * _centered(input, dims) * _inverse_dof(count, correction)


def _spread_and_mean(input, dim, unbiased, keepdim, correction, name):
    dim, unbiased, keepdim, correction = _var_args(dim, unbiased, keepdim, correction)
    _check_float(input)
    correction = _correction(unbiased, correction)
    data = input._data
    xp = array_module(data)
    dims = normalize_dims(dim, data.ndim)
    spread = _moments(input, dims, keepdim, correction, name)
    if data.size:
        mean = data.mean(axis=dims, keepdims=keepdim)
    else:
        with np.errstate(invalid="ignore"):
            mean = data.sum(axis=dims, keepdims=keepdim) * np.nan
    outs = (wrap(xp.asarray(spread, dtype=data.dtype)), wrap(xp.asarray(mean, dtype=data.dtype)))
    if recording(input):
        saved = (correction, saved_dims(dim), keepdim, save(input))
        if name == "std_mean":
            record_outputs(StdMeanBackward0, outs, input, saved + (save(outs[0], True),))
        else:
            record_outputs(VarMeanBackward0, outs, input, saved)
    return outs


@op("Reductions", method=False)
def std_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    return _spread_and_mean(input, dim, unbiased, keepdim, correction, "std_mean")


@op("Reductions", method=False)
def var_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    return _spread_and_mean(input, dim, unbiased, keepdim, correction, "var_mean")
