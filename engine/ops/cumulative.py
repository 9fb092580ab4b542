"""Running results along a dim: cumsum, cumprod, cummax and cummin; and diff, the
differences of neighbours."""
import numpy as np

from .. import dtypes
from ..autograd.node import Node
from ..backend import array_module
from ..tensor import _wrap_dim
from .extrema import RETURN_TYPES, _return_type
from .join_split import cat
from .ordering import dense, flip
from .reduction import accumulation_dtype, normalize_dims
from .registry import op, record, recording, save, save_result, wrap

for _name in ("cummax", "cummin"):
    RETURN_TYPES[_name] = _return_type(_name)


# ----------------------------------------------------------------- cumsum
class CumsumBackward0(Node):
    __slots__ = ()
    saved_fields = ("dim",)
    # a reversed cumulative sum (each input counts in every later output), without flip
    gradients = {"self": "sum_kept(grad, dim) - cumsum(grad, dim) + grad"}


def cumsum_array(data, axis, np_dtype):
    """The running sum of ``data`` along ``axis`` in ``np_dtype`` (a 0-d array is its own)."""
    # float16 accumulates in float32, as PyTorch's kernel does (a float16 running sum stalls).
    wide = accumulation_dtype(np_dtype)
    summed = data.cumsum(axis=axis, dtype=wide).astype(np_dtype, copy=False) if data.ndim else \
        data.astype(np_dtype)
    return array_module(data).asarray(summed)


@op("Reductions")
def cumsum(input, dim, *, dtype=None):
    ndim = input._data.ndim
    axis = normalize_dims(dim, ndim)
    axis = axis[0] if axis else 0
    np_dtype = dtypes.to_numpy(dtype) or (
        dtypes.int64.numpy if input._data.dtype.kind in "biu" else input._data.dtype)
    out = wrap(cumsum_array(input._data, axis, np_dtype))
    if recording(input):
        record(CumsumBackward0, out, (input,), (axis,))
    return out


@op("Reductions")
def diff(input, n=1, dim=-1, prepend=None, append=None):
    """Differences of neighbours along ``dim``, ``n`` times: a slice minus a slice, as PyTorch
    composes it (SubBackward0 over two SliceBackward0); ``prepend``/``append`` join first."""
    pieces = [t for t in (prepend, input, append) if t is not None]
    if len(pieces) > 1:
        input = cat(pieces, dim)
    axis = normalize_dims(dim, input._data.ndim)[0]
    for _ in range(n):
        length = input._data.shape[axis]
        if length == 0:
            break
        later, earlier = input.narrow(axis, 1, length - 1), input.narrow(axis, 0, length - 1)
        input = later.logical_xor(earlier) if input._data.dtype.kind == "b" else later - earlier
    return input


# ----------------------------------------------------------------- cumprod
class CumprodBackward0(Node):
    __slots__ = ()
    saved_fields = ("dim", "result", "self")
    formula = "∂(cumprod a)ⱼ/∂aᵢ = Π of a₀..aⱼ without aᵢ, for j ≥ i"

    def backward(self, grad):
        dim, result, input = self._saved[0], self.saved(1), self.saved(2)
        data = input._data
        if data.ndim == 0:
            return grad.clone()
        if not (data == 0).any():
            # Σⱼ≥ᵢ gⱼ·outⱼ / aᵢ: a cumulative sum from the end, divided by the input.
            return flip(flip(grad * result, dim).cumsum(dim), dim) / input
        return grad_of_cumprod_with_zeros(grad, data, dim)


def grad_of_cumprod_with_zeros(grad, data, dim):
    """The exact first derivative where some factor is zero: for each i, Σⱼ≥ᵢ gⱼ·Π(a₀..aⱼ
    without aᵢ), computed from the values (a constant: no second derivative there)."""
    xp = array_module(data)
    values = xp.moveaxis(data, dim, -1)
    g = xp.moveaxis(grad._data, dim, -1)
    out = xp.zeros_like(values)
    n = values.shape[-1]
    for i in range(n):
        others = values.copy()
        others[..., i] = 1
        products = xp.cumprod(others, axis=-1)
        out[..., i] = (g[..., i:] * products[..., i:]).sum(axis=-1)
    return wrap(xp.moveaxis(out, -1, dim).astype(grad._data.dtype))


@op("Reductions")
def cumprod(input, dim, *, dtype=None):
    data = input._data
    np_dtype = dtypes.to_numpy(dtype) or (np.dtype(np.int64) if data.dtype.kind in "biu"
                                          else data.dtype)
    axis = _wrap_dim(dim, data.ndim)
    wide = accumulation_dtype(np_dtype)
    result = data.cumprod(axis=axis, dtype=wide).astype(np_dtype, copy=False) if data.ndim else \
        data.astype(np_dtype)
    out = wrap(array_module(data).asarray(result))
    if recording(input):
        record(CumprodBackward0, out, (input,), (axis, save_result(out), save(input)))
    return out


# ---------------------------------------------------------- cummax / cummin
class CummaxBackward0(Node):
    __slots__ = ()
    saved_fields = ("dim", "indices", "self")
    index_fields = ("indices",)
    # each running extreme's gradient goes to the element it came from (summed)
    gradients = {"self": "scatter_add_back(grad, dim, indices, shape_of(self))"}


class CumminBackward0(CummaxBackward0):
    __slots__ = ()


def _running_extreme(data, axis, largest):
    """Running max (min) along ``axis`` and where each came from: a tie moves the index on,
    and a NaN, once met, stays (a later NaN takes the index, as in PyTorch's kernel)."""
    xp = array_module(data)
    moved = xp.moveaxis(data, axis, -1)
    values = moved.copy()
    indices = xp.zeros(moved.shape, dtype=np.int64)
    floating = data.dtype.kind == "f"
    for i in range(1, moved.shape[-1]):
        best, current = values[..., i - 1], moved[..., i]
        take = current >= best if largest else current <= best
        if floating:
            take |= xp.isnan(current)
        values[..., i] = xp.where(take, current, best)
        indices[..., i] = xp.where(take, i, indices[..., i - 1])
    return xp.moveaxis(values, -1, axis), xp.moveaxis(indices, -1, axis)


def _cumulative_extreme(input, dim, largest, node_cls, name):
    data = input._data
    axis = _wrap_dim(dim, data.ndim)
    if data.ndim == 0:
        values, indices = data.copy(), np.zeros((), dtype=np.int64)
    else:
        values, indices = _running_extreme(data, axis, largest)
    out = wrap(dense(values))
    index_tensor = wrap(dense(indices))
    if recording(input):
        record(node_cls, out, (input,), (axis, save(index_tensor), save(input)))
    return RETURN_TYPES[name](out, index_tensor)


@op("Reductions")
def cummax(input, dim):
    return _cumulative_extreme(input, dim, True, CummaxBackward0, "cummax")


@op("Reductions")
def cummin(input, dim):
    return _cumulative_extreme(input, dim, False, CumminBackward0, "cummin")
