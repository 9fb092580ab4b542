"""``torch.nn.functional``: what a small MLP lesson needs.

Activations reuse the tensor ops, so ``F.relu(x)`` records ReluBackward0
exactly like ``x.relu()``. ``linear`` is composed the way PyTorch composes it
(``addmm`` for a 2-D input with a bias, else ``matmul``), so its graph shows
the same nodes. The losses, which PyTorch implements as single ops with their
own nodes, live in ``losses.py`` and are re-exported here.
"""
import math
import warnings

from ..autograd.derivative import register_math
from ..autograd.grad_mode import no_grad
from ..autograd.node import Node
from ..backend import array_module
from ..ops.inplace import apply_inplace
from ..ops.linalg import addmm
from ..ops.pointwise import erf, exp, tanh
from ..ops.registry import record, record2, recording, save, save_result, wrap
from .bilinear import bilinear
from .dropout import dropout
from .elementwise_losses import binary_cross_entropy, binary_cross_entropy_with_logits, l1_loss
from .losses import cross_entropy, mse_loss, nll_loss

__all__ = ["relu", "relu_", "sigmoid", "tanh", "leaky_relu", "leaky_relu_", "gelu", "softmax",
           "log_softmax", "linear", "mse_loss", "nll_loss", "cross_entropy", "l1_loss",
           "binary_cross_entropy", "binary_cross_entropy_with_logits", "dropout", "bilinear"]


# --------------------------------------------------------------- activations
def relu(input, inplace=False):
    return input.relu_() if inplace else input.relu()


def relu_(input):
    return input.relu_()


def sigmoid(input):
    return input.sigmoid()


class LeakyReluBackward0(Node):
    __slots__ = ()
    saved_fields = ("negative_slope", "self")
    gradients = {"self": "leaky_relu_backward(grad, self, negative_slope)"}


class LeakyReluBackward1(Node):
    """The in-place form: the input is overwritten, so the sign is read from the result."""

    __slots__ = ()
    saved_fields = ("negative_slope", "result")
    gradients = {"self": "leaky_relu_backward(grad, result, negative_slope)"}


class LeakyReluBackwardBackward0(Node):
    __slots__ = ()
    saved_fields = ("negative_slope", "self")
    gradients = {"grad_output": "leaky_relu_backward(grad, self, negative_slope)", "self": "zeros_like(grad)"}


def leaky_relu_backward_array(grad, input, negative_slope):
    return array_module(grad).where(input > 0, grad, grad * negative_slope)


def leaky_relu_backward(grad, input, negative_slope):
    """``grad`` where ``input > 0``, else ``grad · negative_slope``: PyTorch's one kernel, so
    under create_graph it records LeakyReluBackwardBackward0."""
    out = wrap(leaky_relu_backward_array(grad._data, input._data, negative_slope))
    if recording(grad, input):
        record2(LeakyReluBackwardBackward0, out, grad, input, (negative_slope, save(input)))
    return out


def _leaky_relu(input, negative_slope, saves_result):
    data = input._data
    out = wrap(array_module(data).where(data > 0, data, data * negative_slope))
    if recording(input):
        if saves_result:
            record(LeakyReluBackward1, out, (input,), (negative_slope, save_result(out)))
        else:
            record(LeakyReluBackward0, out, (input,), (negative_slope, save(input)))
    return out


def leaky_relu(input, negative_slope=0.01, inplace=False):
    """``a`` where positive, ``negative_slope · a`` elsewhere."""
    if inplace:
        return leaky_relu_(input, negative_slope)
    return _leaky_relu(input, negative_slope, saves_result=False)


def leaky_relu_(input, negative_slope=0.01):
    return apply_inplace(input, lambda: _leaky_relu(input, negative_slope, saves_result=True))


class GeluBackward0(Node):
    __slots__ = ()
    saved_fields = ("approximate", "self")
    gradients = {"self": "gelu_backward(grad, self, approximate)"}
    backward_arrays = None  # gelu′ is composed of engine ops (numpy has no erf): the Tensor path runs


class GeluBackwardBackward0(Node):
    __slots__ = ()
    saved_fields = ("approximate", "grad_output", "self")
    formula = "gelu's gradient g·gelu′(a): gelu′(a) for g, g·gelu″(a) for a"

    def backward(self, grad):
        approximate, grad_output, input = self._saved[0], self.saved(1), self.saved(2)
        return (gelu_backward(grad, input, approximate),
                grad * grad_output * _gelu_second_derivative(input, approximate))


def gelu_backward(grad, input, approximate):
    """``grad · gelu′(input)``: PyTorch's one kernel, so under create_graph it records
    GeluBackwardBackward0."""
    with no_grad():
        out = wrap((grad * _gelu_derivative(input, approximate))._data)
    if recording(grad, input):
        record2(GeluBackwardBackward0, out, grad, input, (approximate, save(grad), save(input)))
    return out


def _gelu_derivative(input, approximate):
    if approximate == "tanh":
        return _gelu_tanh_derivative(input)
    cdf = (erf(input * (1 / math.sqrt(2.0))) + 1) * 0.5
    return cdf + input * _normal_pdf(input)


def _normal_pdf(input):
    return exp(input * input * -0.5) * (1 / math.sqrt(2 * math.pi))


def _gelu_second_derivative(input, approximate):
    """gelu″: φ(a)·(2 − a²) exactly; with tanh, (1 − t²)·(u′ + a·(u″ − 2t·u′²)/2) where
    u = √(2/π)·(a + 0.044715a³) and t = tanh u."""
    if approximate != "tanh":
        return _normal_pdf(input) * (2 - input * input)
    inner = (input + input * input * input * 0.044715) * _GELU_TANH_SCALE
    t = tanh(inner)
    d_inner = (input * input * (3 * 0.044715) + 1) * _GELU_TANH_SCALE
    dd_inner = input * (6 * 0.044715 * _GELU_TANH_SCALE)
    return (1 - t * t) * (d_inner + input * 0.5 * (dd_inner - t * 2 * d_inner * d_inner))


_GELU_TANH_SCALE = math.sqrt(2 / math.pi)

register_math("leaky_relu_backward", leaky_relu_backward, leaky_relu_backward_array,
              text="where({1} > 0, {0}, {0} * {2})")
register_math("gelu_backward", gelu_backward, None)  # GeluBackward0 declines the array path


def _gelu_tanh_derivative(input):
    inner = (input + input * input * input * 0.044715) * _GELU_TANH_SCALE
    t = tanh(inner)
    d_inner = (input * input * (3 * 0.044715) + 1) * _GELU_TANH_SCALE
    return (t + 1) * 0.5 + input * 0.5 * (1 - t * t) * d_inner


def gelu(input, approximate="none"):
    """``a·Φ(a)``; ``approximate="tanh"`` uses PyTorch's tanh approximation of Φ."""
    if approximate not in ("none", "tanh"):
        raise RuntimeError("approximate argument must be either none or tanh.")
    with no_grad():  # the forward value only; the node below carries the gradient
        if approximate == "tanh":
            inner = (input + input * input * input * 0.044715) * _GELU_TANH_SCALE
            value = input * 0.5 * (tanh(inner) + 1)
        else:
            value = input * 0.5 * (erf(input * (1 / math.sqrt(2.0))) + 1)
    out = wrap(value._data)
    if recording(input):
        record(GeluBackward0, out, (input,), (approximate, save(input)))
    return out


# ------------------------------------------------------------------ softmax
def _softmax_dim(name, ndim):
    warnings.warn(f"Implicit dimension choice for {name} has been deprecated. Change the call to "
                  "include dim=X as an argument.", UserWarning, stacklevel=3)
    return 0 if ndim in (0, 1, 3) else 1


def softmax(input, dim=None, _stacklevel=3, dtype=None):
    """``input.softmax(dim)`` (after converting to ``dtype`` when given)."""
    if dim is None:
        dim = _softmax_dim("softmax", input.dim())
    if dtype is not None:
        input = input.to(dtype)
    return input.softmax(dim)


def log_softmax(input, dim=None, _stacklevel=3, dtype=None):
    """``input.log_softmax(dim)`` (after converting to ``dtype`` when given)."""
    if dim is None:
        dim = _softmax_dim("log_softmax", input.dim())
    if dtype is not None:
        input = input.to(dtype)
    return input.log_softmax(dim)


# ------------------------------------------------------------------- linear
def linear(input, weight, bias=None):
    """``input @ weight.T + bias``, built from the ops PyTorch builds it from.

    2-D input with bias: one ``addmm``. Other inputs with bias: flattened to 2-D,
    ``addmm``, viewed back. Without bias: ``matmul``.
    """
    if bias is None:
        return input.matmul(weight.t())
    if input.dim() == 2:
        return addmm(bias, input, weight.t())
    flat = input.reshape(-1, input.shape[-1])
    return addmm(bias, flat, weight.t()).view(*input.shape[:-1], weight.shape[0])
