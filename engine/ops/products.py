"""Products and distances of whole tensors: kron, tensordot, cross, dist, cdist.

kron and tensordot are composed of views, mul and mm as PyTorch composes them;
cross, dist and cdist are one node each (LinalgCrossBackward0, DistBackward0,
CdistBackward0) whose backward formulas use engine ops.
"""
import math

import numpy as np

from ..autograd.node import Node
from ..tensor import _wrap_dim
from .linalg import dot, mm
from .registry import check_broadcast, op, record, recording, save, save_result, wrap
from .views import unsafe_view


# -------------------------------------------------------------------- kron
@op("Linear algebra")
def kron(input, other):
    """Every product ``a[i]·b[j]`` laid out block by block: operands interleaved by views,
    multiplied, then viewed to the result's shape."""
    ndim = max(input.dim(), other.dim())
    a_shape = (1,) * (ndim - input.dim()) + tuple(input.shape)
    b_shape = (1,) * (ndim - other.dim()) + tuple(other.shape)
    a = unsafe_view(input, [s for n in a_shape for s in (n, 1)])
    b = unsafe_view(other, [s for n in b_shape for s in (1, n)])
    return unsafe_view(a * b, [x * y for x, y in zip(a_shape, b_shape)])


# --------------------------------------------------------------- tensordot
@op("Linear algebra", method=False)
def tensordot(a, b, dims=2, out=None):
    if isinstance(dims, int):
        given_a, given_b = list(range(-dims, 0)), list(range(dims))
    else:
        given_a, given_b = ([d] if isinstance(d, int) else list(d) for d in dims)
    dims_a = [_wrap_dim(d, a.dim()) for d in given_a]
    dims_b = [_wrap_dim(d, b.dim()) for d in given_b]
    for da, db, name_a, name_b in zip(dims_a, dims_b, given_a, given_b):
        if a.shape[da] != b.shape[db]:
            raise RuntimeError(f"contracted dimensions need to match, but first has size "
                               f"{a.shape[da]} in dim {name_a} and second has size "
                               f"{b.shape[db]} in dim {name_b}")
    free_a = [d for d in range(a.dim()) if d not in dims_a]
    free_b = [d for d in range(b.dim()) if d not in dims_b]
    shape = [a.shape[d] for d in free_a] + [b.shape[d] for d in free_b]
    if not free_a and not free_b:  # everything contracted: a dot product of the flattened
        return dot(a.permute(dims_a).reshape(-1), b.permute(dims_b).reshape(-1)).view(shape)
    size = math.prod(a.shape[d] for d in dims_a)
    left = a.permute(free_a + dims_a).reshape(-1, size)
    right = b.permute(dims_b + free_b).reshape(size, -1)
    return mm(left, right).view(shape)


# ------------------------------------------------------------------- cross
class LinalgCrossBackward0(Node):
    __slots__ = ()
    saved_fields = ("dim", "other", "self")
    formula = "∂(a × b): b × g for a, g × a for b"

    def backward(self, grad):
        dim, other, input = self._saved[0], self.saved(1), self.saved(2)
        return cross(other, grad, dim=dim), cross(grad, input, dim=dim)


@op("Linear algebra")
def cross(input, other, dim=None):
    if input.shape != other.shape:
        check_broadcast(tuple(input.shape), tuple(other.shape))
    ndim = max(input.dim(), other.dim())
    if dim is None:
        shape = np.broadcast_shapes(input._data.shape, other._data.shape)
        dim = next((d for d, s in enumerate(shape) if s == 3), None)
        if dim is None:
            raise RuntimeError("no dimension of size 3 in input")
    axis = _wrap_dim(dim, ndim)
    if np.broadcast_shapes(input._data.shape, other._data.shape)[axis] != 3:
        raise RuntimeError(f"linalg.cross: inputs dimension {dim} must have length 3. Got "
                           f"{input.shape[axis]} and {other.shape[axis]}")
    out = wrap(np.cross(input._data, other._data, axis=axis))
    if recording(input, other):
        record(LinalgCrossBackward0, out, (input, other), (axis, save(other), save(input)))
    return out


# -------------------------------------------------------------------- dist
def _norm_of(data, p, axis=None):
    magnitude = np.abs(data)
    if p == 0:
        return (magnitude != 0).sum(axis=axis).astype(data.dtype)
    if math.isinf(p):
        return magnitude.max(axis=axis) if p > 0 else magnitude.min(axis=axis)
    if p == 2:
        return np.sqrt((data * data).sum(axis=axis))
    if p == 1:
        return magnitude.sum(axis=axis)
    return (magnitude ** p).sum(axis=axis) ** (1.0 / p)


def _norm_gradient(grad, diff, p, result):
    """∂‖d‖ₚ/∂d times ``grad`` (``result`` is ‖d‖ₚ, broadcast against ``diff``)."""
    if p == 0:
        return diff * 0
    if p == 1:
        return grad * diff.sign()
    if math.isinf(p):
        mask = wrap((np.abs(diff._data) == result._data).astype(diff._data.dtype))
        count = wrap(np.asarray(mask._data.sum(), dtype=diff._data.dtype))
        return grad * diff.sign() * mask / count
    zero = wrap(result._data == 0)
    if p == 2:
        return (grad * diff / result).masked_fill(zero, 0)
    return (grad * diff * diff.abs() ** (p - 2) / result ** (p - 1)).masked_fill(zero, 0)


class DistBackward0(Node):
    __slots__ = ()
    saved_fields = ("other", "p", "result", "self")
    formula = "∂‖a − b‖ₚ/∂a = ∂‖d‖ₚ/∂d,  ∂/∂b = −∂‖d‖ₚ/∂d"

    def backward(self, grad):
        other, p, result, input = self.saved(0), self._saved[1], self.saved(2), self.saved(3)
        grad_input = _norm_gradient(grad, input - other, p, result)
        return grad_input, -grad_input


@op("Linear algebra")
def dist(input, other, p=2):
    diff = input._data - other._data
    out = wrap(np.asarray(_norm_of(diff, p), dtype=diff.dtype))
    if recording(input, other):
        record(DistBackward0, out, (input, other), (save(other), p, save_result(out), save(input)))
    return out


# ------------------------------------------------------------------- cdist
class CdistBackward0(Node):
    __slots__ = ()
    saved_fields = ("p", "result", "x1", "x2")
    formula = "∂‖x1ᵢ − x2ⱼ‖ₚ: the norm's gradient, summed over the other set"

    def backward(self, grad):
        p, result, x1, x2 = self._saved[0], self.saved(1), self.saved(2), self.saved(3)
        diff = x1.unsqueeze(-2) - x2.unsqueeze(-3)
        per_pair = _norm_gradient(grad.unsqueeze(-1), diff, p, result.unsqueeze(-1))
        return per_pair.sum(-2), -per_pair.sum(-3)


@op("Linear algebra", method=False)
def cdist(x1, x2, p=2.0, compute_mode="use_mm_for_euclid_dist_if_necessary"):
    if x1.dim() < 2 or x2.dim() < 2:
        raise RuntimeError(f"cdist only supports at least 2D tensors, X1 got: {x1.dim()}D")
    if x1.shape[-1] != x2.shape[-1]:
        raise RuntimeError(f"X1 and X2 must have the same number of columns. X1: "
                           f"{x1.shape[-1]} X2: {x2.shape[-1]}")
    diff = x1._data[..., :, None, :] - x2._data[..., None, :, :]
    out = wrap(np.asarray(_norm_of(diff, p, axis=-1), dtype=diff.dtype))
    if recording(x1, x2):
        record(CdistBackward0, out, (x1, x2), (p, save_result(out), save(x1), save(x2)))
    return out
