"""Elementwise losses with a reduction: ``l1_loss`` (composed, as PyTorch
decomposes it: sub, abs, mean/sum), ``binary_cross_entropy`` and
``binary_cross_entropy_with_logits`` (single ops with their own nodes,
BinaryCrossEntropyBackward0 and BinaryCrossEntropyWithLogitsBackward0, whose
edges lead to the input and the target).

The backward formulas are PyTorch's (derivatives.yaml), written with tensor
ops so gradients of gradients work.
"""
import warnings

import numpy as np

from ..autograd.node import Node
from ..backend import array_module
from ..ops.registry import record, recording, save, wrap
from .losses import REDUCTIONS, _reduction

__all__ = ["l1_loss", "binary_cross_entropy", "binary_cross_entropy_with_logits"]

# PyTorch clamps each log at -100 so that a probability of exactly 0 or 1 gives a finite loss.
_LOG_FLOOR = -100.0
# The smallest denominator x(1 - x) in the gradient of binary_cross_entropy.
_BCE_EPSILON = 1e-12


def _reduce_array(xp, losses, reduction):
    if reduction == "mean":
        return xp.asarray(losses.mean(), dtype=losses.dtype)
    if reduction == "sum":
        return xp.asarray(losses.sum(), dtype=losses.dtype)
    return losses


def _reduced_grad(grad, count, reduction):
    """The incoming gradient spread over the elements (÷ n for the mean)."""
    return grad / count if reduction == REDUCTIONS["mean"] else grad


def _size_text(tensor):
    return str(tensor.size())


# ------------------------------------------------------------------------ l1
def l1_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    """Mean (or sum, or elementwise) absolute difference: ``|input − target|``."""
    if target.shape != input.shape:
        warnings.warn(
            f"Using a target size ({_size_text(target)}) that is different to the input size "
            f"({_size_text(input)}). This will likely lead to incorrect results due to "
            "broadcasting. Please ensure they have the same size.", UserWarning, stacklevel=2)
    if size_average is not None or reduce is not None:
        reduction = _reduction(reduction, size_average, reduce)
    shape = np.broadcast_shapes(tuple(input.shape), tuple(target.shape))
    # Like torch.broadcast_tensors: only an operand whose shape differs is expanded.
    if tuple(input.shape) != shape:
        input = input.expand(shape)
    if tuple(target.shape) != shape:
        target = target.expand(shape)
    if weight is not None:
        if weight.size() != input.size():
            raise ValueError("Weights and input must have the same size.")
        weighted = (input - target).abs() * weight
        if reduction == "none":
            return weighted
        if reduction == "sum":
            return weighted.sum()
        if reduction == "mean":
            return weighted.sum() / weight.sum()
        raise ValueError(f"Invalid reduction mode: {reduction}. Expected one of 'none', 'mean', "
                         "'sum'.")
    if reduction not in REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")
    errors = (input - target).abs()
    if reduction == "mean":
        return errors.mean()
    if reduction == "sum":
        return errors.sum()
    return errors


# ---------------------------------------------------------------------- bce
class BinaryCrossEntropyBackward0(Node):
    __slots__ = ()
    saved_fields = ("reduction", "self", "target", "weight")
    formula = ("∂(−t·log x − (1−t)·log(1−x))/∂x = (x − t) / (x(1 − x)),  "
               "∂/∂t = −log(x / (1 − x))")

    def backward(self, grad):
        reduction, input, target = self._saved[0], self.saved(1), self.saved(2)
        weight = self.saved(3) if self._saved[3] is not None else None
        count = input._data.size
        grad_input = grad_target = None
        if self.needs_input_grad(0):
            denominator = ((1 - input) * input).clamp_min(_BCE_EPSILON)
            grad_input = grad * (input - target) / denominator
            if weight is not None:
                grad_input = grad_input * weight
            grad_input = _reduced_grad(grad_input, count, reduction)
        if self.needs_input_grad(1):
            grad_target = -(input / (1 - input)).log() * grad
            if weight is not None:
                grad_target = grad_target * weight
            grad_target = _reduced_grad(grad_target, count, reduction)
        return grad_input, grad_target


def binary_cross_entropy(input, target, weight=None, size_average=None, reduce=None,
                         reduction="mean"):
    """``−w·(t·log x + (1 − t)·log(1 − x))`` for probabilities ``x`` in [0, 1]."""
    reduction = _reduction(reduction, size_average, reduce)
    if target.size() != input.size():
        raise ValueError(
            f"Using a target size ({_size_text(target)}) that is different to the input size "
            f"({_size_text(input)}) is deprecated. Please ensure they have the same size.")
    if weight is not None:
        shape = np.broadcast_shapes(tuple(target.shape), tuple(weight.shape))
        weight = weight.expand(shape)
    x, t = input._data, target._data.astype(input._data.dtype, copy=False)
    if bool(((x < 0) | (x > 1) | (x != x)).any()):
        raise RuntimeError("all elements of input should be between 0 and 1")
    xp = array_module(x)
    with np.errstate(divide="ignore"):
        losses = (t - 1) * xp.maximum(xp.log1p(-x), _LOG_FLOOR) - t * xp.maximum(xp.log(x),
                                                                                _LOG_FLOOR)
    if weight is not None:
        losses = losses * weight._data
    out = wrap(_reduce_array(xp, losses.astype(x.dtype, copy=False), reduction))
    if recording(input, target):
        record(BinaryCrossEntropyBackward0, out, (input, target),
               (REDUCTIONS[reduction], save(input), save(target),
                None if weight is None else save(weight)))
    return out


# ------------------------------------------------------------- bce with logits
def _log_sigmoid(xp, x):
    """``log σ(x)`` without overflow: ``min(x, 0) − log1p(exp(−|x|))``."""
    return xp.minimum(x, 0) - xp.log1p(xp.exp(-xp.abs(x)))


class BinaryCrossEntropyWithLogitsBackward0(Node):
    __slots__ = ()
    saved_fields = ("pos_weight", "reduction", "self", "target", "weight")
    formula = "∂/∂x = σ(x) − t (with pos_weight p: (p·t + 1 − t)·σ(x) − p·t),  ∂/∂t = −x"

    def backward(self, grad):
        pos_weight = self.saved(0) if self._saved[0] is not None else None
        reduction, input, target = self._saved[1], self.saved(2), self.saved(3)
        weight = self.saved(4) if self._saved[4] is not None else None
        count = input._data.size
        grad_input = grad_target = None
        if self.needs_input_grad(0):
            if pos_weight is not None:
                scaled = pos_weight * target
                grad_input = (scaled + 1 - target) * input.sigmoid() - scaled
            else:
                grad_input = input.sigmoid() - target
            grad_input = grad_input * grad
            if weight is not None:
                grad_input = grad_input * weight
            grad_input = _reduced_grad(grad_input, count, reduction)
        if self.needs_input_grad(1):
            if pos_weight is not None:
                # log σ(x) from tensor ops, so that it is differentiated in a double backward.
                log_sig = input.clamp_max(0) - (-input.abs()).exp().log1p()
                grad_target = (log_sig - input) - log_sig * pos_weight
            else:
                grad_target = -input
            grad_target = grad_target * grad
            if weight is not None:
                grad_target = grad_target * weight
            grad_target = _reduced_grad(grad_target, count, reduction)
        return grad_input, grad_target


def binary_cross_entropy_with_logits(input, target, weight=None, size_average=None, reduce=None,
                                     reduction="mean", pos_weight=None):
    """``binary_cross_entropy(sigmoid(x), t)`` computed stably from the logits ``x``:
    ``(1 − t)·x − (1 + (p − 1)·t)·log σ(x)``, times ``weight``."""
    reduction = _reduction(reduction, size_average, reduce)
    if not target.size() == input.size():
        raise ValueError(f"Target size ({_size_text(target)}) must be the same as input size "
                         f"({_size_text(input)})")
    x, t = input._data, target._data.astype(input._data.dtype, copy=False)
    xp = array_module(x)
    log_sig = _log_sigmoid(xp, x)
    if pos_weight is not None:
        log_sig = log_sig * ((pos_weight._data - 1) * t + 1)
    losses = (1 - t) * x - log_sig
    if weight is not None:
        losses = losses * weight._data
    out = wrap(_reduce_array(xp, losses.astype(x.dtype, copy=False), reduction))
    if recording(input, target):
        record(BinaryCrossEntropyWithLogitsBackward0, out, (input, target),
               (None if pos_weight is None else save(pos_weight), REDUCTIONS[reduction],
                save(input), save(target), None if weight is None else save(weight)))
    return out
