"""``F.dropout``: PyTorch's CPU dropout, drawn from PyTorch's random stream.

As ATen computes it on the CPU: nothing to do (``p == 0``, eval mode or an
empty input) returns the input itself; ``p == 1`` multiplies by a 0-d zero;
otherwise a noise tensor is filled by ``bernoulli_(1 − p)``, divided by
``1 − p`` in the input's dtype, and multiplied in (MulBackward0, whose second
edge is empty). So after ``manual_seed`` the same elements are dropped as in
PyTorch.
"""
from ..backend import array_module
from ..ops.registry import wrap
from .init import tensor_bernoulli_

__all__ = ["dropout"]


def dropout(input, p=0.5, training=True, inplace=False):
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    if p == 0 or not training or input.numel() == 0:
        return input
    xp_data = input._data
    if p == 1:
        noise = wrap(array_module(xp_data).zeros((), xp_data.dtype))
    else:
        noise = wrap(xp_data.copy())
        tensor_bernoulli_(noise, 1 - p)
        noise.div_(1 - p)
    return input.mul_(noise) if inplace else input * noise
