"""Fused multiply-add for numpy arrays: ``a * b + c`` rounded once, as PyTorch's
vectorised CPU kernels compute it (numpy has no fma).

float32 goes through double, where a float product is exact, so only the sum
rounds; rounding that double to float errs only where it landed exactly
halfway between two floats (or below float's normal range), and those few
elements are redone exactly.

float64 is first settled in float64 itself: the rounded product ``p`` is within
one unit in the last place of the exact one, so ``p - e`` and ``p + e`` (``e``
at least that unit) bracket it; rounding is monotonic, so where ``c + (p - e)``
and ``c + (p + e)`` round to the same number, so does ``c + a * b``, and that
number is the fused result. The rest (a few per cent of an SGD update, most of
a ``lerp``) are computed with error-free transformations and rounding to odd
(Boldo and Melquiond, "Emulation of FMA and correctly rounded sums", IEEE TC 2008).
"""
import math
import threading

import numpy as np

_SPLITTER = 134217729.0  # 2**27 + 1: Dekker's split of a double into two 26-bit halves
# A double whose low 29 mantissa bits are 1000...0 lies halfway between two floats.
_FLOAT32_TAIL_MASK = np.uint64((1 << 29) - 1)
_FLOAT32_MIDPOINT_TAIL = np.uint64(1 << 28)
_ABOVE_FLOAT32_TAIL = np.uint64(64 - 29)
_HALFWAY_SHIFTED = np.iinfo(np.int64).min  # the halfway tail shifted to the top
_SMALLEST_NORMAL_FLOAT32 = float(np.finfo(np.float32).tiny)
# 2**-52 times |p| is at least one unit in p's last place; the smallest subnormal
# is that unit where p is subnormal or zero.
_RELATIVE_UNIT = np.float64(2.0 ** -52)
_SMALLEST_SUBNORMAL = np.float64(5e-324)
# float64: with more than one element in this many left unsettled, or with fewer
# elements than _SMALL (where settling costs more calls than it saves), the whole
# array is computed exactly.
_EXACT_SHARE = 2
_SMALL = 256
# Below this many elements, float32 work arrays are allocated afresh in a few
# calls (numpy's small-block cache makes that cheap); from here on, fresh ones
# would cost page faults on every call, so the reused ones serve.
_LARGE = 1 << 12
_BLOCK = 1 << 15
_BLOCK_DTYPES = (np.float64, np.float64)


class _Scratch(threading.local):
    """Work arrays reused from call to call: a fresh array of a layer's size costs
    its page faults every time, more than the arithmetic done in it."""

    def __init__(self):
        self.pools = {}

    def arrays(self, shape, dtypes):
        n = math.prod(shape)
        pool = self.pools.get(dtypes)
        if pool is None or pool[0].size < n:
            pool = self.pools[dtypes] = [np.empty(n, d) for d in dtypes]
        if len(shape) == 1:
            return [a[:n] for a in pool]
        return [a[:n].reshape(shape) for a in pool]


_scratch = _Scratch()


def fma(a, b, c, out=None):
    """``a * b + c`` rounded once, in the dtype of ``c`` (float32 or float64);
    written into ``out`` (which may be one of the operands) when given.
    Infinities and NaN pass through silently, as in PyTorch."""
    with np.errstate(all="ignore"):
        return _fma(a, b, c, out)


def _fma(a, b, c, out):
    if np.result_type(c) == np.float32:
        return _fma32(a, b, c, out)
    return _fma64_settled(a, b, c, out)


def _fma64_settled(a, b, c, out):
    """float64: settled in float64 where the product's bracket allows (see the
    module's docstring), exactly elsewhere."""
    shape = np.broadcast_shapes(np.shape(a), np.shape(b), np.shape(c))
    n = math.prod(shape)
    if n < _SMALL:
        return _store(_fma64(a, b, c), out)
    product, upper, lower, unsettled = _scratch.arrays(
        shape, (np.float64, np.float64, np.float64, np.bool_))
    np.multiply(a, b, out=product)
    unit = lower  # the unit first, then the lower bound in its place
    np.abs(product, out=unit)
    np.multiply(unit, _RELATIVE_UNIT, out=unit)
    np.add(unit, _SMALLEST_SUBNORMAL, out=unit)
    np.add(product, unit, out=upper)
    np.subtract(product, unit, out=lower)
    np.add(c, upper, out=upper)
    np.add(c, lower, out=lower)
    np.not_equal(upper, lower, out=unsettled)  # NaN and overflow land here too
    exact = None
    if unsettled.any():
        if np.count_nonzero(unsettled) * _EXACT_SHARE > n:
            return _store(_fma64(a, b, c), out)
        where = np.flatnonzero(unsettled)
        # Read the operands before ``out``, which may be one of them, changes.
        exact = _fma64(*(_pick(x, shape, where) for x in (a, b, c)))
    result = _store(upper, out)
    if exact is not None:
        if result.flags.c_contiguous:
            result.reshape(-1)[where] = exact
        else:
            result[np.unravel_index(where, shape)] = exact
    return result


def _pick(x, shape, where):
    """The elements at flat positions ``where`` of ``x`` broadcast to ``shape``."""
    if np.ndim(x) == 0:
        return x
    if np.shape(x) == shape and x.flags.c_contiguous:
        return x.reshape(-1)[where]
    return np.broadcast_to(x, shape)[np.unravel_index(where, shape)]


def _store(values, out):
    """``values`` into ``out``, or as a new array (numpy hands back a scalar for 0-d)."""
    if out is None:
        return np.array(values)
    np.copyto(out, values)
    return out


def _two_sum(a, b):
    """``s, e`` with ``s = a + b`` rounded and ``s + e`` exactly ``a + b`` (Knuth)."""
    s = a + b
    b_virtual = s - a
    err = (a - (s - b_virtual)) + (b - b_virtual)
    return s, err


def _two_product(a, b):
    """``p, e`` with ``p = a * b`` rounded and ``p + e`` exactly ``a * b`` (Dekker)."""
    p = a * b
    scaled = _SPLITTER * a
    a_high = scaled - (scaled - a)
    a_low = a - a_high
    scaled = _SPLITTER * b
    b_high = scaled - (scaled - b)
    b_low = b - b_high
    err = ((a_high * b_high - p) + a_high * b_low + a_low * b_high) + a_low * b_low
    return p, err


def _round_to_odd(s, err):
    """``s`` (a rounded sum with exact remainder ``err``) rounded to odd instead:
    an inexact result takes whichever neighbour has an odd last bit."""
    even_and_inexact = (err != 0) & ((s.view(np.int64) & 1) == 0)
    if even_and_inexact.any():
        s = np.array(s, copy=True)
        s[even_and_inexact] = np.nextafter(
            s[even_and_inexact], np.where(err[even_and_inexact] > 0, np.inf, -np.inf))
    return s


def _fma64(a, b, c):
    a, b, c = np.broadcast_arrays(np.asarray(a, np.float64), np.asarray(b, np.float64),
                                  np.asarray(c, np.float64))
    product, product_err = _two_product(a, b)
    high, low = _two_sum(c, product)
    tail, tail_err = _two_sum(low, product_err)
    result = np.asarray(high + _round_to_odd(np.asarray(tail), np.asarray(tail_err)))
    # Infinities and NaN (and products too large to split) defeat the error terms;
    # there the plain expression is IEEE's answer.
    special = ~np.isfinite(result)
    if special.any():
        result[special] = (a * b + c)[special]
    return result


def _fma32(a, b, c, out):
    """In double a float product is exact, so only the sum rounds; rounding that
    to float errs only where the double landed exactly halfway between two
    floats, or where the result is below float's normal range (where halfway
    lies elsewhere): blocks holding such an element are redone exactly."""
    shape = _common_shape(a, b, c)
    if math.prod(shape) < _LARGE:
        return _store(_fma32_small(a, b, c), out)
    if out is None:
        out = np.empty(shape, np.float32)
    # Flat, contiguous operands (copies only for broadcast or strided ones, rare here).
    flat = [x if np.ndim(x) == 0 else np.ascontiguousarray(np.broadcast_to(x, shape)).reshape(-1)
            for x in (a, b, c)]
    # Each block's operands are read before its results are written: an operand that is
    # ``out`` itself is safe, one that overlaps it elsewhere is not (a fresh target then).
    in_place = out.flags.c_contiguous and not any(
        np.ndim(x) and np.may_share_memory(x, out) and not _same_memory(x, out) for x in flat)
    target = out if in_place else np.empty(shape, np.float32)
    _fma32_blocks(*flat, target.reshape(-1))
    if target is not out:
        np.copyto(out, target)
    return out


def _common_shape(a, b, c):
    """The operands' broadcast shape; at once where each is ``c``'s shape or 0-d (an
    optimiser's operands)."""
    shape = np.shape(c)
    for x in (a, b):
        x_shape = np.shape(x)
        if x_shape != shape and x_shape:
            return np.broadcast_shapes(np.shape(a), np.shape(b), shape)
    return shape


def _same_memory(x, out):
    """Whether flat ``x`` is ``out``'s memory, element for element."""
    return (x.__array_interface__["data"][0] == out.__array_interface__["data"][0]
            and x.size == out.size and x.itemsize == out.itemsize)


def _fma32_blocks(a, b, c, out):
    """:func:`_fma32` on flat arrays, block by block, so that the double work
    arrays stay in the processor's cache (a layer-sized one would travel to
    memory and back on every pass); every block is read before its results are
    written, so ``out`` may be an operand.

    Every pass is a one-dtype numpy loop (a mixed-dtype one casts through a
    buffer at several times the cost) and every test one pass into the spent
    work array and a reduction: two double arrays in all, so that a block and
    its operands fit the cache."""
    n = out.size
    size = min(n, _BLOCK)
    total, work = _scratch.arrays((size,), _BLOCK_DTYPES)
    scale = product = None
    if np.ndim(a) == 0 and np.ndim(b) == 0:
        product = np.float64(a) * np.float64(b)
    elif np.ndim(b) == 0:
        scale = np.float64(b)
    elif np.ndim(a) == 0:
        scale = np.float64(a)
        a, b = b, a  # the array first: only their product is used
    minimum = np.minimum.reduce
    for start in range(0, n, _BLOCK):
        stop = min(n, start + _BLOCK)
        if stop - start != size:
            size = stop - start
            total, work = total[:size], work[:size]  # the last block's share
        if product is not None:
            total.fill(product)
        else:
            np.copyto(total, a[start:stop])  # float to double is exact
            if scale is not None:
                np.multiply(total, scale, out=total)  # exact: 24-bit factors, 53-bit product
            else:
                np.copyto(work, b[start:stop])
                np.multiply(total, work, out=total)
        np.copyto(work, c if np.ndim(c) == 0 else c[start:stop])
        np.add(total, work, out=total)
        # Halfway: the low 29 bits are 1000...0; shifted to the top they are
        # int64's smallest value, which only they reach.
        np.left_shift(total.view(np.uint64), _ABOVE_FLOAT32_TAIL, out=work.view(np.uint64))
        halfway = minimum(work.view(np.int64)) == _HALFWAY_SHIFTED
        # Below float's normal range (a NaN minimum hides the answer: look closer).
        magnitude = np.abs(total, out=work)
        tiny = not minimum(magnitude) >= _SMALLEST_NORMAL_FLOAT32
        block = out[start:stop]
        if halfway or (tiny and ((magnitude < _SMALLEST_NORMAL_FLOAT32) & (total != 0)).any()):
            parts = (x if np.ndim(x) == 0 else x[start:stop] for x in (a, b, c))
            np.copyto(block, _fma32_small(*parts))
        else:
            np.copyto(block, total, casting="same_kind")


def _fma32_small(a, b, c):
    """:func:`_fma32` in as few numpy calls as possible, for arrays too small for
    their allocations to matter (and for a block to redo)."""
    total = np.asarray(np.multiply(a, b, dtype=np.float64))  # numpy gives 0-d as a scalar
    total += c
    result = total.astype(np.float32)
    flat, rounded = total.reshape(-1), result.reshape(-1)
    if not flat.size:
        return result
    halfway = np.minimum.reduce(np.left_shift(flat.view(np.uint64), _ABOVE_FLOAT32_TAIL).view(
        np.int64)) == _HALFWAY_SHIFTED
    if halfway or not np.minimum.reduce(np.abs(rounded)) >= _SMALLEST_NORMAL_FLOAT32:
        magnitude = np.abs(total)
        redo = ((total.view(np.uint64) & _FLOAT32_TAIL_MASK) == _FLOAT32_MIDPOINT_TAIL) | (
            (magnitude < _SMALLEST_NORMAL_FLOAT32) & (magnitude != 0))
        if redo.any():
            a64, b64, c64 = (np.broadcast_to(np.asarray(x, np.float64), total.shape)[redo]
                             for x in (a, b, c))
            exact_sum, err = _two_sum(a64 * b64, c64)
            total[redo] = _round_to_odd(np.asarray(exact_sum), np.asarray(err))
            result = total.astype(np.float32)
    return result
