"""Elementwise math: exp, log, roots, trigonometry, activations, abs, sign; in-place forms.

Each op is a forward function beside its Function node. Ops with a float
result (exp, sqrt, sigmoid, ...) turn integer and bool inputs into the
default float dtype first, as PyTorch does; abs, sign, relu and the rounding
ops keep the input's dtype. Clamping, ``maximum`` and ``where`` live in
``pointwise_select.py``, rounding in ``pointwise_round.py``, and
``zero_``/``fill_``/``copy_`` in ``pointwise_fill.py``.
"""
import math

import numpy as np

from .. import dtypes
from ..autograd.grad_mode import STATE
from ..autograd.node import Node
from ..backend import array_module
from ..tensor import Tensor
from .inplace import inplace_variant
from .reduction import FEW_NUMBERS
from .registry import (
    FUNCTIONS,
    method,
    one_input_op,
    op,
    quietly,
    record,
    record1,
    recording,
    save,
    save_result,
    wrap,
)


def _float_data(input):
    """The input's array, as the default float dtype when it is not floating point."""
    data = input._data
    if data.dtype.kind != "f":
        data = data.astype(dtypes.get_default_dtype().numpy)
    return data


# Ufuncs that can warn (overflow, log of negatives, sin of inf, ...); errstate
# is skipped for the rest because it costs more than the op on small tensors.
_MAY_WARN = frozenset({"exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "sqrt", "sin",
                       "cos", "tan"})


class _NumpyUfuncs(dict):
    """numpy's ufuncs by name, looked up once each."""

    def __missing__(self, name):
        ufunc = self[name] = getattr(np, name)
        return ufunc


_NUMPY_UFUNCS = _NumpyUfuncs()
_ndarray = np.ndarray
_exp = math.exp


def _unary(input, ufunc_name, node_cls, saves=None, to_float=True):
    """Apply ``xp.<ufunc_name>`` and record ``node_cls``.

    ``saves`` is "self", "result" or None: what the node keeps for backward.
    """
    data = input._data
    if type(data) is _ndarray and data.dtype.kind == "f":  # the common case, looked up once
        ufunc = _NUMPY_UFUNCS[ufunc_name]
    else:
        if to_float and data.dtype.kind != "f":
            data = data.astype(dtypes.get_default_dtype().numpy)
        ufunc = getattr(array_module(data), ufunc_name)
    if ufunc_name in _MAY_WARN:
        result = quietly(ufunc, data)  # log(-1) is nan and log(0) is -inf, silently, as in PyTorch
    else:
        result = ufunc(data)  # no errstate: it costs more than the op on small tensors
    out = Tensor._make(result) if type(result) is _ndarray else wrap(result)
    if STATE.enabled and (input._grad_fn is not None or input._requires_grad):  # recording(input)
        if saves == "result":
            saved = (save_result(out),)
        elif saves == "self":
            saved = (save(input),)
        else:
            saved = ()
        record1(node_cls, out, input, saved)
    return out



def _ufunc_op(ufunc_name, node_cls, saves=None, to_float=True, name=None):
    """The op ``xp.<ufunc_name>``: a float numpy tensor takes the one-call path
    (NOTE [one-call ops] in registry.py), anything else ``_unary``."""
    def general(input):
        return _unary(input, ufunc_name, node_cls, saves, to_float)

    general.__name__ = general.__qualname__ = name or ufunc_name
    general.__module__ = __name__
    return one_input_op(_NUMPY_UFUNCS[ufunc_name], node_cls, saves,
                        quiet=ufunc_name in _MAY_WARN)(general)

# ------------------------------------------------------------- exponentials
class ExpBackward0(Node):
    __slots__ = ()
    saved_fields = ("result",)
    gradients = {"self": "grad * result"}


exp = op("Pointwise", arity=1, basic=True)(_ufunc_op("exp", ExpBackward0, saves="result"))


class Exp2Backward0(Node):
    __slots__ = ()
    saved_fields = ("result",)
    gradients = {"self": "grad * (result * ln2)"}


exp2 = op("Pointwise")(_ufunc_op("exp2", Exp2Backward0, saves="result"))


class Expm1Backward0(Node):
    __slots__ = ()
    saved_fields = ("result",)
    gradients = {"self": "grad * (result + 1)"}


expm1 = op("Pointwise")(_ufunc_op("expm1", Expm1Backward0, saves="result"))


class LogBackward0(Node):
    __slots__ = ()
    saved_fields = ("self",)
    gradients = {"self": "grad / self"}


log = op("Pointwise", arity=1, basic=True)(_ufunc_op("log", LogBackward0, saves="self"))


class Log2Backward0(Node):
    __slots__ = ()
    saved_fields = ("self",)
    gradients = {"self": "grad / (self * ln2)"}


log2 = op("Pointwise")(_ufunc_op("log2", Log2Backward0, saves="self"))


class Log10Backward0(Node):
    __slots__ = ()
    saved_fields = ("self",)
    gradients = {"self": "grad / (self * ln10)"}


log10 = op("Pointwise")(_ufunc_op("log10", Log10Backward0, saves="self"))


class Log1PBackward0(Node):
    __slots__ = ()
    saved_fields = ("self",)
    gradients = {"self": "grad / (self + 1)"}


log1p = op("Pointwise")(_ufunc_op("log1p", Log1PBackward0, saves="self"))


class ErfBackward0(Node):
    __slots__ = ()
    saved_fields = ("self",)
    gradients = {"self": "grad * (exp(-(self * self)) * (2 / sqrt_pi))"}


def _erf_data(data):
    """erf elementwise: numpy has none, so math.erf per element on CPU, cupyx's on GPU."""
    xp = array_module(data)
    if xp is np:
        return np.vectorize(math.erf, otypes=[data.dtype])(data)
    from cupyx.scipy.special import erf as gpu_erf  # noqa: PLC0415 - only with cupy
    return gpu_erf(data)


@op("Pointwise")
def erf(input):
    out = wrap(_erf_data(_float_data(input)))
    if recording(input):
        record(ErfBackward0, out, (input,), (save(input),))
    return out


# -------------------------------------------------------------------- roots
class SqrtBackward0(Node):
    __slots__ = ()
    saved_fields = ("result",)
    # 2·√a as PyTorch's formula computes it: at::mul(result, 2), recorded as MulBackward1
    gradients = {"self": "grad / mul_scalar(result, 2)"}


sqrt = op("Pointwise")(_ufunc_op("sqrt", SqrtBackward0, saves="result"))


class RsqrtBackward0(Node):
    __slots__ = ()
    saved_fields = ("result",)
    gradients = {"self": "grad * (result * result * result) * -0.5"}


@op("Pointwise")
def rsqrt(input):
    xp = array_module(input._data)
    with np.errstate(all="ignore"):
        out = wrap(1 / xp.sqrt(_float_data(input)))
    if recording(input):
        record(RsqrtBackward0, out, (input,), (save_result(out),))
    return out


@op("Pointwise")
def square(input):
    """``a ** 2``, recorded as PowBackward0 like PyTorch (bool squares to int64)."""
    if input._data.dtype.kind == "b":
        input = wrap(input._data.astype(dtypes.int64.numpy))
    return input.pow(2)


# ------------------------------------------------------------- trigonometry
class SinBackward0(Node):
    __slots__ = ()
    saved_fields = ("self",)
    gradients = {"self": "grad * cos(self)"}


sin = op("Pointwise", arity=1, basic=True)(_ufunc_op("sin", SinBackward0, saves="self"))


class CosBackward0(Node):
    __slots__ = ()
    saved_fields = ("self",)
    gradients = {"self": "grad * -sin(self)"}


cos = op("Pointwise")(_ufunc_op("cos", CosBackward0, saves="self"))


class TanBackward0(Node):
    __slots__ = ()
    saved_fields = ("result",)
    gradients = {"self": "grad * (result * result + 1)"}


tan = op("Pointwise")(_ufunc_op("tan", TanBackward0, saves="result"))


class TanhBackward0(Node):
    __slots__ = ()
    saved_fields = ("result",)
    gradients = {"self": "tanh_backward(grad, result)"}  # one kernel in PyTorch: TanhBackwardBackward0


tanh = op("Pointwise", arity=1, basic=True)(_ufunc_op("tanh", TanhBackward0, saves="result"))


# -------------------------------------------------------------- activations
class SigmoidBackward0(Node):
    __slots__ = ()
    saved_fields = ("result",)
    gradients = {"self": "sigmoid_backward(grad, result)"}


def _sigmoid_of_float(data):
    """σ of a float array; half precision is computed in float32 (as PyTorch does), so that
    exp(-a) does not overflow early. A vector of a few numbers is computed on Python
    floats and rounded once: numpy's four calls cost most of a small sigmoid's time (as
    for softmax, softmax.py); the values are PyTorch's to within the last unit."""
    if data.ndim == 1 and data.shape[0] <= FEW_NUMBERS:
        try:
            return np.array([1 / (1 + _exp(-value)) for value in data.tolist()], data.dtype)
        except OverflowError:  # exp(-a) past the doubles' range: numpy's inf, 1/inf = 0
            pass
    if data.dtype.itemsize == 2:
        return _sigmoid(data.astype(np.float32)).astype(data.dtype)
    return _sigmoid(data)


@op("Pointwise", arity=1, basic=True)
@one_input_op(_sigmoid_of_float, SigmoidBackward0, saves="result", quiet=True)
def sigmoid(input):
    data = _float_data(input)
    # exp(-a) overflows to inf for very negative a: σ = 0, silently
    if data.dtype.itemsize == 2:
        # Half precision is computed in float32 (as PyTorch does), so exp(-a) does not overflow early.
        out = wrap(quietly(_sigmoid, data.astype(np.float32)).astype(data.dtype))
    else:
        out = wrap(quietly(_sigmoid, data))
    if STATE.enabled and (input._grad_fn is not None or input._requires_grad):  # recording()
        record1(SigmoidBackward0, out, input, (save_result(out),))
    return out


def _sigmoid(data):
    """``1 / (1 + exp(-data))``; on a numpy array, each step written into one fresh array
    (the same operations, so the same values, without three temporaries; outputs passed
    by position, as a keyword costs more than a small array's arithmetic)."""
    if type(data) is not _ndarray or not data.ndim:  # (numpy gives scalars, not arrays, for 0-d)
        xp = array_module(data)
        return xp.asarray(1 / (1 + xp.exp(-data)))
    one = _constant(1, data.dtype)
    out = np.negative(data)
    np.exp(out, out)
    np.add(out, one, out)
    return np.divide(one, out, out)


class ReluBackward0(Node):
    __slots__ = ()
    saved_fields = ("result",)
    gradients = {"self": "threshold_backward(grad, result, 0)"}

    def backward_arrays(self, grad):
        # threshold_backward's where, bit for bit, without it: numpy's where branches per
        # element and is slow on relu's random masks.
        if grad.dtype.kind != "f":
            return NotImplemented
        return _where_positive(self._saved[0].unpack_data(self), grad)


def _where_positive(result, grad):
    """``where(result <= 0, 0.0, grad)`` bit for bit, without numpy's ``where`` (PyTorch's
    threshold_backward: a NaN result passes its gradient).

    numpy's where branches per element and is slow on the random masks relu
    makes (several times a multiply). AND-ing the float bits with an integer
    mask of all ones (keep) or all zeros (+0.0) selects without branches;
    ``grad * mask`` would not do: it turns −x into −0.0 and inf into nan.
    On a small array the mask's five numpy calls cost more than where's
    branches (half the time on (4,), even at about a thousand elements).
    """
    xp = array_module(grad)
    if xp is not np or grad.dtype.itemsize not in (2, 4, 8):
        return xp.where(result <= 0, 0.0, grad)
    if grad.size <= _BRANCHES_CHEAPER:
        zero = _constant(0, grad.dtype)
        return np.where(np.less_equal(result, zero), zero, grad)
    # The comparison's bytes read as int8 and negated in place: 0 or -1. AND-ed
    # with grad's bits as wider integers, -1 sign-extends to all ones.
    mask = np.asarray(np.less_equal(result, 0)).view(np.int8)  # asarray: a 0-d result is a scalar
    np.subtract(mask, 1, out=mask)  # 1 (drop) → 0, 0 (keep) → -1
    bits = _SAME_WIDTH_INT[grad.dtype.itemsize]
    return np.bitwise_and(grad.view(bits), mask, dtype=bits).view(grad.dtype)


_SAME_WIDTH_INT = {2: np.int16, 4: np.int32, 8: np.int64}
_BRANCHES_CHEAPER = 1024  # elements up to which where beats the mask (measured on random masks)


def _relu_of_float(data):
    return np.maximum(data, _constant(0, data.dtype))  # maximum keeps nan, as PyTorch's relu does


@op("Pointwise", arity=1, basic=True)
@one_input_op(_relu_of_float, ReluBackward0, saves="result")
def relu(input):
    if input._data.dtype.kind == "b":
        raise RuntimeError("Boolean inputs not supported for relu")
    data = input._data
    if type(data) is _ndarray:  # maximum keeps nan, as PyTorch's relu does
        out = wrap(np.maximum(data, _constant(0, data.dtype)))
    else:
        out = wrap(array_module(data).maximum(data, 0))
    if STATE.enabled and (input._grad_fn is not None or input._requires_grad):  # recording()
        record1(ReluBackward0, out, input, (save_result(out),))
    return out


def _constant(number, dtype):
    """``number`` as a 0-d array of ``dtype``: numpy computes with it faster than with the
    Python number, which it converts to that dtype on every call (the same value)."""
    constant = _CONSTANTS.get((number, dtype))
    if constant is None:
        constant = _CONSTANTS[(number, dtype)] = np.full((), number, dtype)
    return constant


_CONSTANTS = {}  # (0 or 1, numpy dtype) -> 0-d array


# ---------------------------------------------------------------- abs, sign
class AbsBackward0(Node):
    __slots__ = ()
    saved_fields = ("self",)
    # PyTorch's formula calls sgn (SgnBackward0 under create_graph), not sign
    gradients = {"self": "grad * sgn(self)"}


@op("Pointwise", aliases=("absolute",))
@one_input_op(np.absolute, AbsBackward0, saves="self")
def abs(input):  # noqa: A001 - torch.abs
    if input._data.dtype.kind == "b":
        raise NotImplementedError("\"abs_cpu\" not implemented for 'Bool'")
    return _unary(input, "abs", AbsBackward0, "self", to_float=False)


method("__abs__")(abs)


class SignBackward0(Node):
    __slots__ = ()
    gradients = {"self": "zeros_like(grad)"}
    local = {"self": "0"}


@op("Pointwise")
def sign(input):
    if input._data.dtype.kind == "b":
        return wrap(input._data.copy())  # the sign of a bool is itself
    return _unary(input, "sign", SignBackward0, to_float=False)


class SgnBackward0(SignBackward0):
    __slots__ = ()  # for real tensors sgn is sign, and so is its derivative


@op("Pointwise")
def sgn(input):
    """``sign`` extended to complex numbers in PyTorch; for real tensors the same values."""
    if input._data.dtype.kind == "b":
        return wrap(input._data.copy())
    return _unary(input, "sign", SgnBackward0, to_float=False)


# ------------------------------------------------------- in-place variants



# Those PyTorch also exposes as ``torch.<name>_``.
_INPLACE_FUNCTIONS = (exp, exp2, expm1, erf, log, log2, log10, log1p, sqrt, rsqrt, square, sin, cos,
                      tan, tanh, sigmoid, relu, abs)

for _fn in _INPLACE_FUNCTIONS:
    FUNCTIONS[_fn.__name__ + "_"] = method(_fn.__name__ + "_")(inplace_variant(_fn))
method("sign_")(inplace_variant(sign))
method("absolute_")(inplace_variant(abs))
