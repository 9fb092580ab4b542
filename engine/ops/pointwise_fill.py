"""In-place writes of new contents: ``zero_``, ``fill_`` and ``copy_``.

Like every in-place op they go through ``apply_inplace``: the new contents are
made out of place (already in the target's dtype, since these ops may write
floats into an integer tensor) and the node recorded for them becomes the
target's grad_fn. The old contents are overwritten, so their gradient is zero.
"""
import numpy as np

from ..autograd.node import Node
from ..backend import array_module, to_module
from ..tensor import Tensor
from .inplace import apply_inplace
from .registry import FUNCTIONS, check_broadcast, is_number, method, record, recording, wrap, zeros_like


class ZeroBackward0(Node):
    __slots__ = ()
    gradients = {"self": "zeros_like(grad)"}  # the old values are overwritten
    local = {"self": "0"}


@method("zero_")
def zero_(self):
    def compute():
        out = wrap(array_module(self._data).zeros_like(self._data))
        if recording(self):
            record(ZeroBackward0, out, (self,))
        return out
    return apply_inplace(self, compute)


class FillBackward2(Node):
    __slots__ = ()
    gradients = {"self": "zeros_like(grad)"}  # overwritten with a number
    local = {"self": "0"}


class FillBackward3(Node):
    __slots__ = ()
    gradients = {"self": "zeros_like(grad)", "value": "sum_all(grad)"}  # every element is the 0-d value
    local = {"self": "0"}


@method("fill_")
def fill_(self, value):
    """Write ``value`` (a number or a 0-dim tensor) into every element."""
    if isinstance(value, Tensor) and value._data.ndim != 0:
        raise RuntimeError("fill_ only supports 0-dimension value tensor but got tensor with "
                           f"{value._data.ndim} dimensions.")
    if not isinstance(value, Tensor) and not is_number(value):
        raise TypeError(f"fill_(): argument 'value' must be Number, not {type(value).__name__}")

    def compute():
        xp = array_module(self._data)
        fill = to_module(value._data, xp) if isinstance(value, Tensor) else value
        out = wrap(xp.full_like(self._data, fill))  # full_like casts to the target's dtype
        if isinstance(value, Tensor):
            if recording(self, value):
                record(FillBackward3, out, (self, value))
        elif recording(self):
            record(FillBackward2, out, (self,))
        return out
    return apply_inplace(self, compute)


FUNCTIONS["fill_"] = fill_
FUNCTIONS["zero_"] = zero_


class CopyBackwards(Node):
    """PyTorch's copy_ node: a hand-written C++ class, hence its unusual name."""

    __slots__ = ()
    formula = "∂/∂src = grad (summed back over broadcast dims, cast to src's dtype); old values get 0"

    def name(self):
        return "torch::autograd::CopyBackwards"

    def backward(self, grad):
        grad_self = zeros_like(grad) if self.needs_input_grad(0) else None
        grad_src = grad if self.needs_input_grad(1) else None
        return grad_self, grad_src


@method("copy_")
def copy_(self, src, non_blocking=False):
    """Write ``src`` (broadcast to this shape, cast to this dtype and device) into this tensor."""
    if not isinstance(src, Tensor):
        raise TypeError(f"copy_(): argument 'src' (position 1) must be Tensor, not "
                        f"{type(src).__name__}")
    if src._data.shape != self._data.shape:
        check_broadcast(self._data.shape, src._data.shape)

    def compute():
        xp = array_module(self._data)
        shape = np.broadcast_shapes(self._data.shape, src._data.shape)
        data = xp.broadcast_to(to_module(src._data, xp), shape).astype(self._data.dtype, copy=True)
        out = wrap(data)
        if recording(self, src):
            record(CopyBackwards, out, (self, src))
        return out
    return apply_inplace(self, compute)
