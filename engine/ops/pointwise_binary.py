"""Pointwise functions of two tensors, beyond arithmetic and choices: atan2.

Operands broadcast and promote as PyTorch's do, and an integer or bool result
type becomes the default float dtype (an angle is not an integer).
"""
from .. import dtypes
from ..autograd.derivative import register_math
from ..autograd.node import Node
from ..backend import array_module
from .arithmetic import reciprocal
from .comparison import isinf
from .gather import masked_fill
from .inplace import apply_inplace
from .pointwise_select import broadcast_shape, tensors_only
from .registry import binary_dtype, cast, method, op, record, recording, save, wrap


def _floating_result_dtype(input, other):
    dt = binary_dtype(input, other)
    return dt if dt.is_floating_point else dtypes.get_default_dtype()


# ---------------------------------------------------------------------- atan2
def _reciprocal_or_zero(input):
    recip = reciprocal(input)
    return masked_fill(recip, isinf(recip), 0)


def _reciprocal_or_zero_array(data):
    xp = array_module(data)
    recip = xp.true_divide(1, data)
    return xp.where(xp.isinf(recip), xp.asarray(0, dtype=recip.dtype), recip)


# 1 / x, and 0 where that is infinite: at the origin atan2 has no slope in PyTorch (not nan).
register_math("reciprocal_or_zero", _reciprocal_or_zero, _reciprocal_or_zero_array,
              text="1 / {0}")


class Atan2Backward0(Node):
    __slots__ = ()
    saved_fields = ("self", "other")
    # PyTorch's atan2_backward: grad · other / (self² + other²) and grad · −self / (self² + other²)
    gradients = {"self": "grad * other * reciprocal_or_zero(self * self + other * other)",
                 "other": "grad * -self * reciprocal_or_zero(self * self + other * other)"}


def _atan2_method(self, other):
    tensors_only("atan2", self, other, as_method=True)
    return atan2(self, other)


@op("Pointwise", aliases=("arctan2",), shape="broadcast", arity=2, basic=True, method_fn=_atan2_method)
def atan2(input, other):
    """The angle of the point (other, input), in [-π, π]: ``input`` is y, ``other`` is x."""
    tensors_only("atan2", input, other)
    broadcast_shape(input, other)
    dt = _floating_result_dtype(input, other)
    xp = array_module(input._data)
    out = wrap(xp.arctan2(cast(input._data, dt), cast(other._data, dt)))
    if recording(input, other):
        record(Atan2Backward0, out, (input, other), (save(input), save(other)))
    return out


@method("atan2_", "arctan2_")
def atan2_(self, other):
    tensors_only("atan2_", self, other, as_method=True)
    return apply_inplace(self, lambda: atan2(self, other))
