"""Rounding: floor, ceil, trunc, round, and frac (what rounding removes).

Integer inputs are already whole and come back as copies. Rounded values are
piecewise constant, so their gradient is zero (PyTorch's choice at the jumps too);
frac passes the gradient through unchanged.
"""
from ..autograd.node import Node
from ..backend import array_module
from .comparison import scalar_type_name
from .inplace import inplace_variant
from .registry import FUNCTIONS, method, op, record, recording, wrap


class FloorBackward0(Node):
    __slots__ = ()
    gradients = {"self": "zeros_like(grad)"}  # a step function: flat wherever it has a slope
    local = {"self": "0"}


class CeilBackward0(FloorBackward0):
    __slots__ = ()


class TruncBackward0(FloorBackward0):
    __slots__ = ()


class RoundBackward0(FloorBackward0):
    __slots__ = ()


class RoundBackward1(RoundBackward0):
    __slots__ = ()
    saved_fields = ()


def _rounding(input, ufunc_name, node_cls):
    if input._data.dtype.kind != "f":
        return wrap(input._data.copy())  # integers are already whole
    xp = array_module(input._data)
    out = wrap(getattr(xp, ufunc_name)(input._data))
    if recording(input):
        record(node_cls, out, (input,))
    return out


@op("Pointwise")
def floor(input):
    return _rounding(input, "floor", FloorBackward0)


@op("Pointwise")
def ceil(input):
    return _rounding(input, "ceil", CeilBackward0)


@op("Pointwise", aliases=("fix",))
def trunc(input):
    return _rounding(input, "trunc", TruncBackward0)


@op("Pointwise")
def round(input, *, decimals=0):  # noqa: A001 - torch.round
    """Round half to even; with ``decimals``, to that many decimal places (RoundBackward1)."""
    if decimals == 0:
        return _rounding(input, "rint", RoundBackward0)
    if input._data.dtype.kind != "f":
        raise NotImplementedError(
            f"\"round_cpu\" not implemented for '{scalar_type_name(input.dtype)}'")
    xp = array_module(input._data)
    out = wrap((xp.round(input._data, decimals)))
    if recording(input):
        record(RoundBackward1, out, (input,))
    return out


class FracBackward0(Node):
    __slots__ = ()
    gradients = {"self": "grad"}  # a − trunc(a): trunc's slope is 0


@op("Pointwise")
def frac(input):
    xp = array_module(input._data)
    out = wrap((input._data - xp.trunc(input._data)))
    if recording(input):
        record(FracBackward0, out, (input,))
    return out





for _fn in (floor, ceil, trunc, round, frac):
    FUNCTIONS[_fn.__name__ + "_"] = method(_fn.__name__ + "_")(inplace_variant(_fn))
method("fix_")(inplace_variant(trunc))
