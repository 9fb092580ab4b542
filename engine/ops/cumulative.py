"""Running sums and differences along a dim: cumsum and diff (cumprod is ``ordering.py``'s)."""
import numpy as np

from .. import dtypes
from ..autograd.node import Node
from ..backend import array_module
from .join_split import cat
from .reduction import normalize_dims
from .registry import op, record, recording, wrap


# ----------------------------------------------------------------- cumsum
class CumsumBackward0(Node):
    __slots__ = ()
    saved_fields = ("dim",)
    # a reversed cumulative sum (each input counts in every later output), without flip
    gradients = {"self": "sum_kept(grad, dim) - cumsum(grad, dim) + grad"}


def cumsum_array(data, axis, np_dtype):
    """The running sum of ``data`` along ``axis`` in ``np_dtype`` (a 0-d array is its own)."""
    # float16 accumulates in float32, as PyTorch's kernel does (a float16 running sum stalls).
    wide = np.float32 if np.dtype(np_dtype) == np.float16 else np_dtype
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
