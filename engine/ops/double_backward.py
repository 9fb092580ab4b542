"""The fused backward ops PyTorch records under ``create_graph=True``.

PyTorch's formulas for tanh, sigmoid and relu call one kernel each
(``tanh_backward``, ``sigmoid_backward``, ``threshold_backward``), so a
gradient computed with ``create_graph=True`` shows ``TanhBackwardBackward0``
and its kin, not the Mul and Sub nodes of the formula written out. Each op here
computes on arrays and records that node; the node's own backward uses engine
ops, so third derivatives work too.
"""
from ..autograd.node import Node
from ..backend import array_module
from .arithmetic import mul_scalar
from .registry import record2, recording, save, wrap, zeros_like


def _edges_needed(grad, output):
    return recording(grad, output)


class TanhBackwardBackward0(Node):
    __slots__ = ()
    saved_fields = ("grad_output", "output")
    formula = "∂(g·(1 − y²)) = dg·(1 − y²) for g, −2·y·g·dg for y"

    def backward(self, grad):
        grad_output, output = self.saved(0), self.saved(1)
        return (tanh_backward(grad, output),
                grad * mul_scalar(output * grad_output, -2))


def tanh_backward(grad, output):
    """``grad · (1 − output²)``: the gradient through tanh, given tanh's output."""
    g, y = grad._data, output._data
    out = wrap(g * (1 - y * y))
    if _edges_needed(grad, output):
        record2(TanhBackwardBackward0, out, grad, output, (save(grad), save(output)))
    return out


class SigmoidBackwardBackward0(Node):
    __slots__ = ()
    saved_fields = ("grad_output", "output")
    formula = "∂(g·(1 − y)·y) = dg·(1 − y)·y for g, dg·g·(1 − 2y) for y"

    def backward(self, grad):
        grad_output, output = self.saved(0), self.saved(1)
        return (sigmoid_backward(grad, output),
                grad * grad_output * (mul_scalar(output, -2) + 1))


def sigmoid_backward(grad, output):
    """``grad · (1 − output) · output``: the gradient through sigmoid, given its output."""
    g, y = grad._data, output._data
    out = wrap(g * (1 - y) * y)
    if _edges_needed(grad, output):
        record2(SigmoidBackwardBackward0, out, grad, output, (save(grad), save(output)))
    return out


class ThresholdBackwardBackward0(Node):
    __slots__ = ()
    saved_fields = ("self", "threshold")
    formula = "passes dg where the input is above the threshold; 0 for the input"

    def backward(self, grad):
        input, threshold = self.saved(0), self._saved[1]
        return threshold_backward(grad, input, threshold), zeros_like(grad)


def threshold_backward(grad, input, threshold):
    """``grad`` where ``input > threshold``, else 0 (relu's gradient, given its output)."""
    g = grad._data
    xp = array_module(g)
    out = wrap(xp.where(input._data <= threshold, xp.zeros((), g.dtype), g))
    if _edges_needed(grad, input):
        record2(ThresholdBackwardBackward0, out, grad, input, (save(input), threshold))
    return out


def _sum_kept(data, dim):
    """``sum(dim, keepdim=True)`` of an array as the engine's ``sum`` computes it (a 0-d array
    is its own sum)."""
    return data if data.ndim == 0 else data.sum(axis=(dim,), keepdims=True, dtype=data.dtype)


class SoftmaxBackwardDataBackward0(Node):
    __slots__ = ()
    saved_fields = ("dim", "grad_output", "output")
    formula = "softmax's gradient formula y·(g − Σ g·y), differentiated in g and in y"

    def backward(self, grad):
        dim, grad_output, output = self._saved[0], self.saved(1), self.saved(2)
        weighted = (grad_output * output).sum(dim, keepdim=True)
        grad_of_output = grad * (grad_output - weighted) - \
            grad_output * (grad * output).sum(dim, keepdim=True)
        return softmax_backward_data(grad, output, dim), grad_of_output


def softmax_backward_data(grad, output, dim):
    """``output · (grad − Σ grad·output)`` along ``dim``: the gradient through softmax."""
    g, y = grad._data, output._data
    out = wrap(y * (g - _sum_kept(g * y, dim)))
    if _edges_needed(grad, output):
        record2(SoftmaxBackwardDataBackward0, out, grad, output, (dim, save(grad), save(output)))
    return out


class LogSoftmaxBackwardDataBackward0(Node):
    __slots__ = ()
    saved_fields = ("dim", "grad_output", "output")
    formula = "log_softmax's gradient formula g − exp(y)·Σ g, differentiated in g and in y"

    def backward(self, grad):
        dim, grad_output, output = self._saved[0], self.saved(1), self.saved(2)
        probs = output.exp()
        grad_of_grad = grad - (grad * probs).sum(dim, keepdim=True)
        grad_of_output = -grad * probs * grad_output.sum(dim, keepdim=True)
        return grad_of_grad, grad_of_output


def log_softmax_backward_data(grad, output, dim):
    """``grad − exp(output) · Σ grad`` along ``dim``: the gradient through log_softmax."""
    g, y = grad._data, output._data
    out = wrap(g - array_module(y).exp(y) * _sum_kept(g, dim))
    if _edges_needed(grad, output):
        record2(LogSoftmaxBackwardDataBackward0, out, grad, output,
                (dim, save(grad), save(output)))
    return out
