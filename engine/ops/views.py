"""Views and reshapes: view, reshape, flatten / unflatten, expand, squeeze / unsqueeze, and
``make_view``, which every op that returns a view builds its result with.

A view shares storage (a numpy view) and the version counter of its base, so
an in-place change through either is seen by both and by saved-tensor checks.
``reshape`` (and ``flatten``, which is one) returns a view when one is possible and a
copy otherwise (UnsafeViewBackward0 on CloneBackward0), as PyTorch's does.
"""
import math

from ..autograd.node import Node, legacy_type_name
from ..backend import array_module
from ..tensor import Size, Tensor, _wrap_dim
from .copies import clone
from .reduction import normalize_dims
from .registry import make_view, op, record, recorded_view, recording


def sizes_text(shape):
    """Sizes as PyTorch's messages print them: ``[2, 3]``."""
    return "[" + ", ".join(str(s) for s in shape) + "]"


def shape_args(args):
    if len(args) == 1 and isinstance(args[0], (tuple, list, Size)):
        return tuple(args[0])
    return tuple(args)


def infer_shape(shape, numel):
    """Resolve one ``-1`` in ``shape``; PyTorch's error when sizes do not fit."""
    shape = [int(s) for s in shape]
    unknown = [i for i, s in enumerate(shape) if s == -1]
    if len(unknown) > 1:
        raise RuntimeError("only one dimension can be inferred")
    known = 1
    for s in shape:
        if s != -1:
            if s < 0:
                raise RuntimeError(f"invalid shape dimension {s}")
            known *= s
    if unknown:
        if known == 0 or numel % known:
            raise RuntimeError(f"shape '[{', '.join(map(str, shape))}]' is invalid for input of size {numel}")
        shape[unknown[0]] = numel // known
    elif known != numel:
        raise RuntimeError(f"shape '[{', '.join(map(str, shape))}]' is invalid for input of size {numel}")
    return tuple(shape)


class ViewBackward0(Node):
    __slots__ = ()
    saved_fields = ("self_sym_sizes",)
    gradients = {"self": "reshape(grad, self_sym_sizes)"}


@op("Shape")
def view(input, *shape):
    shape = shape_args(shape)
    data = _plain_view(input._data, shape)
    if data is None:  # anything unusual: PyTorch's checks decide and word the errors
        shape = infer_shape(shape, input._data.size)
        data = reshape_without_copy(input._data, shape)
    if data is None:
        raise RuntimeError(
            "view size is not compatible with input tensor's size and stride (at least one "
            "dimension spans across two contiguous subspaces). Use .reshape(...) instead.")
    return recorded_view(ViewBackward0, input, data, (input._data.shape,))


def _plain_view(data, shape):
    """``data`` viewed as ``shape`` of Python ints (one -1 to infer, as PyTorch infers it)
    when numpy can do that without a copy; None for anything else."""
    for size in shape:
        if type(size) is not int or size < -1:
            return None
    try:
        return data.reshape(shape, copy=False)
    except (ValueError, TypeError):  # sizes that do not fit, a copy needed, numpy < 2.1
        return None


def reshape_without_copy(data, shape):
    """``data`` reshaped as a view, or None when that needs a copy (PyTorch's rule too)."""
    try:
        return data.reshape(shape, copy=False)
    except ValueError:
        return None
    except TypeError:  # numpy < 2.1 and cupy have no ``copy``: setting .shape never copies
        viewed = data.view()
        try:
            viewed.shape = shape
        except AttributeError:
            return None
        return viewed


class UnsafeViewBackward0(ViewBackward0):
    __slots__ = ()


def unsafe_view(input, shape):
    """PyTorch's ``_unsafe_view``: a reshape of a fresh tensor, recorded as its own node.

    Used where PyTorch reshapes an intermediate nobody else holds (after a
    clone in ``reshape``, after ``mm`` in ``matmul``); the result is not a view.
    """
    out = Tensor._make(input._data.reshape(shape))
    if recording(input):
        record(UnsafeViewBackward0, out, (input,), (input._data.shape,))
    return out


@op("Shape", arity=1, basic=True)
def reshape(input, *shape):
    shape = infer_shape(shape_args(shape), input._data.size)
    data = reshape_without_copy(input._data, shape)
    if data is not None:
        out = make_view(input, data)
        if recording(input):
            record(ViewBackward0, out, (input,), (input._data.shape,))
        return out
    # Not viewable: PyTorch copies (CloneBackward0) and reshapes the copy (UnsafeViewBackward0).
    return unsafe_view(clone(input), shape)


# -------------------------------------------------- flatten and unflatten
@op("Shape")
def flatten(input, start_dim=0, end_dim=-1):
    ndim = input._data.ndim
    if ndim == 0:
        return reshape(input, (1,))
    start, end = _wrap_dim(start_dim, ndim), _wrap_dim(end_dim, ndim)
    if start > end:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    if start == end:
        return input  # PyTorch returns the tensor itself, no node
    shape = input._data.shape
    merged = math.prod(shape[start:end + 1])
    return reshape(input, shape[:start] + (merged,) + shape[end + 1:])


@op("Shape")
def unflatten(input, dim, sizes):
    ndim = input._data.ndim
    dim = _wrap_dim(dim, ndim)
    size = input._data.shape[dim]
    sizes = tuple(sizes)
    known = math.prod(s for s in sizes if s != -1)
    inferred = tuple(size // known if s == -1 and known else s for s in sizes)
    if math.prod(inferred) != size:
        raise RuntimeError(
            f"unflatten: Provided sizes {sizes_text(sizes)} don't multiply up to the size of dim {dim} "
            f"({size}) in the input tensor")
    shape = input._data.shape
    return view(input, shape[:dim] + inferred + shape[dim + 1:])


@op("Shape", function=False)
def view_as(input, other):
    return view(input, other._data.shape)


@op("Shape", function=False)
def reshape_as(input, other):
    return reshape(input, other._data.shape)


class ExpandBackward0(Node):
    __slots__ = ()
    saved_fields = ("self_sym_sizes",)
    gradients = {"self": "sum_to(grad, self_sym_sizes)"}  # the copies' gradients summed back


@op("Shape")
def expand(input, *sizes):
    sizes = shape_args(sizes)
    ndim = input._data.ndim
    if len(sizes) < ndim:
        raise RuntimeError(
            f"expand({legacy_type_name(input)}{{{sizes_text(input.shape)}}}, size={sizes_text(sizes)}): "
            f"the number of sizes provided ({len(sizes)}) must be greater or equal to the number of "
            f"dimensions in the tensor ({ndim})")
    lead = len(sizes) - ndim
    target = []
    for i, s in enumerate(sizes):
        old = input._data.shape[i - lead] if i >= lead else None
        if s == -1:
            if old is None:
                raise RuntimeError(
                    f"The expanded size of the tensor (-1) isn't allowed in a leading, "
                    f"non-existing dimension {i}")
            s = old
        elif old is not None and old != s and old != 1:
            raise RuntimeError(
                f"The expanded size of the tensor ({s}) must match the existing size ({old}) at "
                f"non-singleton dimension {i}.  Target sizes: [{', '.join(map(str, sizes))}].  "
                f"Tensor sizes: [{', '.join(map(str, input.shape))}]")
        target.append(s)
    target = tuple(target)
    data = array_module(input._data).broadcast_to(input._data, target)
    out = make_view(input, data)
    if recording(input):
        record(ExpandBackward0, out, (input,), (input._data.shape,))
    return out


@op("Shape", name="expand_as")
def expand_as(input, other):
    return expand(input, other.shape)


class UnsqueezeBackward0(Node):
    __slots__ = ()
    saved_fields = ("dim",)
    gradients = {"self": "squeeze(grad, dim)"}


@op("Shape", arity=1, basic=True)
def unsqueeze(input, dim):
    ndim = input._data.ndim + 1
    if not -ndim <= dim < ndim:
        raise IndexError(
            f"Dimension out of range (expected to be in range of [{-ndim}, {ndim - 1}], but got {dim})")
    dim %= ndim
    shape = input._data.shape
    data = input._data.reshape(shape[:dim] + (1,) + shape[dim:])  # expand_dims' own way
    return recorded_view(UnsqueezeBackward0, input, data, (dim,))


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
