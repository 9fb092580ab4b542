"""Shape ops: transposes and permutations, flatten / unflatten, repeat, and the
ops that join (cat, stack) or cut (split, chunk, unbind) tensors.

Transposes, permutations and cuts return views (shared storage and version
counter). ``flatten`` reshapes, so it is a ViewBackward0 when a view is
possible and a copy (UnsafeViewBackward0 on CloneBackward0) otherwise.
"""
import math
import warnings

from .. import observe
from ..autograd.grad_mode import STATE
from ..autograd.node import Node, edge_of
from ..backend import array_module
from ..tensor import Tensor, _wrap_dim
from .indexing import select, slice_dim, take_view
from .registry import binary_dtype, cast, op, record, record1, recording, wrap
from .views import make_view, reshape, shape_args, view


def _sizes(shape):
    return "[" + ", ".join(str(s) for s in shape) + "]"


def _inverse(perm):
    inverse = [0] * len(perm)
    for i, p in enumerate(perm):
        inverse[p] = i
    return tuple(inverse)


# -------------------------------------------------- transpose and permute
class TBackward0(Node):
    __slots__ = ()
    gradients = {"self": "t(grad)"}


@op("Shape", arity=1, basic=True)
def t(input):
    if input._data.ndim > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {input._data.ndim}D")
    out = make_view(input, input._data.T)
    if STATE.enabled and (input._grad_fn is not None or input._requires_grad):  # recording()
        record1(TBackward0, out, input)
    return out


class TransposeBackward0(Node):
    __slots__ = ()
    saved_fields = ("dim0", "dim1")
    gradients = {"self": "transpose(grad, dim0, dim1)"}


@op("Shape", aliases=("swapaxes", "swapdims"))
def transpose(input, dim0, dim1):
    ndim = input._data.ndim
    dim0, dim1 = _wrap_dim(dim0, ndim), _wrap_dim(dim1, ndim)
    data = array_module(input._data).swapaxes(input._data, dim0, dim1) if ndim else input._data.view()
    out = make_view(input, data)
    if recording(input):
        record(TransposeBackward0, out, (input,), (dim0, dim1))
    return out


class PermuteBackward0(Node):
    __slots__ = ()
    saved_fields = ("dims",)
    gradients = {"self": "permute(grad, inverse(dims))"}


@op("Shape")
def permute(input, *dims):
    dims = shape_args(dims)
    ndim = input._data.ndim
    if len(dims) != ndim:
        raise RuntimeError(
            "permute(sparse_coo): number of dimensions in the tensor input does not match the length "
            "of the desired ordering of dimensions i.e. input.dim() = "
            f"{ndim} is not equal to len(dims) = {len(dims)}")
    dims = tuple(_wrap_dim(d, ndim) for d in dims)
    if len(set(dims)) != len(dims):
        raise RuntimeError("permute(): duplicate dims are not allowed.")
    data = array_module(input._data).transpose(input._data, dims) if ndim else input._data.view()
    out = make_view(input, data)
    if recording(input):
        record(PermuteBackward0, out, (input,), (dims,))
    return out


@op("Shape", aliases=("moveaxis",))
def movedim(input, source, destination):
    """Move dims to new positions; the rest keep their order (a PermuteBackward0)."""
    ndim = input._data.ndim
    source = (source,) if isinstance(source, int) else tuple(source)
    destination = (destination,) if isinstance(destination, int) else tuple(destination)
    if len(source) != len(destination):
        raise RuntimeError(
            f"movedim: Invalid source or destination dims: source ({_sizes(source)} dims) should "
            f"contain the same number of dims as destination ({_sizes(destination)} dims)")
    source = [_wrap_dim(d, ndim) for d in source]
    destination = [_wrap_dim(d, ndim) for d in destination]
    order = [None] * ndim
    for s, d in zip(source, destination, strict=True):
        order[d] = s
    rest = iter(d for d in range(ndim) if d not in source)
    order = [next(rest) if o is None else o for o in order]
    return permute(input, order)


_T_WARNING = (
    "The use of `x.T` on tensors of dimension other than 2 to reverse their shape is deprecated "
    "and it will throw an error in a future release. Consider `x.mT` to transpose batches of "
    "matrices or `x.permute(*torch.arange(x.ndim - 1, -1, -1))` to reverse the dimensions of a "
    "tensor. (Triggered internally at "
    "/__w/pytorch/pytorch/aten/src/ATen/native/TensorShape.cpp:4314.)")


def _T(self):
    if self._data.ndim != 2:
        warnings.warn(_T_WARNING, UserWarning, stacklevel=2)
    return permute(self, tuple(range(self._data.ndim - 1, -1, -1)))


def _mT(self):
    if self._data.ndim < 2:
        raise RuntimeError(
            "tensor.mT is only supported on matrices or batches of matrices. Got "
            f"{self._data.ndim}-D tensor.")
    return transpose(self, -2, -1)


Tensor.T = property(_T)
Tensor.mT = property(_mT)


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
            f"unflatten: Provided sizes {_sizes(sizes)} don't multiply up to the size of dim {dim} "
            f"({size}) in the input tensor")
    shape = input._data.shape
    return view(input, shape[:dim] + inferred + shape[dim + 1:])


@op("Shape", function=False)
def view_as(input, other):
    return view(input, other._data.shape)


@op("Shape", function=False)
def reshape_as(input, other):
    return reshape(input, other._data.shape)


# ------------------------------------------------------------------ repeat
class RepeatBackward0(Node):
    __slots__ = ()
    saved_fields = ("repeats", "self_sym_sizes")
    gradients = {"self": "sum_tiles(grad, repeats, self_sym_sizes)"}  # the copies' gradients summed


def tile_axes(repeats, sizes):
    """How a repeated result splits into (copies, size) pairs per dim, and the copies' axes."""
    padded = (1,) * (len(repeats) - len(sizes)) + tuple(sizes)
    split = []
    for r, s in zip(repeats, padded, strict=True):
        split += [r, s]
    return split, tuple(range(0, 2 * len(repeats), 2))


def sum_tiles(grad, repeats, sizes):
    """The gradient of ``repeat``: the tiles summed back onto one."""
    split, copies = tile_axes(repeats, sizes)
    return grad.reshape(split).sum(copies).reshape(sizes)


def sum_tiles_array(grad, repeats, sizes):
    split, copies = tile_axes(repeats, sizes)
    return grad.reshape(split).sum(axis=copies, dtype=grad.dtype).reshape(sizes)  # as sum() sums


@op("Shape", function=False)
def repeat(input, *sizes):
    repeats = shape_args(sizes)
    if len(repeats) < input._data.ndim:
        raise RuntimeError(
            "Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor")
    out = wrap(array_module(input._data).tile(input._data, repeats))
    if recording(input):
        record(RepeatBackward0, out, (input,), (repeats, input._data.shape))
    return out


# --------------------------------------------------------------- cat / stack
class CatBackward0(Node):
    __slots__ = ()
    saved_fields = ("dim", "tensors_args_sizes")
    formula = "joined along a dim: each input gets its own stretch of the gradient"

    def backward(self, grad):
        dim, sizes = self._saved
        grads = []
        offset = 0
        for i, shape in enumerate(sizes):
            if len(shape) == 1 and shape[0] == 0 and grad._data.ndim != 1:
                grads.append(None)  # a legacy empty 1-D input took no part
                continue
            length = shape[dim]
            grads.append(slice_dim(grad, dim, offset, offset + length) if self.needs_input_grad(i)
                         else None)
            offset += length
        return tuple(grads)


def _check_tensor_list(tensors):
    for i, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got {type(t).__name__}")


@op("Shape", method=False, aliases=("concat", "concatenate"))
def cat(tensors, dim=0):
    tensors = list(tensors)
    if not tensors:
        raise ValueError("torch.cat(): expected a non-empty list of Tensors")
    _check_tensor_list(tensors)
    # PyTorch still skips 1-D empty tensors, whatever the others' rank.
    skipped = [t._data.ndim == 1 and t._data.shape[0] == 0 for t in tensors]
    taking = [t for t, skip in zip(tensors, skipped, strict=True) if not skip] or tensors[:1]
    first = taking[0]
    ndim = first._data.ndim
    dim = _wrap_dim(dim, ndim)
    for t in taking[1:]:
        if t._data.ndim != ndim:
            raise RuntimeError(
                f"Tensors must have same number of dimensions: got {ndim} and {t._data.ndim}")
    for i, t in enumerate(tensors):
        if skipped[i]:
            continue
        for d in range(ndim):
            if d != dim and t._data.shape[d] != first._data.shape[d]:
                raise RuntimeError(
                    f"Sizes of tensors must match except in dimension {dim}. Expected size "
                    f"{first._data.shape[d]} but got size {t._data.shape[d]} for tensor number {i} "
                    "in the list.")
    dt = first.dtype
    for t in taking[1:]:
        if t.dtype is not dt:
            dt = binary_dtype(_like_dtype(dt, first), t)
    xp = array_module(first._data)
    out = wrap(xp.concatenate([cast(t._data, dt) for t in taking], axis=dim))
    if recording(*tensors):
        record(CatBackward0, out, tuple(tensors), (dim, tuple(t._data.shape for t in tensors)))
    return out


def _like_dtype(dt, like):
    """A 1-element stand-in of dtype ``dt`` for promotion (dimensioned, like cat's inputs)."""
    return wrap(array_module(like._data).zeros((1,), dtype=dt.numpy))


class StackBackward0(Node):
    __slots__ = ()
    saved_fields = ("dim",)
    formula = "stacked along a new dim: each input gets its slice of the gradient"

    def backward(self, grad):
        dim = self._saved[0]
        return tuple(select(grad, dim, i) if self.needs_input_grad(i) else None
                     for i in range(len(self.next_functions)))


@op("Shape", method=False)
def stack(tensors, dim=0):
    tensors = list(tensors)
    if not tensors:
        raise RuntimeError("stack expects a non-empty TensorList")
    _check_tensor_list(tensors)
    first = tensors[0]
    for i, t in enumerate(tensors[1:], start=1):
        if t._data.shape != first._data.shape:
            raise RuntimeError(
                f"stack expects each tensor to be equal size, but got {_sizes(first._data.shape)} at "
                f"entry 0 and {_sizes(t._data.shape)} at entry {i}")
    dim = _wrap_dim(dim, first._data.ndim + 1)
    dt = first.dtype
    for t in tensors[1:]:
        if t.dtype is not dt:
            dt = binary_dtype(_like_dtype(dt, first), t)
    out = wrap(array_module(first._data).stack([cast(t._data, dt) for t in tensors], axis=dim))
    if recording(*tensors):
        record(StackBackward0, out, tuple(tensors), (dim,))
    return out


# -------------------------------------------------- split, chunk, unbind
def record_outputs(node_cls, outs, input, saved):
    """One node for several outputs: output ``i`` is input ``i`` of ``node_cls``'s backward."""
    node = node_cls((edge_of(input),), saved)
    node.num_outputs = len(outs)
    node._input_meta = ((input._data.shape, input._data.dtype),)
    for i, out in enumerate(outs):
        out._grad_fn = node
        out._output_nr = i
    if observe.LISTENERS:
        observe.emit("node_created", node, (input,), tuple(outs))
    return outs


def _zeros_for_missing(grads, shapes, like):
    """PyTorch fills the gradients of unused outputs with zeros before joining them."""
    xp = array_module(like._data)
    return [g if g is not None else wrap(xp.zeros(s, dtype=like._data.dtype))
            for g, s in zip(grads, shapes, strict=True)]


class SplitBackward0(Node):
    __slots__ = ("num_outputs",)
    saved_fields = ("dim", "self_sym_sizes", "split_size")
    formula = "cut into pieces: the pieces' gradients are joined again"

    def apply(self, grads):
        dim, sizes, _ = self._saved
        like = next(g for g in grads if g is not None)
        shapes = _piece_shapes(sizes, dim, self._pieces())
        return (cat(_zeros_for_missing(grads, shapes, like), dim),)

    def _pieces(self):
        dim, sizes, split_size = self._saved
        total = sizes[dim]
        return [min(split_size, total - start) for start in range(0, total, split_size)] or [0]


class SplitWithSizesBackward0(SplitBackward0):
    __slots__ = ()
    saved_fields = ("dim", "self_sym_sizes", "split_sizes")

    def _pieces(self):
        return list(self._saved[2])


def _piece_shapes(sizes, dim, pieces):
    return [tuple(sizes[:dim]) + (p,) + tuple(sizes[dim + 1:]) for p in pieces]


def _cut(input, dim, pieces):
    """Views of consecutive ``pieces`` lengths along ``dim``."""
    outs = []
    start = 0
    for length in pieces:
        key = (slice(None),) * dim + (slice(start, start + length),)
        outs.append(make_view(input, input._data[key]))
        start += length
    return outs


@op("Shape")
def split(tensor, split_size_or_sections, dim=0):
    dim = _wrap_dim(dim, tensor._data.ndim)
    total = tensor._data.shape[dim]
    if isinstance(split_size_or_sections, int):
        size = split_size_or_sections
        if size < 0:
            raise RuntimeError(f"split expects split_size be non-negative, but got split_size={size}")
        if size == 0 and total != 0:
            raise RuntimeError(
                f"split_size can only be 0 if dimension size is 0, but got dimension size of {total}")
        pieces = [min(size, total - s) for s in range(0, total, size)] if size else [0]
        outs = _cut(tensor, dim, pieces)
        if recording(tensor):
            record_outputs(SplitBackward0, outs, tensor, (dim, tensor._data.shape, size))
        return tuple(outs)
    pieces = [int(p) for p in split_size_or_sections]
    if sum(pieces) != total or any(p < 0 for p in pieces):
        raise RuntimeError(
            f"split_with_sizes expects split_sizes to sum exactly to {total} (input tensor's size at "
            f"dimension {dim}), but got split_sizes={_sizes(pieces)}")
    outs = _cut(tensor, dim, pieces)
    if recording(tensor):
        record_outputs(SplitWithSizesBackward0, outs, tensor, (dim, tensor._data.shape, tuple(pieces)))
    return tuple(outs)


@op("Shape")
def chunk(input, chunks, dim=0):
    if chunks <= 0:
        raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
    dim = _wrap_dim(dim, input._data.ndim)
    size = input._data.shape[dim]
    return split(input, -(-size // chunks), dim)  # pieces of ceil(size / chunks), as PyTorch


class UnbindBackward0(Node):
    __slots__ = ("num_outputs",)
    saved_fields = ("dim",)
    formula = "taken apart along a dim: the gradients are stacked again"

    def apply(self, grads):
        dim = self._saved[0]
        like = next(g for g in grads if g is not None)
        shapes = [like._data.shape] * len(grads)
        return (stack(_zeros_for_missing(grads, shapes, like), dim),)


@op("Shape")
def unbind(input, dim=0):
    if input._data.ndim == 0:
        raise IndexError("Dimension specified as 0 but tensor has no dimensions")
    dim = _wrap_dim(dim, input._data.ndim)
    outs = [make_view(input, take_view(input._data, dim, i)) for i in range(input._data.shape[dim])]
    if recording(input) and outs:
        record_outputs(UnbindBackward0, outs, input, (dim,))
    return tuple(outs)
