"""Losses that PyTorch computes as single ops with their own nodes:
``mse_loss`` (MseLossBackward0) and ``nll_loss`` (NllLossBackward0, or
NllLoss2DBackward0 for inputs with spatial dimensions); ``cross_entropy`` is
``nll_loss`` of ``log_softmax``.

The backward formulas are linear in ``grad`` with constant coefficients
(masks, weights), written with tensor ops so gradients of gradients work.
"""
import warnings

import numpy as np

from ..autograd.derivative import agrees
from ..autograd.node import Node
from ..backend import array_module
from ..ops.arithmetic import add_scalar, div_scalar, mul_scalar
from ..ops.comparison import scalar_type_name
from ..ops.pointwise_select import broadcast_shape, result_type, where
from ..ops.registry import cast, record, recorded, recording, save, wrap

# PyTorch's Reduction enum, as the nodes save it.
REDUCTIONS = {"none": 0, "mean": 1, "sum": 2}


def _reduction(reduction, size_average=None, reduce=None):
    """The reduction name; the legacy ``size_average``/``reduce`` flags still work (with a warning)."""
    if size_average is not None or reduce is not None:
        size_average = True if size_average is None else size_average
        reduce = True if reduce is None else reduce
        reduction = "mean" if size_average and reduce else "sum" if reduce else "none"
        warnings.warn(f"size_average and reduce args will be deprecated, please use "
                      f"reduction='{reduction}' instead.", UserWarning, stacklevel=3)
    if reduction not in REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")
    return reduction


def _reduce(xp, losses, reduction):
    if reduction == "mean":
        return xp.asarray(losses.mean())
    if reduction == "sum":
        return xp.asarray(losses.sum())
    return losses


# ---------------------------------------------------------------------- mse
class MseLossBackward0(Node):
    __slots__ = ()
    saved_fields = ("reduction", "self", "target")
    formula = "∂mean((a − t)²)/∂a = 2(a − t)/n,  ∂/∂t = −2(a − t)/n"

    def backward(self, grad):
        reduction, input, target = self._saved[0], self.saved(1), self.saved(2)
        grad_input = grad_target = None
        if self.needs_input_grad(0):
            grad_input = mse_loss_backward(grad, input, target, reduction)
        if self.needs_input_grad(1):  # PyTorch's formula, with the operands swapped
            grad_target = mse_loss_backward(grad, target, input, reduction)
        return grad_input, grad_target


def _mse_scale(reduction, input):
    return 2 / input._data.size if reduction == REDUCTIONS["mean"] else 2


class MseLossBackwardBackward0(Node):
    __slots__ = ()
    saved_fields = ("grad_output", "reduction", "self", "target")
    formula = "the gradient (a − t)·g·s (s = 2/n or 2), differentiated in g, a and t"

    def backward(self, grad):
        grad_output, reduction = self.saved(0), self._saved[1]
        input, target = self.saved(2), self.saved(3)
        scale = _mse_scale(reduction, input)
        grad_of_grad = grad * (input - target) * scale
        if reduction != REDUCTIONS["none"]:
            grad_of_grad = grad_of_grad.sum()
        grad_of_input = grad * (grad_output * scale)
        return grad_of_grad, grad_of_input, -grad_of_input


def mse_loss_backward(grad, input, target, reduction):
    """``(input − target) · (grad · s)``: PyTorch's one kernel, so under create_graph it
    records MseLossBackwardBackward0 (edges: grad, input, target)."""
    from ..autograd.grad_mode import no_grad
    with no_grad():
        out = wrap(((input - target) * (grad * _mse_scale(reduction, input)))._data)
    if recording(grad, input, target):
        record(MseLossBackwardBackward0, out, (grad, input, target),
               (save(grad), reduction, save(input), save(target)))
    return out


def mse_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    """Mean (or sum, or elementwise) squared difference; a differing target shape broadcasts."""
    if target.shape != input.shape:
        warnings.warn(
            f"Using a target size ({target.size()}) that is different to the input size "
            f"({input.size()}). This will likely lead to incorrect results due to broadcasting. "
            "Please ensure they have the same size.", UserWarning, stacklevel=2)
    reduction = _reduction(reduction, size_average, reduce)
    shape = broadcast_shape(input, target)
    # Like torch.broadcast_tensors: only an operand whose shape differs is expanded.
    if input.shape != shape:
        input = input.expand(shape)
    if target.shape != shape:
        target = target.expand(shape)
    dt = result_type(input, target)
    xp = array_module(input._data)
    diff = cast(input._data, dt) - cast(target._data, dt)
    out = wrap(_reduce(xp, diff * diff, reduction))
    if recording(input, target):
        record(MseLossBackward0, out, (input, target),
               (REDUCTIONS[reduction], save(input), save(target)))
    return out


# ---------------------------------------------------------------------- nll
# NOTE [nll backward]: PyTorch's kernel starts from zeros and writes only the
# target positions: ``w[t] * -(grad / total_weight)`` (mean) or ``w[t] * -grad``.
# A dense coefficient times ``grad`` would differ: -0.0 for a negative ``grad``,
# nan for an infinite one, and a rounding of its own. ``_saved[6]`` holds
# ``(targets, weights, class_dim)``: ``targets`` the index arrays of the written
# positions (the plain 2-D batch) or a dense bool mask; ``weights`` None or the
# weight of each written position (per sample; one class weight for 1-D input).
class NllLossBackward0(Node):
    __slots__ = ()
    saved_fields = ("ignore_index", "reduction", "self", "target", "total_weight", "weight")
    formula = "∂(−w_t·a[t])/∂a[t] = −w_t (÷ Σw for the mean); 0 for every other class"

    def _shape(self):
        return self._input_meta[0][0]

    def backward(self, grad):
        targets, weights, class_dim = self._saved[6]
        reduction = self._saved[1]
        if reduction == REDUCTIONS["mean"]:
            grad = grad / self._saved[4]
        grad = -grad
        dense = _dense_mask(targets, self._shape(), array_module(grad._data))
        if reduction == REDUCTIONS["none"] and grad._data.ndim:
            grad = grad.unsqueeze(class_dim)
        if weights is not None:
            grad = wrap(_weight_layout(weights, class_dim, dense.ndim)) * grad
        return where(wrap(dense), grad, 0.0)

    def backward_arrays(self, grad):
        targets, weights, class_dim = self._saved[6]
        reduction = self._saved[1]
        total = self._saved[4]._data
        if not agrees(grad, total, weights):
            return NotImplemented
        if reduction == REDUCTIONS["mean"]:
            if total:
                grad = grad / total
            else:  # every target ignored: nothing is written, so the inf/nan is never seen
                with np.errstate(divide="ignore", invalid="ignore"):
                    grad = grad / total
        grad = -grad
        xp = array_module(grad)
        out = xp.zeros(self._shape(), grad.dtype)
        if type(targets) is tuple:  # index arrays: one write per sample
            out[targets] = grad if weights is None else weights * grad
            return out
        if reduction == REDUCTIONS["none"] and grad.ndim:
            grad = _unsqueeze(grad, class_dim)
        if weights is not None:
            grad = _weight_layout(weights, class_dim, out.ndim) * grad
        xp.copyto(out, grad, where=targets)
        return out


def _dense_mask(targets, shape, xp):
    """The written positions as a bool array shaped like the input."""
    if type(targets) is not tuple:
        return targets
    mask = xp.zeros(shape, dtype=bool)
    mask[targets] = True
    return mask


def _weight_layout(weights, class_dim, ndim):
    """Per-sample weights laid out to broadcast against the input (a size-1 class dim)."""
    if ndim <= 1 or weights.ndim == 0:
        return weights
    return _unsqueeze(weights, class_dim)


class NllLoss2DBackward0(NllLossBackward0):
    __slots__ = ()


def _check_nll_shapes(input, target):
    """PyTorch's shape checks, in its order (nll_loss_nd, then the 1-D/2-D/4-D kernels)."""
    ndim, target_ndim = input._data.ndim, target._data.ndim
    if ndim < 1:
        raise ValueError(f"Expected 1 or more dimensions (got {ndim})")
    if ndim == 1:
        if target_ndim == 1 and target._data.size != 1:
            raise ValueError("For 1D input, 1D target must have size 1, but got target size: "
                             f"{target._data.size}")
        return
    if target_ndim and input.shape[0] != target.shape[0]:
        raise ValueError(f"Expected input batch_size ({input.shape[0]}) to match target "
                         f"batch_size ({target.shape[0]}).")
    if ndim == 2 and target_ndim != 1:
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    if ndim == 4 and target_ndim != 3:
        raise RuntimeError("only batches of spatial targets supported (3D tensors) but got targets "
                           f"of dimension: {target_ndim}")
    if ndim >= 3 and tuple(target.shape[1:]) != tuple(input.shape[2:]):
        expected = ", ".join(str(s) for s in (input.shape[0],) + tuple(input.shape[2:]))
        got = ", ".join(str(s) for s in target.shape)
        raise RuntimeError(f"Expected target size [{expected}], got [{got}]")


# Compared as numpy dtypes: ``dtype.name`` is computed in Python on every call.
_TARGET_DTYPES = (np.dtype(np.int64), np.dtype(np.uint8))


def _check_nll_arguments(input, target, weight):
    if target._data.dtype not in _TARGET_DTYPES:
        raise RuntimeError("expected target dtype to be Long or Byte, but got "
                           f"{scalar_type_name(target.dtype)}")
    classes = input.shape[0] if input._data.ndim == 1 else input.shape[1]
    if weight is not None:
        if weight.requires_grad:
            raise RuntimeError(
                "The function 'nll_loss_forward' is not differentiable with respect to argument "
                "'weight'. This input cannot have requires_grad True.")
        if weight._data.size != classes:
            raise RuntimeError(
                f"weight tensor should be defined either for all {classes} classes or no classes "
                f"but got weight tensor of shape: [{', '.join(str(s) for s in weight.shape)}]")


def _unsqueeze(array, dim):
    """``array`` with a size-1 axis inserted at ``dim`` (a view; quicker than expand_dims)."""
    return array.reshape(array.shape[:dim] + (1,) + array.shape[dim:])


def _plain_nll(input, target, reduction, ignore_index):
    """``_nll`` for the usual batch: (N, C) input, int64 targets all in range, no
    weights, none ignored. Picks one value per row instead of building one-hot
    masks, with the same arithmetic (so the same bits); None when the batch is
    not that plain and the general path must decide (it also raises the errors).
    """
    data, labels = input._data, target._data
    if data.ndim == 1 and labels.ndim == 0:
        return _plain_unbatched_nll(input, target, reduction, ignore_index)
    if data.ndim != 2 or labels.dtype != np.int64 or labels.ndim != 1 or reduction == "none":
        return None
    rows, classes = data.shape
    if rows == 0 or 0 <= ignore_index < classes:
        return None
    # Negative labels wrap to huge unsigned values: one maximum checks both bounds.
    if _max_reduce(labels.view(np.uint64)) >= classes:
        return None
    xp = array_module(data)
    total = data.dtype.type(rows)
    if xp is np and data.flags.c_contiguous:
        # The picked values taken from the flat array at row offsets + labels (the same
        # values as data[rows, labels], by one take instead of two-axis indexing).
        row_index, offsets = _row_indices(rows, classes)
        value = -_sum_reduce(data.reshape(-1).take(offsets + labels))
    else:
        row_index = xp.arange(rows)
        value = -data[row_index, labels].sum()
    result = xp.asarray(value / total if reduction == "mean" else value, dtype=data.dtype)
    if not recording(input):
        return wrap(result)
    saved = (ignore_index, REDUCTIONS[reduction], save(input), save(target),
             wrap(xp.asarray(total)), None, ((row_index, labels), None, 1))
    return recorded(NllLossBackward0, result, input, saved)


_max_reduce, _sum_reduce = np.maximum.reduce, np.add.reduce
_ROW_INDICES = {}  # (rows, classes) -> read-only (arange(rows), arange(rows) * classes)


def _row_indices(rows, classes):
    """Each row's index and its first element's flat offset in a C-contiguous (rows,
    classes) array, made once per shape (read-only: the node keeps the indices)."""
    found = _ROW_INDICES.get((rows, classes))
    if found is None:
        if len(_ROW_INDICES) >= 64:
            _ROW_INDICES.clear()
        index = np.arange(rows)
        offsets = index * classes
        index.flags.writeable = offsets.flags.writeable = False
        found = _ROW_INDICES[(rows, classes)] = (index, offsets)
    return found


def _plain_unbatched_nll(input, target, reduction, ignore_index):
    """``_plain_nll`` for one sample: (C,) input, a 0-d int64 target in range. The general
    path's loss is ``-1·a[t] / 1``, that is ``-a[t]``, bit for bit."""
    data, label = input._data, target._data
    classes = data.shape[0]
    if label.dtype != np.int64 or reduction == "none" or 0 <= ignore_index < classes:
        return None
    index = int(label)  # compared and used as a Python int: cheaper than the 0-d array
    if not 0 <= index < classes:
        return None
    xp = array_module(data)
    result = xp.asarray(-data[index], dtype=data.dtype)
    if not recording(input):
        return wrap(result)
    saved = (ignore_index, REDUCTIONS[reduction], save(input), save(target),
             wrap(xp.asarray(1, dtype=data.dtype)), None, ((label,), None, 0))
    return recorded(NllLossBackward0, result, input, saved)


def _nll(input, target, weight, reduction, ignore_index, node_cls):
    """NLL of ``input`` (N, C, ...) or (C,) at class indices ``target``; records ``node_cls``."""
    if weight is None and node_cls is NllLossBackward0:
        out = _plain_nll(input, target, reduction, ignore_index)
        if out is not None:
            return out
    xp = array_module(input._data)
    data, labels = input._data, target._data.astype(np.int64)
    class_dim = 0 if data.ndim == 1 else 1
    classes = data.shape[class_dim]
    ignored = labels == ignore_index
    # Mostly no target is ignored; then masking with ``ignored`` changes nothing and is skipped.
    some_ignored = bool(ignored.any())
    bad = (labels < 0) | (labels >= classes)
    if some_ignored:
        bad &= ~ignored
    if bool(bad.any()):
        raise IndexError(f"Target {int(labels[bad].reshape(-1)[0])} is out of bounds.")
    safe = xp.where(ignored, 0, labels) if some_ignored else labels
    one_hot = _unsqueeze(safe, class_dim) == xp.arange(classes).reshape(
        (classes,) + (1,) * (data.ndim - class_dim - 1))
    weights = xp.ones(classes, dtype=data.dtype) if weight is None else cast(weight._data, input.dtype)
    sample_weight = weights[safe]
    if some_ignored:
        sample_weight = xp.where(ignored, 0, sample_weight)
    sample_weight = sample_weight.astype(data.dtype, copy=False)
    # Taken, not masked: a one-hot product would turn another class's -inf into nan.
    picked = xp.take_along_axis(data, _unsqueeze(safe, class_dim), axis=class_dim).squeeze(class_dim)
    losses = -sample_weight * picked
    total_weight = sample_weight.sum()
    with np.errstate(invalid="ignore", divide="ignore"):  # all targets ignored: nan, as PyTorch
        if reduction == "mean":
            value = xp.asarray(losses.sum() / total_weight)
        elif reduction == "sum":
            value = xp.asarray(losses.sum())
        else:
            value = losses
        out = wrap(value.astype(data.dtype))
        if recording(input):
            # Ignored targets get no gradient (NOTE [nll backward]).
            targets = one_hot & _unsqueeze(~ignored, class_dim) if some_ignored else one_hot
            weights = None if weight is None else sample_weight
            saved = (ignore_index, REDUCTIONS[reduction], save(input), save(target),
                     wrap(xp.asarray(total_weight, dtype=data.dtype)), weight,
                     (targets, weights, class_dim))
            record(node_cls, out, (input,), saved)
    return out


def nll_loss(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None,
             reduction="mean"):
    """Negative log likelihood of class indices ``target`` under log-probabilities ``input``."""
    reduction = _reduction(reduction, size_average, reduce)
    _check_nll_shapes(input, target)
    _check_nll_arguments(input, target, weight)
    ndim = input._data.ndim
    if ndim <= 2:
        if ndim == 1 and target._data.ndim == 1:
            target = wrap(target._data.reshape(()))
        return _nll(input, target, weight, reduction, ignore_index, NllLossBackward0)
    if ndim == 4:
        return _nll(input, target, weight, reduction, ignore_index, NllLoss2DBackward0)
    # Other spatial shapes are viewed as one 2-D image row, as PyTorch does (nll_loss_nd).
    batch, classes = input.shape[0], input.shape[1]
    flat_input = input.contiguous().view(batch, classes, 1, -1)
    out = _nll(flat_input, target.contiguous().view(batch, 1, -1), weight, reduction,
               ignore_index, NllLoss2DBackward0)
    if reduction == "none":
        out = out.view(batch, *input.shape[2:])
    return out


def cross_entropy(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None,
                  reduction="mean", label_smoothing=0.0):
    """Cross-entropy of ``input`` logits against class indices or class probabilities.

    Composed from other ops exactly as PyTorch composes it, so the graph has the
    same nodes: ``nll_loss(log_softmax(input))`` for indices; a weighted sum of
    ``log_softmax(input) * target`` for probabilities (a target shaped like the
    input); and label smoothing adds the mean log-probability, weighted.
    """
    reduction = _reduction(reduction, size_average, reduce)
    if weight is None and label_smoothing == 0.0 and input._data.ndim == 2 \
            and target._data.ndim == 1 and target._data.shape[0] == input._data.shape[0]:
        # The usual batch of class indices: nll_loss's checks all pass (its dtype
        # check is _plain_nll's own), so they are skipped; None sends anything
        # unusual (a label out of range, an ignored one) the long way.
        log_probabilities = input.log_softmax(1)
        out = _plain_nll(log_probabilities, target, reduction, ignore_index)
        if out is not None:
            return out
        return nll_loss(log_probabilities, target, None, None, ignore_index, None, reduction)
    if weight is None and label_smoothing == 0.0 and input._data.ndim == 1 \
            and target._data.ndim == 0:
        # One sample's logits and class (the unbatched form): as above.
        log_probabilities = input.log_softmax(0)
        out = _plain_nll(log_probabilities, target, reduction, ignore_index)
        if out is not None:
            return out
        return nll_loss(log_probabilities, target, None, None, ignore_index, None, reduction)
    class_dim = 0 if input._data.ndim == 1 else 1
    if tuple(target.shape) == tuple(input.shape):
        return _cross_entropy_probabilities(input, target, weight, reduction, ignore_index,
                                            label_smoothing, class_dim)
    if label_smoothing > 0.0:
        if label_smoothing > 1.0:
            raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}")
        return _cross_entropy_smoothed(input, target, weight, reduction, ignore_index,
                                       label_smoothing, class_dim)
    return nll_loss(input.log_softmax(class_dim), target, weight, None, ignore_index, None, reduction)


def _class_weight(weight, ndim, class_dim):
    """``weight`` viewed to broadcast along the class dimension."""
    if ndim <= 1:
        return weight
    shape = [1] * ndim
    shape[class_dim] = weight.shape[0]
    return weight.view(*shape)


def _cross_entropy_probabilities(input, target, weight, reduction, ignore_index, label_smoothing,
                                 class_dim):
    if not target.is_floating_point():
        raise RuntimeError("Expected floating point type for target with class probabilities, got "
                           f"{scalar_type_name(target.dtype)}")
    if ignore_index >= 0:
        raise RuntimeError("ignore_index is not supported for floating point target")
    classes = input.shape[class_dim]
    if weight is not None and (weight.dim() != 1 or weight.numel() != classes):
        raise RuntimeError(
            f"cross_entropy: weight tensor should be defined either for all {classes} classes or no "
            f"classes but got weight tensor of shape: [{', '.join(str(s) for s in weight.shape)}]")
    log_probabilities = input.log_softmax(class_dim)
    if label_smoothing > 0.0:
        if label_smoothing > 1.0:
            raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}")
        target = add_scalar(mul_scalar(target, 1 - label_smoothing), label_smoothing / classes)
    product = log_probabilities * target
    if weight is not None:
        product = product * _class_weight(weight, log_probabilities.dim(), class_dim)
    if reduction == "none":
        return -product.sum(class_dim)
    loss = -product.sum()
    if reduction == "sum":
        return loss
    count = input.numel() // classes
    if count == 0:
        from ..autograd.grad_mode import no_grad
        with no_grad():   # PyTorch fills the (empty) sum with nan in place
            loss.fill_(float("nan"))
        return loss
    return div_scalar(loss, count)


def _cross_entropy_smoothed(input, target, weight, reduction, ignore_index, label_smoothing,
                            class_dim):
    log_probabilities = input.log_softmax(class_dim)
    nll = nll_loss(log_probabilities, target, weight, None, ignore_index, None, reduction)
    classes = log_probabilities.shape[class_dim]
    if weight is not None:
        weighted = log_probabilities * _class_weight(weight, log_probabilities.dim(), class_dim)
        smooth = -weighted.sum(class_dim)
    else:
        smooth = -log_probabilities.sum(class_dim)
    ignored = target == ignore_index
    smooth.masked_fill_(ignored, 0.0)
    if reduction == "mean":
        kept = ~ignored._data
        if weight is not None:
            # The weights of the targets kept, summed (the weight never requires grad).
            labels = target._data[kept].reshape(-1)
            total = wrap(array_module(weight._data).asarray(weight._data[labels].sum()))
        else:
            total = wrap(array_module(kept).asarray(kept.sum()))
        smooth = smooth.sum() / total
    elif reduction == "sum":
        smooth = smooth.sum()
    return mul_scalar(nll, 1 - label_smoothing) + mul_scalar(smooth, label_smoothing / classes)
