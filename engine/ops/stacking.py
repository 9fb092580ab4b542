"""hstack, vstack, atleast_1d/2d and tensor_split: compositions PyTorch builds from
cat, view, unsqueeze and slice, so their graphs hold those ops' nodes
(``CatBackward0`` on ``UnsqueezeBackward0``, one ``SliceBackward0`` per piece).
"""
from ..tensor import Tensor, _wrap_dim
from .indexing import slice_dim
from .join_split import cat
from .registry import op
from .views import reshape, unsqueeze


@op("Shape")
def atleast_1d(*tensors):
    """A 0-d tensor viewed as shape (1,); others unchanged. Several tensors give a tuple."""
    return _each(_atleast_1d, tensors)


@op("Shape")
def atleast_2d(*tensors):
    """A 0-d tensor viewed as (1, 1), a 1-D one unsqueezed to (1, n); others unchanged."""
    return _each(_atleast_2d, tensors)


def _each(make, tensors):
    if len(tensors) == 1 and not isinstance(tensors[0], Tensor):
        return tuple(make(t) for t in tensors[0])  # a list or tuple of tensors
    if len(tensors) == 1:
        return make(tensors[0])
    return tuple(make(t) for t in tensors)


def _atleast_1d(tensor):
    return reshape(tensor, (1,)) if tensor._data.ndim == 0 else tensor


def _atleast_2d(tensor):
    if tensor._data.ndim == 0:
        return reshape(tensor, (1, 1))
    if tensor._data.ndim == 1:
        return unsqueeze(tensor, 0)
    return tensor


def _tensor_list(name, tensors):
    if isinstance(tensors, Tensor):
        raise TypeError(f"{name}(): argument 'tensors' (position 1) must be tuple of Tensors, "
                        "not Tensor")
    tensors = list(tensors)
    if not tensors:
        raise RuntimeError(f"{name} expects a non-empty TensorList")
    return tensors


@op("Shape", method=False)
def hstack(tensors):
    """Joined along dim 0 for 1-D pieces (0-d ones viewed as 1-D), along dim 1 otherwise."""
    pieces = [_atleast_1d(t) for t in _tensor_list("hstack", tensors)]
    return cat(pieces, 0 if pieces[0]._data.ndim == 1 else 1)


@op("Shape", method=False, aliases=("row_stack",))
def vstack(tensors):
    """Joined along dim 0, each piece made at least 2-D first."""
    return cat([_atleast_2d(t) for t in _tensor_list("vstack", tensors)], 0)


@op("Shape")
def tensor_split(input, indices_or_sections, dim=0):
    """Views along ``dim``: ``n`` near-equal pieces (the first ``size % n`` one longer), or
    the pieces between the given indices. Each piece is its own slice."""
    if input._data.ndim == 0:
        raise RuntimeError("tensor_split expected at least a 1-dimensional tensor, but got a "
                           "tensor with 0 dims")
    dim = _wrap_dim(dim, input._data.ndim)
    size = input._data.shape[dim]
    if isinstance(indices_or_sections, Tensor):
        indices_or_sections = indices_or_sections.tolist()
    if isinstance(indices_or_sections, int):
        sections = indices_or_sections
        if sections <= 0:
            raise RuntimeError(f"number of sections must be larger than 0, got {sections}")
        quotient, extra = divmod(size, sections)
        bounds, start = [], 0
        for i in range(sections):
            end = start + quotient + (1 if i < extra else 0)
            bounds.append((start, end))
            start = end
    else:
        cuts = [int(i) for i in indices_or_sections]
        bounds = list(zip([0] + cuts, cuts + [size], strict=True))
    return tuple(slice_dim(input, dim, start, end) for start, end in bounds)
