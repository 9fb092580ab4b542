"""Transposes and permutations: t, transpose (swapaxes), permute, movedim, and the ``T``
and ``mT`` properties. Each is a view (shared storage and version counter) whose
gradient is the inverse reordering.
"""
import warnings

from ..autograd.node import Node
from ..backend import array_module
from ..tensor import Tensor, _wrap_dim
from .registry import op, record, recorded_view, recording
from .views import make_view, shape_args, sizes_text


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
    return recorded_view(TBackward0, input, input._data.T)


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
            f"movedim: Invalid source or destination dims: source ({sizes_text(source)} dims) should "
            f"contain the same number of dims as destination ({sizes_text(destination)} dims)")
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
