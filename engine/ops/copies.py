"""Shape ops: squeeze, clone, contiguous (more land beside them)."""
from ..autograd.node import Node
from .reduction import normalize_dims
from .registry import op, record, recording, wrap
from .views import make_view


class SqueezeBackward0(Node):
    __slots__ = ()
    saved_fields = ("self_sym_sizes",)
    gradients = {"self": "reshape(grad, self_sym_sizes)"}


class SqueezeBackward1(SqueezeBackward0):
    __slots__ = ()
    saved_fields = ("dim", "self_sym_sizes")


class SqueezeBackward2(SqueezeBackward1):
    __slots__ = ()


@op("Shape")
def squeeze(input, dim=None):
    shape = input._data.shape
    if dim is None:
        new_shape = tuple(s for s in shape if s != 1)
        node_cls, saved = SqueezeBackward0, (shape,)
    else:
        dims = normalize_dims(dim, input._data.ndim)
        new_shape = tuple(s for i, s in enumerate(shape) if not (i in dims and s == 1))
        node_cls = SqueezeBackward1 if isinstance(dim, int) else SqueezeBackward2
        saved = (dim, shape)
    out = make_view(input, input._data.reshape(new_shape))
    if recording(input):
        record(node_cls, out, (input,), saved)
    return out


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
