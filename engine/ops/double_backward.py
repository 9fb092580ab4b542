"""The fused backward ops PyTorch records under ``create_graph=True``.

PyTorch's formulas for tanh, sigmoid and relu call one kernel each
(``tanh_backward``, ``sigmoid_backward``, ``threshold_backward``), so a
gradient computed with ``create_graph=True`` shows ``TanhBackwardBackward0``
and its kin, not the Mul and Sub nodes of the formula written out. Each op here
computes on arrays (``*_array``, which the array fast path of a formula calling
the op runs too) and records that node; the node's own derivative calls engine
ops, so third derivatives work too.
"""
import numpy as np

from ..autograd.node import Node
from ..backend import array_module
from .pointwise import _constant
from .reduction import row_sums, sum_array, vector_sum
from .registry import record2, recording, save, wrap


def _edges_needed(grad, output):
    return recording(grad, output)


class TanhBackwardBackward0(Node):
    __slots__ = ()
    saved_fields = ("grad_output", "output")
    gradients = {"grad_output": "tanh_backward(grad, output)",
                 "output": "grad * mul_scalar(output * grad_output, -2)"}


def _one_like(y):
    """1 in ``y``'s dtype: a cached 0-d array on numpy, which computes with it faster than
    with the Python number it would convert on every call (the same value)."""
    return _constant(1, y.dtype) if type(y) is np.ndarray else 1


def tanh_backward_array(g, y):
    return g * (_one_like(y) - y * y)


def tanh_backward(grad, output):
    """``grad · (1 − output²)``: the gradient through tanh, given tanh's output."""
    out = wrap(tanh_backward_array(grad._data, output._data))
    if _edges_needed(grad, output):
        record2(TanhBackwardBackward0, out, grad, output, (save(grad), save(output)))
    return out


class SigmoidBackwardBackward0(Node):
    __slots__ = ()
    saved_fields = ("grad_output", "output")
    gradients = {"grad_output": "sigmoid_backward(grad, output)",
                 "output": "grad * grad_output * (mul_scalar(output, -2) + 1)"}


def sigmoid_backward_array(g, y):
    return g * (_one_like(y) - y) * y


def sigmoid_backward(grad, output):
    """``grad · (1 − output) · output``: the gradient through sigmoid, given its output."""
    out = wrap(sigmoid_backward_array(grad._data, output._data))
    if _edges_needed(grad, output):
        record2(SigmoidBackwardBackward0, out, grad, output, (save(grad), save(output)))
    return out


class ThresholdBackwardBackward0(Node):
    __slots__ = ()
    saved_fields = ("self", "threshold")
    gradients = {"grad_output": "threshold_backward(grad, self, threshold)", "self": "zeros_like(grad)"}


def threshold_backward_array(g, input, threshold):
    xp = array_module(g)
    return xp.where(input <= threshold, xp.zeros((), g.dtype), g)


def threshold_backward(grad, input, threshold):
    """``grad`` where ``input > threshold``, else 0 (relu's gradient, given its output)."""
    out = wrap(threshold_backward_array(grad._data, input._data, threshold))
    if _edges_needed(grad, input):
        record2(ThresholdBackwardBackward0, out, grad, input, (save(input), threshold))
    return out


def sum_kept_array(data, dim):
    """``sum(dim, keepdim=True)`` of an array as the engine's ``sum`` computes it (a 0-d array
    is its own sum)."""
    return data if data.ndim == 0 else sum_array(data, (dim,), keepdims=True)


_sum_reduce = np.add.reduce


def _row_sum(data, dim):
    """``sum_kept_array`` for the softmax gradients' arithmetic: a numpy vector's sum as a
    scalar, which numpy broadcasts at half the cost of a (1,) array; a matrix's rows by
    ``row_sums``."""
    if type(data) is np.ndarray:
        if data.ndim == 1:
            return vector_sum(data)
        return row_sums(data, dim)
    return sum_kept_array(data, dim)


class SoftmaxBackwardDataBackward0(Node):
    __slots__ = ()
    saved_fields = ("dim", "grad_output", "output")
    gradients = {"grad_output": "softmax_backward_data(grad, output, dim)",
                 "output": "grad * (grad_output - sum_kept(grad_output * output, dim)) "
                           "- grad_output * sum_kept(grad * output, dim)"}


def softmax_backward_data_array(g, y, dim):
    return y * (g - _row_sum(g * y, dim))


def softmax_backward_data(grad, output, dim):
    """``output · (grad − Σ grad·output)`` along ``dim``: the gradient through softmax."""
    out = wrap(softmax_backward_data_array(grad._data, output._data, dim))
    if _edges_needed(grad, output):
        record2(SoftmaxBackwardDataBackward0, out, grad, output, (dim, save(grad), save(output)))
    return out


class LogSoftmaxBackwardDataBackward0(Node):
    __slots__ = ()
    saved_fields = ("dim", "grad_output", "output")
    gradients = {"grad_output": "grad - sum_kept(grad * exp(output), dim)",
                 "output": "-grad * exp(output) * sum_kept(grad_output, dim)"}


def log_softmax_backward_data_array(g, y, dim):
    return g - array_module(y).exp(y) * _row_sum(g, dim)


def log_softmax_backward_data(grad, output, dim):
    """``grad − exp(output) · Σ grad`` along ``dim``: the gradient through log_softmax."""
    out = wrap(log_softmax_backward_data_array(grad._data, output._data, dim))
    if _edges_needed(grad, output):
        record2(LogSoftmaxBackwardDataBackward0, out, grad, output,
                (dim, save(grad), save(output)))
    return out
