"""Elementwise choices between values: clamp, maximum/minimum, where.

Their gradients route ``grad`` to whichever operand was picked (with ``where``
in the backward formulas), so every formula is itself differentiable.
"""
import numpy as np

from .. import dtypes
from ..autograd.node import Node
from ..backend import array_module
from ..tensor import Tensor
from .comparison import scalar_type_name
from .inplace import apply_inplace
from .registry import (
    FUNCTIONS,
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


def broadcast_shape(*tensors):
    """The common shape of ``tensors`` (None skipped), with PyTorch's error for a clash."""
    shape = ()
    for t in tensors:
        if t is None:
            continue
        if t._data.shape != shape:
            check_broadcast(shape, t._data.shape)
            shape = np.broadcast_shapes(shape, t._data.shape)
    return shape


def result_type(*operands):
    """PyTorch's result dtype for tensors and Python numbers (None entries are skipped).

    Operands form three tiers: tensors with dimensions, 0-dim tensors, numbers.
    A lower tier decides the result only when its category (bool < integer <
    floating) is higher, e.g. ``int_tensor.clamp(0.5)`` is float32.
    """
    tiers = [None, None, None]
    for value in operands:
        if value is None:
            continue
        if isinstance(value, Tensor):
            tier, dt = (0 if value._data.ndim else 1), value.dtype
        else:
            tier, dt = 2, dtypes.default_for_category(dtypes.scalar_category(value))
        tiers[tier] = dt if tiers[tier] is None else dtypes.promote(tiers[tier], dt)
    result = None
    for dt in tiers:
        if result is None or (dt is not None and dt._category > result._category):
            result = dt
    return result


# -------------------------------------------------------------------- clamp
class ClampBackward1(Node):
    __slots__ = ()
    saved_fields = ("min", "max", "self")  # the bounds are numbers (or None)
    gradients = {"self": "where(clamp_keeps(self, min, max), grad, 0.0)"}


class ClampBackward0(Node):
    __slots__ = ()
    saved_fields = ("min", "max", "self")
    # PyTorch's clamp_backward_min_max masks; when lo > hi every result is hi.
    gradients = {"self": "where(clamp_keeps(self, min, max), grad, 0.0)",
                 "min": "where(clamp_to_min(self, min, max), grad, 0.0)",
                 "max": "where(clamp_to_max(self, min, max), grad, 0.0)"}


def _clamp_data(xp, data, low, high):
    """max then min, as PyTorch: nan stays nan, and lo > hi gives hi."""
    if low is not None:
        data = xp.maximum(data, low)
    if high is not None:
        data = xp.minimum(data, high)
    return data


def _as_number(bound):
    """A 0-dim tensor given next to a number bound is read as a number (PyTorch's overloads)."""
    if isinstance(bound, Tensor):
        if bound._data.ndim:
            raise TypeError("clamp(): a tensor bound given with a number bound must be 0-dim")
        return bound.item()
    return bound


def _clamp_numbers(input, low, high):
    """Forward with number bounds (either may be None); records nothing."""
    dt = result_type(input, low, high)
    xp = array_module(input._data)
    return wrap(_clamp_data(xp, cast(input._data, dt), low, high))


def _clamp_tensors(input, low, high):
    """Forward with tensor bounds (either may be None); records nothing."""
    broadcast_shape(input, low, high)
    dt = result_type(input, low, high)
    xp = array_module(input._data)
    low_data = cast(low._data, dt) if low is not None else None
    high_data = cast(high._data, dt) if high is not None else None
    return wrap(_clamp_data(xp, cast(input._data, dt), low_data, high_data))


def _save_optional(tensor):
    return save(tensor) if tensor is not None else None


@op("Pointwise", aliases=("clip",), shape="broadcast")
def clamp(input, min=None, max=None):  # noqa: A002 - PyTorch's argument names
    """Limit ``input`` to ``[min, max]``; either bound may be None, a number or a tensor."""
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    if is_number(min) or is_number(max):
        low, high = _as_number(min), _as_number(max)
        out = _clamp_numbers(input, low, high)
        if recording(input):
            record(ClampBackward1, out, (input,), (low, high, save(input)))
        return out
    low = as_tensor(min) if min is not None else None
    high = as_tensor(max) if max is not None else None
    out = _clamp_tensors(input, low, high)
    if recording(input, *(t for t in (low, high) if t is not None)):
        saved = (_save_optional(low), _save_optional(high), save(input))
        record(ClampBackward0, out, (input, low, high), saved)
    return out


class ClampMinBackward0(Node):
    __slots__ = ()
    saved_fields = ("min", "self")
    gradients = {"self": "where(self >= min, grad, 0.0)"}


class ClampMinBackward1(Node):
    __slots__ = ()
    saved_fields = ("min", "self")
    gradients = {"self": "where(self >= min, grad, 0.0)", "min": "where(self < min, grad, 0.0)"}


class ClampMaxBackward0(Node):
    __slots__ = ()
    saved_fields = ("max", "self")
    gradients = {"self": "where(self <= max, grad, 0.0)"}


class ClampMaxBackward1(Node):
    __slots__ = ()
    saved_fields = ("max", "self")
    gradients = {"self": "where(self <= max, grad, 0.0)", "max": "where(self > max, grad, 0.0)"}


def _one_sided_clamp(input, bound, side, scalar_node, tensor_node):
    if not isinstance(bound, Tensor) and not is_number(bound):
        raise TypeError(f"clamp_{side}(): argument '{side}' must be Tensor or Number, "
                        f"not {type(bound).__name__}")
    low, high = (bound, None) if side == "min" else (None, bound)
    if isinstance(bound, Tensor):
        out = _clamp_tensors(input, low, high)
        if recording(input, bound):
            record(tensor_node, out, (input, bound), (save(bound), save(input)))
        return out
    out = _clamp_numbers(input, low, high)
    if recording(input):
        record(scalar_node, out, (input,), (bound, save(input)))
    return out


@op("Pointwise", shape="broadcast")
def clamp_min(input, min):  # noqa: A002
    return _one_sided_clamp(input, min, "min", ClampMinBackward0, ClampMinBackward1)


@op("Pointwise", shape="broadcast")
def clamp_max(input, max):  # noqa: A002
    return _one_sided_clamp(input, max, "max", ClampMaxBackward0, ClampMaxBackward1)


def _clamp_inplace(fn):
    def inplace(self, *args, **kwargs):
        # A number among the bounds selects PyTorch's scalar kernel, whose cast error
        # names the target's type as C++ does.
        numbers = any(is_number(v) for v in (*args, *kwargs.values()))
        return apply_inplace(self, lambda: fn(self, *args, **kwargs), c_type_names=numbers)
    inplace.__name__ = inplace.__qualname__ = fn.__name__ + "_"
    inplace.__doc__ = f"In-place ``{fn.__name__}``."
    return inplace


for _fn, _names in ((clamp, ("clamp_", "clip_")), (clamp_min, ("clamp_min_",)),
                    (clamp_max, ("clamp_max_",))):
    _inplace = method(*_names)(_clamp_inplace(_fn))
    for _name in _names:
        FUNCTIONS[_name] = _inplace


# -------------------------------------------------------- maximum / minimum
class MaximumBackward0(Node):
    __slots__ = ()
    saved_fields = ("other", "self")
    # a tie splits the gradient
    gradients = {"self": "where(self < other, 0.0, where(self == other, grad / 2, grad))",
                 "other": "where(self > other, 0.0, where(self == other, grad / 2, grad))"}


class MinimumBackward0(Node):
    __slots__ = ()
    saved_fields = ("other", "self")
    gradients = {"self": "where(self > other, 0.0, where(self == other, grad / 2, grad))",
                 "other": "where(self < other, 0.0, where(self == other, grad / 2, grad))"}


def tensors_only(name, input, other, as_method=False):
    """PyTorch's TypeError for a Python number where a Tensor must be; called as a
    method, ``self`` is not counted (``x.atan2(2)``: 'other' is argument 1)."""
    first = 0 if as_method else 1
    for argument, position, value in (("input", first, input), ("other", first + 1, other)):
        if not isinstance(value, Tensor):
            raise TypeError(f"{name}(): argument '{argument}' (position {position}) must be "
                            f"Tensor, not {type(value).__name__}")


def _extremum(name, input, other, ufunc_name, node_cls):
    tensors_only(name, input, other)
    broadcast_shape(input, other)
    dt = binary_dtype(input, other)
    xp = array_module(input._data)
    out = wrap(getattr(xp, ufunc_name)(cast(input._data, dt), cast(other._data, dt)))
    if recording(input, other):
        record(node_cls, out, (input, other), (save(other), save(input)))
    return out


def _maximum_method(self, other):
    tensors_only("maximum", self, other, as_method=True)
    return maximum(self, other)


def _minimum_method(self, other):
    tensors_only("minimum", self, other, as_method=True)
    return minimum(self, other)


@op("Pointwise", shape="broadcast", arity=2, method_fn=_maximum_method)
def maximum(input, other):
    """Elementwise larger value (nan wins, as in PyTorch)."""
    return _extremum("maximum", input, other, "maximum", MaximumBackward0)


@op("Pointwise", shape="broadcast", arity=2, method_fn=_minimum_method)
def minimum(input, other):
    """Elementwise smaller value (nan wins, as in PyTorch)."""
    return _extremum("minimum", input, other, "minimum", MinimumBackward0)


# -------------------------------------------------------------------- where
class WhereBackward0(Node):
    __slots__ = ()
    saved_fields = ("condition",)
    gradients = {"self": "where(condition, grad, 0.0)", "other": "where(condition, 0.0, grad)"}


@op("Pointwise", method=False, shape="broadcast")
def where(condition, input=None, other=None):
    """``input`` where ``condition`` holds, else ``other`` (either may be a number).

    With only ``condition``: the indices of its true elements, one tensor per dimension.
    """
    if input is None and other is None:
        return _nonzero_tuple(condition)
    if condition._data.dtype.kind != "b":
        raise RuntimeError("where expected condition to be a boolean tensor, but got a tensor "
                           f"with dtype {scalar_type_name(condition.dtype)}")
    tensors = [t for t in (input, other) if isinstance(t, Tensor)]
    broadcast_shape(condition, *tensors)
    dt = result_type(input, other)
    xp = array_module(condition._data)
    out = wrap(cast(xp.where(condition._data, _operand(input, dt), _operand(other, dt)), dt))
    if recording(*tensors):
        tracked = tuple(t if isinstance(t, Tensor) else None for t in (input, other))
        record(WhereBackward0, out, tracked, (save(condition),))
    return out


def _operand(value, dt):
    if isinstance(value, Tensor):
        return cast(value._data, dt)
    return value  # a Python number: numpy keeps the array's dtype


def _nonzero_tuple(condition):
    xp = array_module(condition._data)
    data = condition._data if condition._data.ndim else condition._data.reshape(1)
    return tuple(wrap(index.astype(dtypes.int64.numpy)) for index in xp.nonzero(data))


@method("where")
def _where_method(self, condition, other):
    return where(condition, self, other)
