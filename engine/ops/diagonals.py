"""Diagonals and triangles: diagonal (a view), diag, diag_embed, trace, tril, triu.

``diagonal``'s backward writes the gradient onto the diagonal of zeros; that
write is itself an op (``diagonal_backward``, a DiagonalBackwardBackward0 when
recorded) whose own gradient reads the diagonal again, as in PyTorch.
"""
import numpy as np

from ..autograd.node import Node
from ..backend import array_module
from ..tensor import _wrap_dim
from .inplace import inplace_variant
from .registry import method, op, record, recording, wrap
from .views import make_view


def diagonal_view(data, offset, dim1, dim2):
    """numpy's diagonal, moved to the last axis as PyTorch places it (a read-only view)."""
    return array_module(data).diagonal(data, offset, dim1, dim2)


def _check_dims(ndim, dim1, dim2):
    """The two dims of a diagonal among ``ndim``, wrapped; PyTorch's error (naming them as
    given) where they are one."""
    wrapped1, wrapped2 = _wrap_dim(dim1, ndim), _wrap_dim(dim2, ndim)
    if wrapped1 == wrapped2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    return wrapped1, wrapped2


class DiagonalBackward0(Node):
    __slots__ = ()
    saved_fields = ("dim1", "dim2", "offset", "self_sym_sizes")
    # reads a diagonal: the gradient is written onto the diagonal of zeros
    gradients = {"self": "diagonal_backward(grad, self_sym_sizes, offset, dim1, dim2)"}


class DiagonalBackward0_copy(DiagonalBackward0):  # noqa: N801 - PyTorch's name for diag(2-D)
    __slots__ = ()


class DiagonalBackwardBackward0(Node):
    __slots__ = ()
    saved_fields = ("dim1", "dim2", "offset")
    # writes onto a diagonal: the gradient is that diagonal read back
    gradients = {"grad_output": "diagonal(grad, offset, dim1, dim2)"}


def diagonal_backward(grad, sizes, offset, dim1, dim2):
    """Zeros of ``sizes`` with ``grad`` on the diagonal (PyTorch's ``diagonal_backward``)."""
    return _on_diagonal_of_zeros(grad, sizes, offset, dim1, dim2, DiagonalBackwardBackward0)


def _on_diagonal_of_zeros(values, sizes, offset, dim1, dim2, node_cls):
    """Zeros of ``sizes`` with ``values`` on the diagonal, recorded as ``node_cls``."""
    out = wrap(on_diagonal_of_zeros_array(values._data, sizes, offset, dim1, dim2))
    if recording(values):
        record(node_cls, out, (values,), (dim1, dim2, offset))
    return out


def on_diagonal_of_zeros_array(values, sizes, offset, dim1, dim2):
    data = array_module(values).zeros(sizes, dtype=values.dtype)
    _write_diagonal(data, offset, dim1, dim2, values)
    return data


def _write_diagonal(data, offset, dim1, dim2, values):
    """Write ``values`` (the diagonal last, as ``diagonal`` returns it) onto ``data``'s diagonal."""
    xp = array_module(data)
    view = xp.moveaxis(data, (dim1, dim2), (-2, -1))
    length = max(0, min(view.shape[-2] + min(offset, 0), view.shape[-1] - max(offset, 0)))
    steps = xp.arange(length)
    view[..., steps + max(-offset, 0), steps + max(offset, 0)] = values


@op("Linear algebra")
def diagonal(input, offset=0, dim1=0, dim2=1):
    dim1, dim2 = _check_dims(input._data.ndim, dim1, dim2)
    out = make_view(input, diagonal_view(input._data, offset, dim1, dim2))
    if recording(input):
        record(DiagonalBackward0, out, (input,), (dim1, dim2, offset, input._data.shape))
    return out


class DiagEmbedBackward0(Node):
    __slots__ = ()
    saved_fields = ("dim1", "dim2", "offset")
    gradients = {"self": "diagonal(grad, offset, dim1, dim2)"}  # laid on a diagonal: read it back


@op("Linear algebra")
def diag_embed(input, offset=0, dim1=-2, dim2=-1):
    dim1, dim2 = _check_dims(input._data.ndim + 1, dim1, dim2)
    n = input._data.shape[-1] + abs(offset) if input._data.ndim else 1 + abs(offset)
    rest = list(input._data.shape[:-1])
    sizes = rest[:]
    for d in sorted((dim1, dim2)):
        sizes.insert(d, n)
    return _on_diagonal_of_zeros(input, sizes, offset, dim1, dim2, DiagEmbedBackward0)


@op("Linear algebra")
def diag(input, diagonal=0):
    ndim = input._data.ndim
    if ndim == 1:
        return diag_embed(input, diagonal, 0, 1)
    if ndim != 2:
        raise RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {ndim}D")
    out = wrap(diagonal_view(input._data, diagonal, 0, 1).copy())
    if recording(input):
        record(DiagonalBackward0_copy, out, (input,), (0, 1, diagonal, input._data.shape))
    return out


@op("Linear algebra")
def diagflat(input, offset=0):
    """A matrix with ``input``'s elements, flattened, on a diagonal."""
    return diag_embed(input.reshape(-1), offset, 0, 1)


def _triangle_indices(row, col, offset, lower):
    rows, cols = (np.tril_indices if lower else np.triu_indices)(row, offset, col)
    return wrap(np.stack([rows, cols]).astype(np.int64).reshape(2, -1))


@op("Linear algebra", method=False)
def tril_indices(row, col, offset=0, *, dtype=None, device=None, layout=None):
    return _triangle_indices(row, col, offset, True)


@op("Linear algebra", method=False)
def triu_indices(row, col, offset=0, *, dtype=None, device=None, layout=None):
    return _triangle_indices(row, col, offset, False)


class TraceBackward0(Node):
    __slots__ = ()
    saved_fields = ("self_sym_sizes",)
    gradients = {"self": "eye_like(self_sym_sizes, grad) * grad"}


@op("Linear algebra")
def trace(input):
    data = input._data
    if data.ndim != 2:
        raise RuntimeError(f"trace: expected a matrix, but got tensor with dim {data.ndim}")
    dtype = np.int64 if data.dtype.kind in "biu" else data.dtype
    out = wrap(array_module(data).asarray(data.trace(dtype=dtype)))
    if recording(input):
        record(TraceBackward0, out, (input,), (data.shape,))
    return out


class TrilBackward0(Node):
    __slots__ = ()
    saved_fields = ("diagonal",)
    gradients = {"self": "tril(grad, diagonal)"}


class TriuBackward0(Node):
    __slots__ = ()
    saved_fields = ("diagonal",)
    gradients = {"self": "triu(grad, diagonal)"}


def _triangle(input, diagonal, lower):
    name = "tril" if lower else "triu"
    data = input._data
    if data.ndim < 2:
        raise RuntimeError(f"{name}: input tensor must have at least 2 dimensions")
    xp = array_module(data)
    out = wrap(xp.tril(data, diagonal) if lower else xp.triu(data, diagonal))
    if recording(input):
        record(TrilBackward0 if lower else TriuBackward0, out, (input,), (diagonal,))
    return out


@op("Linear algebra")
def tril(input, diagonal=0):
    return _triangle(input, diagonal, True)


@op("Linear algebra")
def triu(input, diagonal=0):
    return _triangle(input, diagonal, False)


method("tril_")(inplace_variant(tril))
method("triu_")(inplace_variant(triu))
