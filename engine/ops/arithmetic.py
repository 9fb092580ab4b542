"""Arithmetic: + - * / ** and negation, their reflected and in-place forms.

Each op is its forward function next to its Function node. Backward formulas
return a gradient per input with the input's *broadcast* shape; the engine
reduces it to the input's own shape with ``sum_to`` (one helper for all).
"""
import numpy as np

from .. import dtypes
from ..autograd.grad_mode import STATE
from ..autograd.node import Node, SavedNumber
from ..backend import array_module
from ..tensor import Tensor
from .inplace import apply_inplace, try_direct
from .registry import (
    binary_dtype,
    cast,
    fix_dtype,
    method,
    one_input_op,
    op,
    operand,
    quietly,
    raw,
    record,
    record2,
    recording,
    save,
    two_input_op,
    wrap,
)


def _operands(input, other):
    """``(input, other)``: a Tensor and a shape-checked Tensor or Python number."""
    if not isinstance(input, Tensor):
        raise TypeError(f"expected Tensor as first argument, got {type(input).__name__}")
    return input, operand(input, other)


def _tracked(value):
    return value if type(value) is Tensor or isinstance(value, Tensor) else None


def _needs(a, b):
    """Whether ``a op b`` must be recorded (inlined ``recording`` for the hot path)."""
    if not STATE.enabled:
        return False
    if a._grad_fn is not None or a._requires_grad:
        return True
    # isinstance, not only type: ``b`` may be a subclass (an nn.Parameter).
    return (type(b) is Tensor or isinstance(b, Tensor)) and (b._grad_fn is not None
                                                           or b._requires_grad)


def _saved_if(condition, value):
    if not condition:
        return None
    return save(value) if isinstance(value, Tensor) else SavedNumber(value)


def _requires(value):
    return isinstance(value, Tensor) and value.requires_grad


# ------------------------------------------------------------------- add / sub
class AddBackward0(Node):
    __slots__ = ()
    saved_fields = ("alpha",)
    gradients = {"self": "grad", "other": "grad if alpha == 1 else grad * alpha"}


class SubBackward0(Node):
    __slots__ = ()
    saved_fields = ("alpha",)
    gradients = {"self": "grad", "other": "-grad if alpha == 1 else grad * -alpha"}


class RsubBackward1(Node):
    __slots__ = ()
    saved_fields = ("alpha",)
    gradients = {"self": "-grad if alpha == 1 else grad * -alpha"}


@op("Arithmetic", shape="broadcast", arity=2, basic=True)
@two_input_op(np.add, AddBackward0)
def add(input, other, *, alpha=1):
    a, b = _operands(input, other)
    b_raw = raw(b) if alpha == 1 else raw(b) * alpha
    out = wrap(fix_dtype(a, b, a._data + b_raw))
    if _needs(a, b):
        record2(AddBackward0, out, a, _tracked(b), (alpha,))
    return out


@op("Arithmetic", aliases=("subtract",), shape="broadcast", arity=2, basic=True)
@two_input_op(np.subtract, SubBackward0)
def sub(input, other, *, alpha=1):
    a, b = _operands(input, other)
    b_raw = raw(b) if alpha == 1 else raw(b) * alpha
    out = wrap(fix_dtype(a, b, a._data - b_raw))
    if _needs(a, b):
        record2(SubBackward0, out, a, _tracked(b), (alpha,))
    return out


@op("Arithmetic", method=False, shape="broadcast", arity=2)
def rsub(input, other, *, alpha=1):
    """``other - alpha * input``: what ``2 - x`` computes."""
    if isinstance(other, Tensor):
        return sub(other, input, alpha=alpha)
    a = input
    dt = binary_dtype(a, other)
    a_raw = a._data if alpha == 1 else a._data * alpha
    out = wrap(cast(other - a_raw, dt))
    if recording(a):
        record(RsubBackward1, out, (a,), (alpha,))
    return out


# ------------------------------------------------------------------- mul / div
class MulBackward0(Node):
    __slots__ = ()
    saved_fields = ("other", "self")
    gradients = {"self": "grad * other", "other": "grad * self"}


@op("Arithmetic", aliases=("multiply",), shape="broadcast", arity=2, basic=True)
@two_input_op(np.multiply, MulBackward0, saves="operands")
def mul(input, other):
    a, b = _operands(input, other)
    out = wrap(fix_dtype(a, b, a._data * raw(b)))
    if _needs(a, b):
        saved = (_saved_if(a.requires_grad, b), _saved_if(_requires(b), a))
        record2(MulBackward0, out, a, _tracked(b), saved)
    return out


class DivBackward0(Node):
    __slots__ = ()
    saved_fields = ("other", "self")
    # −grad·((a/b)/b), in PyTorch's order (its values and its second-order graph)
    gradients = {"self": "grad / other", "other": "-grad * (self / other / other)"}


@op("Arithmetic", aliases=("divide", "true_divide"), shape="broadcast", arity=2, basic=True)
@two_input_op(np.true_divide, DivBackward0, saves="divisor", quiet=True)  # x / 0 is inf, silently
def div(input, other, *, rounding_mode=None):
    a, b = _operands(input, other)
    if rounding_mode is not None:
        return _rounded_div(a, b, rounding_mode)
    divisor = raw(b)
    if (type(divisor) is float or type(divisor) is int) and divisor:
        quotient = a._data / divisor
    else:  # x / 0 is inf or nan silently in PyTorch; numpy would warn
        quotient = quietly(np.true_divide, a._data, divisor)
    out = wrap(fix_dtype(a, b, quotient, true_division=True))
    if _needs(a, b):
        saved = (_saved_if(True, b), _saved_if(_requires(b), a))
        record(DivBackward0, out, (a, _tracked(b)), saved)
    return out


class DivBackward2(Node):
    """Rounded division is piecewise constant: its derivative is zero."""

    __slots__ = ()
    saved_fields = ("other", "rounding_mode")
    gradients = {"self": "grad * 0", "other": "grad * 0"}


def _rounded_div(a, b, mode):
    if mode not in ("trunc", "floor"):
        raise RuntimeError(
            f"div expected rounding_mode to be one of None, 'trunc', or 'floor' but found '{mode}'")
    xp = array_module(a._data)
    quotient = a._data / raw(b)
    quotient = xp.trunc(quotient) if mode == "trunc" else xp.floor(quotient)
    out = wrap(cast(quotient, binary_dtype(a, b)))
    if _needs(a, b):
        record(DivBackward2, out, (a, _tracked(b)), (_saved_if(True, b), mode))
    return out


class ReciprocalBackward0(Node):
    __slots__ = ()
    saved_fields = ("result",)
    # PyTorch's grouping: Mul(−grad, Mul(r, r))
    gradients = {"self": "-grad * (result * result)"}


@op("Arithmetic")
def reciprocal(input):
    dt = input.dtype
    if not dt.is_floating_point:
        dt = dtypes.get_default_dtype()
    out = wrap(cast(quietly(np.true_divide, 1, input._data), dt))  # 1/0 is inf, silently
    if recording(input):
        record(ReciprocalBackward0, out, (input,), (save(out, is_output=True),))
    return out


# ------------------------------------------------------------------------ pow
class PowBackward0(Node):
    __slots__ = ()
    saved_fields = ("exponent", "self")
    # exponent · a^(exponent − 1) first, as PyTorch's pow_backward: Mul(grad, Mul1(Pow))
    gradients = {
        "self": "grad * 0 if exponent == 0 else grad * mul_scalar(pow(self, exponent - 1), exponent)"}


class PowBackward1(Node):
    __slots__ = ()
    saved_fields = ("exponent", "result", "self")
    # ln a is taken as 0 where a = 0, as PyTorch does (0 ** b has no slope in b there)
    gradients = {"self": "grad * exponent * pow(self, exponent - 1)",
                 "exponent": "grad * result * where(self == 0, self * 0, log(self))"}


class PowBackward2(Node):
    __slots__ = ()
    saved_fields = ("exponent", "result", "self")
    # ``self`` is the Python number raised to the tensor
    gradients = {"exponent": "grad * result * (ln(self) if self > 0 else nan)"}


@op("Arithmetic", shape="broadcast", arity=2, basic=True)
def pow(input, exponent):
    if not isinstance(input, Tensor):
        return _scalar_pow(input, exponent)
    a, b = _operands(input, exponent)
    dt = binary_dtype(a, b)
    if isinstance(b, Tensor):
        out = wrap(cast(quietly(np.power, a._data, b._data), dt))  # (-8) ** 0.5 is nan, silently
        if _needs(a, b):
            record(PowBackward1, out, (a, b), (save(b), save(out, is_output=True), save(a)))
        return out
    if dt.is_floating_point or b >= 0:
        # A whole non-negative power never warns (x ** 2, the common one); others can:
        # (-8) ** (1/3) is nan and 0 ** -1 inf, silently in PyTorch.
        data = _power(a._data, b)
    else:
        raise RuntimeError("Integers to negative integer powers are not allowed.")
    out = wrap(cast(data, dt))
    if recording(a):
        record(PowBackward0, out, (a,), (b, save(a)))
    return out


def _power(data, exponent):
    """``data ** exponent`` for a number exponent as PyTorch's kernel computes it: 3 and −2
    are products (x·x·x, 1/(x·x)) and −0.5 is 1/√x, not libm's pow (numpy already squares
    for 2, takes √ for 0.5 and inverts for −1)."""
    if data.dtype.kind == "f":
        if exponent == 3:
            return data * data * data
        if exponent == -2:
            return quietly(np.true_divide, 1, data * data)
        if exponent == -0.5:
            return quietly(np.true_divide, 1, quietly(np.sqrt, data))
    if exponent >= 0 and exponent == int(exponent):
        return data ** exponent
    return quietly(np.power, data, exponent)


def _scalar_pow(base, exponent):
    dt = binary_dtype(base, exponent)
    out = wrap(cast(quietly(np.power, base, exponent._data), dt))
    if recording(exponent):
        record(PowBackward2, out, (exponent,), (save(exponent), save(out, is_output=True), base))
    return out


# ------------------------------------------------- Tensor-by-Scalar (internal)
# PyTorch's own C++ code multiplies and divides by plain numbers through the
# Scalar overloads, which record MulBackward1 and DivBackward1 (Python's ``x * 2``
# wraps the 2 in a tensor: MulBackward0). Losses built from other ops use these.
class MulBackward1(Node):
    __slots__ = ()
    saved_fields = ("other",)
    gradients = {"self": "grad * other"}


class DivBackward1(Node):
    __slots__ = ()
    saved_fields = ("other",)
    gradients = {"self": "grad / other"}


class AddBackward1(Node):
    __slots__ = ()
    gradients = {"self": "grad"}


def add_scalar(input, number):
    """``at::add(input, Scalar)``: recorded as AddBackward1."""
    out = wrap(fix_dtype(input, number, input._data + number))
    if recording(input):
        record(AddBackward1, out, (input,))
    return out


def mul_scalar(input, number):
    """``at::mul(input, Scalar)``: recorded as MulBackward1."""
    out = wrap(fix_dtype(input, number, input._data * number))
    if recording(input):
        record(MulBackward1, out, (input,), (number,))
    return out


def div_scalar(input, number):
    """``at::div(input, Scalar)``: recorded as DivBackward1."""
    out = wrap(fix_dtype(input, number, input._data / number, true_division=True))
    if recording(input):
        record(DivBackward1, out, (input,), (number,))
    return out


# ------------------------------------------------------------------------ neg
class NegBackward0(Node):
    __slots__ = ()
    gradients = {"self": "-grad"}


@op("Arithmetic", aliases=("negative",))
@one_input_op(np.negative, NegBackward0)
def neg(input):
    if input._data.dtype.kind == "b":
        raise RuntimeError(
            "Negation, the `-` operator, on a bool tensor is not supported. If you are trying to "
            "invert a mask, use the `~` or `logical_not()` operator instead.")
    out = wrap(-input._data)
    if recording(input):
        record(NegBackward0, out, (input,))
    return out


# --------------------------------------------------------- Python operators
method("__add__", "__radd__")(add)
method("__sub__")(sub)
method("__mul__", "__rmul__")(mul)
method("__truediv__")(div)
method("__pow__")(pow)
method("__neg__")(neg)


@method("__rsub__")
def _rsub(self, other):
    return rsub(self, other)


@method("__rtruediv__")
def _rtruediv(self, other):
    return mul(reciprocal(self), other)


@method("__rpow__")
def _rpow(self, other):
    return _scalar_pow(other, self)


@method("__pos__")
def _pos(self):
    return self


# --------------------------------------------------------- in-place variants
@method("add_", "__iadd__")
def add_(self, other, *, alpha=1):
    if alpha == 1 and try_direct(self, np.add, other):
        return self
    return apply_inplace(self, lambda: add(self, other, alpha=alpha))


@method("sub_", "__isub__", "subtract_")
def sub_(self, other, *, alpha=1):
    if alpha == 1 and try_direct(self, np.subtract, other):
        return self
    return apply_inplace(self, lambda: sub(self, other, alpha=alpha))


@method("mul_", "__imul__", "multiply_")
def mul_(self, other):
    if try_direct(self, np.multiply, other):
        return self
    return apply_inplace(self, lambda: mul(self, other))


@method("div_", "__itruediv__", "divide_")
def div_(self, other, *, rounding_mode=None):
    if rounding_mode is None and try_direct(self, np.divide, other):
        return self
    return apply_inplace(self, lambda: div(self, other, rounding_mode=rounding_mode))


@method("pow_", "__ipow__")
def pow_(self, exponent):
    return apply_inplace(self, lambda: pow(self, exponent))


@method("neg_", "negative_")
def neg_(self):
    return apply_inplace(self, lambda: neg(self))


@method("reciprocal_")
def reciprocal_(self):
    return apply_inplace(self, lambda: reciprocal(self))
