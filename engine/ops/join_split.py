"""Joining and cutting: cat and stack join tensors, repeat joins copies of one; split, chunk
and unbind cut one into views (shared storage and version counter).

A cut's pieces share one node with several outputs (``record_outputs``), as in PyTorch.
"""

from .. import observe
from ..autograd.node import Node, edge_of
from ..backend import array_module
from ..tensor import Tensor, _wrap_dim
from .indexing import select, slice_dim, take_view
from .reduction import sum_array
from .registry import binary_dtype, cast, op, record, recording, wrap
from .views import make_view, shape_args, sizes_text


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
    return sum_array(grad.reshape(split), copies).reshape(sizes)


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
                f"stack expects each tensor to be equal size, but got {sizes_text(first._data.shape)} at "
                f"entry 0 and {sizes_text(t._data.shape)} at entry {i}")
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
            f"dimension {dim}), but got split_sizes={sizes_text(pieces)}")
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
