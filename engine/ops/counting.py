"""Counting and bucketing: unique, unique_consecutive, bincount, histc,
searchsorted, bucketize. None has a derivative; ``unique`` of a tensor that
requires grad records PyTorch's Unique2Backward0, which fails if backward
reaches it, as PyTorch's does.
"""
import numpy as np

from ..autograd.node import Node
from ..tensor import Tensor
from .comparison import scalar_type_name
from .registry import op, record, recording, wrap


class Unique2Backward0(Node):
    __slots__ = ()
    formula = "no derivative: backward through unique is an error"

    def backward(self, grad):
        raise NotImplementedError("the derivative for '_unique2' is not implemented.")


def _int64(array):
    return wrap(np.asarray(array, dtype=np.int64))


@op("Counting")
def unique(input, sorted=True, return_inverse=False, return_counts=False, dim=None):
    """Distinct values, sorted (PyTorch's CPU kernel sorts even with ``sorted=False``); NaNs
    stay distinct. With ``dim``, distinct slices along it."""
    data = input._data
    if dim is None:
        values, inverse, counts = np.unique(data.reshape(-1), return_inverse=True,
                                            return_counts=True, equal_nan=False)
        inverse = inverse.reshape(data.shape)
    else:
        values, inverse, counts = np.unique(data, return_inverse=True, return_counts=True,
                                            axis=dim)
        inverse = inverse.reshape(-1)
    out = wrap(values)
    if recording(input) and dim is None:
        record(Unique2Backward0, out, (input,))
    results = [out]
    if return_inverse:
        results.append(_int64(inverse))
    if return_counts:
        results.append(_int64(counts))
    return out if len(results) == 1 else tuple(results)


@op("Counting")
def unique_consecutive(input, return_inverse=False, return_counts=False, dim=None):
    data = input._data.reshape(-1) if dim is None else np.moveaxis(input._data, dim, 0)
    if len(data) == 0:
        starts = np.zeros(0, dtype=np.int64)
    else:
        changed = np.any((data[1:] != data[:-1]).reshape(len(data) - 1, -1), axis=1)
        starts = np.concatenate([[0], np.flatnonzero(changed) + 1])
    values = data[starts] if dim is None else np.moveaxis(data[starts], 0, dim)
    results = [wrap(np.ascontiguousarray(values))]
    if return_inverse:
        inverse = np.cumsum(np.isin(np.arange(len(data)), starts)) - 1
        results.append(_int64(inverse.reshape(input._data.shape) if dim is None else inverse))
    if return_counts:
        results.append(_int64(np.diff(np.append(starts, len(data)))))
    return results[0] if len(results) == 1 else tuple(results)


@op("Counting")
def bincount(input, weights=None, minlength=0):
    data = input._data
    if data.dtype.kind == "f":
        raise NotImplementedError(
            f'"bincount_cpu" not implemented for \'{scalar_type_name(input.dtype)}\'')
    if data.ndim != 1 or (data.size and data.min() < 0):
        raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
    if weights is None:
        return _int64(np.bincount(data, minlength=minlength))
    counts = np.bincount(data, weights=weights._data, minlength=minlength)
    dtype = weights._data.dtype if weights._data.dtype.kind == "f" else np.float64
    return wrap(counts.astype(dtype))


@op("Counting")
def histc(input, bins=100, min=0, max=0):  # noqa: A002 - PyTorch's parameter names
    """Counts in ``bins`` equal bins over [min, max] (the data's range when both are 0; a
    single value v spans [v − 1, v + 1]); values outside are left out."""
    data = input._data
    if data.dtype.kind != "f":
        raise NotImplementedError(
            f'"histogram_cpu" not implemented for \'{scalar_type_name(input.dtype)}\'')
    low, high = float(min), float(max)
    if low == high and data.size:
        low, high = float(data.min()), float(data.max())
    if low == high:
        low, high = low - 1, high + 1
    values = data.reshape(-1).astype(np.float64)
    inside = values[(values >= low) & (values <= high)]
    positions = ((inside - low) * bins / (high - low)).astype(np.int64)
    positions[positions == bins] = bins - 1
    return wrap(np.bincount(positions, minlength=bins).astype(data.dtype))


@op("Counting", method=False)
def searchsorted(sorted_sequence, input, *, out_int32=False, right=False, side=None,
                 sorter=None):
    side = side or ("right" if right else "left")
    boundaries = sorted_sequence._data
    values = input._data if isinstance(input, Tensor) else np.asarray(input)
    dtype = np.int32 if out_int32 else np.int64
    if boundaries.ndim <= 1:
        return wrap(np.asarray(np.searchsorted(boundaries, values, side=side), dtype=dtype))
    rows = [np.searchsorted(b, v, side=side) for b, v in
            zip(boundaries.reshape(-1, boundaries.shape[-1]), values.reshape(-1, values.shape[-1]))]
    return wrap(np.asarray(rows, dtype=dtype).reshape(values.shape))


@op("Counting", method=False)
def bucketize(input, boundaries, *, out_int32=False, right=False):
    return searchsorted(boundaries, input, out_int32=out_int32, right=right)
