"""Comparisons, logical and bitwise ops, and integer-style division (``//``, ``%``).

Comparisons, logical and bitwise ops return bool or integer tensors that never
require grad, so they record nothing. ``remainder`` and ``fmod`` have
gradients; ``floor_divide`` (and a number on the left of ``%``) records a
``NotImplemented`` node that fails only when backward reaches it, as PyTorch's does.
"""
import numpy as np

from ..autograd.node import Node
from ..backend import array_module
from ..tensor import Tensor
from .inplace import apply_inplace
from .registry import (
    as_tensor,
    binary_dtype,
    cast,
    check_broadcast,
    is_number,
    method,
    op,
    record,
    recording,
    save,
    wrap,
)

# PyTorch's ScalarType names, as its "not implemented for 'Float'" errors print them.
SCALAR_TYPE_NAMES = {"float32": "Float", "float64": "Double", "float16": "Half", "int64": "Long",
                     "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool"}


def scalar_type_name(dtype):
    return SCALAR_TYPE_NAMES.get(dtype.name, dtype.name)


def _binary_operands(input, other):
    """``(input, other, dtype)`` with ``input`` a Tensor; ``other`` stays a number when it is one."""
    if not isinstance(input, Tensor):
        input, other = as_tensor(input, like=other if isinstance(other, Tensor) else None), other
    if isinstance(other, Tensor):
        if input._data.shape != other._data.shape:
            check_broadcast(input._data.shape, other._data.shape)
    elif not is_number(other):
        other = as_tensor(other)
        return _binary_operands(input, other)
    return input, other, binary_dtype(input, other)


def _operand_data(value, dt):
    """The array (cast to the op's dtype) or the Python number behind an operand."""
    if isinstance(value, Tensor):
        return cast(value._data, dt)
    return value


def _is_operand(value):
    """True for what a Python operator accepts; anything else makes it return NotImplemented."""
    return isinstance(value, Tensor) or is_number(value)


# ---------------------------------------------------------------- comparisons
def _compare(input, other, ufunc_name):
    a, b, dt = _binary_operands(input, other)
    xp = array_module(a._data)
    result = getattr(xp, ufunc_name)(cast(a._data, dt), _operand_data(b, dt))
    return wrap(result)


@op("Comparison", shape="broadcast", arity=2)
def eq(input, other):
    return _compare(input, other, "equal")


@op("Comparison", aliases=("not_equal",), shape="broadcast", arity=2)
def ne(input, other):
    return _compare(input, other, "not_equal")


@op("Comparison", aliases=("less",), shape="broadcast", arity=2)
def lt(input, other):
    return _compare(input, other, "less")


@op("Comparison", aliases=("less_equal",), shape="broadcast", arity=2)
def le(input, other):
    return _compare(input, other, "less_equal")


@op("Comparison", aliases=("greater",), shape="broadcast", arity=2)
def gt(input, other):
    return _compare(input, other, "greater")


@op("Comparison", aliases=("greater_equal",), shape="broadcast", arity=2)
def ge(input, other):
    return _compare(input, other, "greater_equal")


def _comparison_operator(fn, fallback):
    """``x == None`` is False in PyTorch (Python's fallback), not an error."""
    def operator(self, other):
        if not _is_operand(other):
            return fallback
        return fn(self, other)
    operator.__name__ = fn.__name__
    return operator


method("__eq__")(_comparison_operator(eq, NotImplemented))
method("__ne__")(_comparison_operator(ne, NotImplemented))
method("__lt__")(_comparison_operator(lt, NotImplemented))
method("__le__")(_comparison_operator(le, NotImplemented))
method("__gt__")(_comparison_operator(gt, NotImplemented))
method("__ge__")(_comparison_operator(ge, NotImplemented))


@op("Comparison")
def isnan(input):
    return wrap(array_module(input._data).isnan(input._data))


@op("Comparison")
def isinf(input):
    return wrap(array_module(input._data).isinf(input._data))


@op("Comparison")
def isfinite(input):
    return wrap(array_module(input._data).isfinite(input._data))


@op("Comparison", shape="broadcast", arity=2)
def isclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    """``|input − other| ≤ atol + rtol·|other|`` elementwise; both must share a dtype."""
    if input.dtype is not other.dtype:
        raise RuntimeError(
            f"{scalar_type_name(input.dtype)} did not match {scalar_type_name(other.dtype)}")
    if input._data.shape != other._data.shape:
        check_broadcast(input._data.shape, other._data.shape)
    xp = array_module(input._data)
    return wrap(xp.isclose(input._data, other._data, rtol=rtol, atol=atol,
                                      equal_nan=equal_nan))


@op("Comparison")
def allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    """A Python bool: ``isclose`` holds everywhere."""
    return bool(isclose(input, other, rtol, atol, equal_nan)._data.all())


@op("Comparison")
def equal(input, other):
    """A Python bool: same shape and equal values (after type promotion)."""
    if input._data.shape != other._data.shape:
        return False
    return bool(eq(input, other)._data.all())


# -------------------------------------------------------------------- logical
def _logical(input, other, ufunc_name):
    a, b, _ = _binary_operands(input, as_tensor(other, like=input))
    xp = array_module(a._data)
    return wrap(getattr(xp, ufunc_name)(a._data, b._data))


@op("Logical", shape="broadcast", arity=2)
def logical_and(input, other):
    return _logical(input, other, "logical_and")


@op("Logical", shape="broadcast", arity=2)
def logical_or(input, other):
    return _logical(input, other, "logical_or")


@op("Logical", shape="broadcast", arity=2)
def logical_xor(input, other):
    return _logical(input, other, "logical_xor")


@op("Logical")
def logical_not(input):
    xp = array_module(input._data)
    return wrap(xp.logical_not(input._data))


# -------------------------------------------------------------------- bitwise
def _integer_op(input, other, ufunc_name, kernel):
    """A bool/integer-only binary op; ``kernel`` names it in PyTorch's dtype error."""
    a, b, dt = _binary_operands(input, other)
    if dt.is_floating_point:
        raise NotImplementedError(f'"{kernel}_cpu" not implemented for \'{scalar_type_name(dt)}\'')
    xp = array_module(a._data)
    result = getattr(xp, ufunc_name)(cast(a._data, dt), _operand_data(b, dt))
    return wrap(cast(xp.asarray(result), dt))


@op("Bitwise", shape="broadcast", arity=2)
def bitwise_and(input, other):
    return _integer_op(input, other, "bitwise_and", "bitwise_and")


@op("Bitwise", shape="broadcast", arity=2)
def bitwise_or(input, other):
    return _integer_op(input, other, "bitwise_or", "bitwise_or")


@op("Bitwise", shape="broadcast", arity=2)
def bitwise_xor(input, other):
    return _integer_op(input, other, "bitwise_xor", "bitwise_xor")


@op("Bitwise")
def bitwise_not(input):
    if input.is_floating_point():
        raise NotImplementedError(
            f'"bitwise_not_cpu" not implemented for \'{scalar_type_name(input.dtype)}\'')
    xp = array_module(input._data)
    return wrap(xp.invert(input._data))


@op("Bitwise", shape="broadcast", arity=2)
def bitwise_left_shift(input, other):
    return _integer_op(input, other, "left_shift", "lshift")


@op("Bitwise", shape="broadcast", arity=2)
def bitwise_right_shift(input, other):
    return _integer_op(input, other, "right_shift", "rshift")


def _operator(fn, reflected=False):
    def operator(self, other):
        if not _is_operand(other):
            return NotImplemented
        return fn(other, self) if reflected else fn(self, other)
    operator.__name__ = fn.__name__
    return operator


method("__and__", "__rand__")(_operator(bitwise_and))
method("__or__", "__ror__")(_operator(bitwise_or))
method("__xor__", "__rxor__")(_operator(bitwise_xor))
method("__lshift__")(_operator(bitwise_left_shift))
method("__rshift__")(_operator(bitwise_right_shift))
method("__rlshift__")(_operator(bitwise_left_shift, reflected=True))
method("__rrshift__")(_operator(bitwise_right_shift, reflected=True))


@method("__invert__")
def _invert(self):
    if self.is_floating_point():
        raise TypeError("~ (operator.invert) is only implemented on integer and Boolean-type tensors")
    return bitwise_not(self)


@method("__iand__", "bitwise_and_")
def bitwise_and_(self, other):
    return apply_inplace(self, lambda: bitwise_and(self, other))


@method("__ior__", "bitwise_or_")
def bitwise_or_(self, other):
    return apply_inplace(self, lambda: bitwise_or(self, other))


@method("__ixor__", "bitwise_xor_")
def bitwise_xor_(self, other):
    return apply_inplace(self, lambda: bitwise_xor(self, other))


# ------------------------------------------------- floor_divide / remainder / fmod
# NOTE [NotImplemented nodes]
# PyTorch records a node even for ops without a derivative formula
# (floor_divide, remainder with a number on the left); the error comes only when
# backward reaches it. Its Python class is named ``NotImplemented``, a name we
# cannot give a class here without hiding the builtin, so it is set afterwards.
class NotImplementedBackward(Node):
    """Raises when backward reaches it; ``_saved[0]`` names the op (``aten::floor_divide``)."""

    __slots__ = ()
    formula = "no derivative: backward through this op is an error"

    def name(self):
        return "torch::autograd::NotImplemented"

    def backward(self, grad):
        raise RuntimeError(f"derivative for {self._saved[0]} is not implemented")


NotImplementedBackward.__name__ = NotImplementedBackward.__qualname__ = "NotImplemented"


def _check_integer_zero(b, dt, xp):
    """Integer division by zero is an error in PyTorch (numpy would return 0 and warn)."""
    if dt.is_floating_point:
        return
    divisor = b._data if isinstance(b, Tensor) else b
    if bool(xp.any(xp.asarray(divisor) == 0)):
        raise RuntimeError("ZeroDivisionError")


def _divide_like(input, other, ufunc_name):
    """Forward of ``//``, ``%`` and fmod: (operands, output) computed in the promoted dtype."""
    a, b, dt = _binary_operands(input, other)
    xp = array_module(a._data)
    _check_integer_zero(b, dt, xp)
    a_data, b_data = cast(a._data, dt), _operand_data(b, dt)
    with np.errstate(all="ignore"):  # x // 0.0 is inf or nan, silently, as in PyTorch
        if ufunc_name == "remainder" and dt.is_floating_point:
            result = _float_remainder(xp, a_data, b_data)
        else:
            result = getattr(xp, ufunc_name)(a_data, b_data)
    return a, b, wrap(cast(xp.asarray(result), dt))


def _float_remainder(xp, a, b):
    """PyTorch's float remainder: fmod, moved into the divisor's sign when they differ.

    numpy's ``remainder`` agrees except on signed zeros (``2.0 % -2.0`` is -0.0 there, 0.0 here).
    """
    mod = xp.fmod(a, b)
    moved = (mod != 0) & ((xp.asarray(b) < 0) != (mod < 0))
    return xp.where(moved, mod + b, mod)


@op("Arithmetic", shape="broadcast", arity=2)
def floor_divide(input, other):
    _, _, out = _divide_like(input, other, "floor_divide")
    # PyTorch's NotImplemented node keeps edges only to the inputs that require grad.
    tensors = tuple(t for t in (input, other) if isinstance(t, Tensor) and t.requires_grad)
    if recording(*tensors):
        record(NotImplementedBackward, out, tensors, ("aten::floor_divide",))
    return out


class RemainderBackward0(Node):
    __slots__ = ()
    gradients = {"self": "grad"}  # a mod c, c a number


class RemainderBackward1(Node):
    __slots__ = ()
    saved_fields = ("other", "self")
    gradients = {"self": "grad", "other": "-grad * rounded_quotient(self, other, 'floor')"}


class FmodBackward0(Node):
    __slots__ = ()
    gradients = {"self": "grad"}  # fmod(a, c), c a number


class FmodBackward1(Node):
    __slots__ = ()
    saved_fields = ("other", "self")
    gradients = {"self": "grad", "other": "-grad * rounded_quotient(self, other, 'trunc')"}


def rounded_quotient(a, b, mode):
    """⌊a/b⌋ or trunc(a/b) as a constant: it is piecewise constant, so its derivative is 0."""
    return wrap(rounded_quotient_array(a._data, b._data, mode))


def rounded_quotient_array(a, b, mode):
    xp = array_module(a)
    with np.errstate(all="ignore"):
        quotient = a / b
    return xp.floor(quotient) if mode == "floor" else xp.trunc(quotient)


def _remainder_like(input, other, ufunc_name, scalar_node, tensor_node):
    if not isinstance(input, Tensor):
        return _reflected_remainder(input, other, ufunc_name)
    a, b, out = _divide_like(input, other, ufunc_name)
    if isinstance(b, Tensor):
        if recording(a, b):
            record(tensor_node, out, (a, b), (save(b), save(a)))
    elif recording(a):
        record(scalar_node, out, (a,))
    return out


def _reflected_remainder(number, tensor, ufunc_name):
    """``2 % x``: PyTorch has no derivative for a Tensor divisor with a number dividend."""
    _, _, out = _divide_like(as_tensor(number, like=tensor), tensor, ufunc_name)
    if recording(tensor):
        record(NotImplementedBackward, out, (tensor,), (f"aten::{ufunc_name}",))
    return out


@op("Arithmetic", shape="broadcast", arity=2)
def remainder(input, other):
    """Python's ``%``: the result takes the sign of the divisor."""
    return _remainder_like(input, other, "remainder", RemainderBackward0, RemainderBackward1)


@op("Arithmetic", shape="broadcast", arity=2)
def fmod(input, other):
    """C's ``fmod``: the result takes the sign of the dividend."""
    return _remainder_like(input, other, "fmod", FmodBackward0, FmodBackward1)


method("__floordiv__")(_operator(floor_divide))
method("__rfloordiv__")(_operator(floor_divide, reflected=True))
method("__mod__")(_operator(remainder))
method("__rmod__")(_operator(remainder, reflected=True))


@method("floor_divide_", "__ifloordiv__")
def floor_divide_(self, other):
    return apply_inplace(self, lambda: floor_divide(self, other))


@method("remainder_", "__imod__")
def remainder_(self, other):
    return apply_inplace(self, lambda: remainder(self, other))


@method("fmod_")
def fmod_(self, other):
    return apply_inplace(self, lambda: fmod(self, other))

