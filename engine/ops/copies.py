"""Copies: clone, and contiguous (a clone when the layout is not already C order)."""
from ..autograd.node import Node
from .registry import op, record, recording, wrap


class CloneBackward0(Node):
    __slots__ = ()
    gradients = {"self": "grad"}


@op("Shape")
def clone(input, *, memory_format=None):
    out = wrap(input._data.copy())
    if recording(input):
        record(CloneBackward0, out, (input,))
    return out


@op("Shape", function=False)
def contiguous(input, memory_format=None):
    if input._data.flags.c_contiguous:
        return input
    return clone(input)
