"""``std_mean`` and ``var_mean``: two results from one pass and one node with two
outputs (StdMeanBackward0, VarMeanBackward0), as in PyTorch. The variance and
its warnings are ``var``'s (reductions2)."""
import numpy as np

from ..autograd.node import Node
from ..backend import array_module
from .join_split import record_outputs
from .reduction import expand_reduced, normalize_dims
from .reductions2 import (
    _centered,
    _check_float,
    _correction,
    _inverse_dof,
    _moments,
    _var_args,
    reduced_count,
    saved_dims,
)
from .registry import op, recording, save, wrap


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
    if name == "std_mean":
        spread = xp.sqrt(spread)
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
