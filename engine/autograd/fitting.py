"""Gradients fitted to the inputs they are for, as Tensors or as bare arrays.

A node's formula may give a gradient in its input's *broadcast* shape, or in
another dtype; PyTorch's ``validate_outputs`` sums it down to the input's shape
and casts it to the input's dtype, and so do these helpers (one for Tensors,
one for the bare arrays of NOTE [array gradients] in engine.py).
"""
import numpy as np

from .. import dtypes, observe
from .node import _tensor_class


def _reduction():
    """``ops.reduction`` (``sum_to``), imported on first use: the ops import this package,
    and an import statement run on every call costs more than a small sum."""
    global _reduction_module
    if _reduction_module is None:
        from ..ops import reduction
        _reduction_module = reduction
    return _reduction_module


_reduction_module = None


def as_tensors(grads):
    """The buffer's gradients as Tensors (a lean node may have delivered bare arrays)."""
    Tensor = _tensor_class()
    for i, grad in enumerate(grads):
        if grad is not None and type(grad) is not Tensor:
            grads[i] = Tensor._make(grad)
    return grads


def add_grads(node, output_nr, previous, grad):
    """Sum two gradients for one input; arrays stay arrays when they agree in shape and dtype."""
    Tensor = _tensor_class()
    if type(previous) is not Tensor and type(grad) is not Tensor and \
            previous.shape == grad.shape and previous.dtype == grad.dtype:
        summed = previous + grad
    else:
        previous, grad = as_tensors([previous, grad])
        summed = previous + grad
    if observe.LISTENERS:
        previous, grad, summed = as_tensors([previous, grad, summed])
        observe.emit("grad_summed", node, output_nr, previous, grad, summed)
    return summed


def as_array(data):
    """``data`` as an array: numpy gives results of 0-d operands as scalars."""
    if type(data) is not np.ndarray and isinstance(data, np.generic):
        return np.asarray(data)
    return data


def fit_array(data, shape, dtype):
    """``fit_to_inputs`` for one bare array: summed to ``shape`` as ``sum_to`` sums, cast to
    ``dtype``."""
    if data.shape != shape:
        data = _reduction().sum_to_array(data, shape)
    if data.dtype != dtype:
        data = data.astype(dtype)
    return data


def fit_to_inputs(node, grads_out):
    """Reduce each gradient to its input's shape and dtype (PyTorch's validate_outputs)."""
    meta = node._input_meta
    if meta is None:
        return grads_out
    if len(meta) == 1 and len(grads_out) == 1:  # the common case, checked without a loop
        grad, wanted = grads_out[0], meta[0]
        if grad is None or wanted is None or (
                grad._data.shape == wanted[0] and grad._data.dtype == wanted[1]):
            return grads_out
    fitted = None
    for i, (grad, wanted) in enumerate(zip(grads_out, meta)):
        if grad is None or wanted is None:
            continue
        shape, dtype = wanted
        data = grad._data
        if data.shape != shape or data.dtype != dtype:
            if fitted is None:
                fitted = list(grads_out)
            if data.shape != shape:
                grad = _reduction().sum_to(grad, shape)
            if grad._data.dtype != dtype:
                grad = grad.to(dtype=dtypes.from_numpy(dtype))
            fitted[i] = grad
    return grads_out if fitted is None else tuple(fitted)
