"""PyTorch's CPU arithmetic for optimiser updates, on numpy arrays in place.

PyTorch's vectorised CPU kernels round differently from a plain numpy
expression in three places that an optimiser step hits on every element:

* ``a.add(b, alpha=s)`` is one fused multiply-add, ``fma(b, s, a)``, rounded once;
* ``a.addcmul(t1, t2, value=s)`` is ``fma(s * t1, t2, a)``;
* ``a.lerp(b, w)`` is ``fma(w, b - a, a)`` for ``w < 0.5`` and
  ``fma(w - 1, b - a, b)`` otherwise;

while ``a.addcdiv(t1, t2, value=s)`` is ``a + (s * t1) / t2`` in that order.
Scalars are rounded to the array's dtype first, as ``Scalar.to<scalar_t>()`` does.
numpy has no fused multiply-add, so :func:`fma` computes one exactly
(error-free transformations and rounding to odd: Boldo and Melquiond,
"Emulation of FMA and correctly rounded sums", IEEE TC 2008).
"""
import math
import threading

import numpy as np

_SPLITTER = 134217729.0  # 2**27 + 1: Dekker's split of a double into two 26-bit halves
# A double whose low 29 mantissa bits are 1000...0 lies halfway between two floats.
_FLOAT32_TAIL_MASK = np.uint64((1 << 29) - 1)
_FLOAT32_MIDPOINT_TAIL = np.uint64(1 << 28)
_FLOAT32_EXPONENT_MASK = np.uint32(0x7F800000)


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
    return high + _round_to_odd(np.asarray(tail), np.asarray(tail_err))


class _Scratch(threading.local):
    """Work arrays reused from step to step: a fresh array of a layer's size costs
    its page faults every time, more than the arithmetic done in it."""

    size = 0

    def arrays(self, shape):
        n = math.prod(shape)
        if n > self.size:
            self.size = n
            self.float64 = np.empty(n, np.float64)
            self.bits = np.empty(n, np.uint64)
            self.float32 = np.empty(n, np.float32)
            self.flags = np.empty(n, np.bool_)
        return (self.float64[:n].reshape(shape), self.bits[:n].reshape(shape),
                self.float32[:n].reshape(shape), self.flags[:n].reshape(shape))


_scratch = _Scratch()


def _fma32(a, b, c, out):
    """In double a float product is exact, so only the sum rounds; rounding that
    to float errs only where the double landed exactly halfway between two
    floats, or where the result is below float's normal range (where halfway
    lies elsewhere): those few elements are redone exactly."""
    shape = np.broadcast_shapes(np.shape(a), np.shape(b), np.shape(c))
    total, bits, result, flags = _scratch.arrays(shape)
    np.multiply(a, b, out=total, dtype=np.float64)
    np.add(total, c, out=total)
    np.bitwise_and(total.view(np.uint64), _FLOAT32_TAIL_MASK, out=bits)
    np.equal(bits, _FLOAT32_MIDPOINT_TAIL, out=flags)
    redo = flags.copy() if flags.any() else None
    np.copyto(result, total, casting="same_kind")
    # Below float's normal range, zero included (its exponent field is 0 too).
    exponent = bits.reshape(-1).view(np.uint32)[:result.size].reshape(shape)
    np.bitwise_and(result.view(np.uint32), _FLOAT32_EXPONENT_MASK, out=exponent)
    np.equal(exponent, 0, out=flags)
    if flags.any():
        flags &= total != 0  # an exact zero needs nothing
        redo = flags.copy() if redo is None else redo | flags
    if redo is not None and redo.any():
        a64, b64, c64 = (np.broadcast_to(np.asarray(x, np.float64), shape)[redo]
                         for x in (a, b, c))
        exact_sum, err = _two_sum(a64 * b64, c64)
        result[redo] = _round_to_odd(np.asarray(exact_sum), np.asarray(err))
    if out is None:
        return result.copy()
    np.copyto(out, result)
    return out


def fma(a, b, c, out=None):
    """``a * b + c`` rounded once, in the dtype of ``c`` (float32 or float64);
    written into ``out`` when given."""
    if np.result_type(c) == np.float32:
        return _fma32(a, b, c, out)
    result = _fma64(a, b, c)
    if out is None:
        return result
    out[...] = result
    return out


def scalar(value, array):
    """A Python number as PyTorch's kernel sees it: rounded to the array's dtype."""
    return array.dtype.type(value)


def add(a, b, alpha):
    """``a.add(b, alpha=alpha)``, a new array."""
    return fma(b, scalar(alpha, a), a)


def add_(a, b, alpha):
    """``a.add_(b, alpha=alpha)``."""
    alpha = scalar(alpha, a)
    if alpha == 1:  # a product with one is exact: the fused sum is the plain one
        np.add(a, b, out=a)
    elif alpha == -1:
        np.subtract(a, b, out=a)
    else:
        fma(b, alpha, a, out=a)


def addcmul_(a, t1, t2, value):
    """``a.addcmul_(t1, t2, value=value)``."""
    fma(scalar(value, a) * t1, t2, a, out=a)


def addcmul(a, t1, t2, value):
    """``a.addcmul(t1, t2, value=value)``, a new array."""
    return fma(scalar(value, a) * t1, t2, a)


def addcdiv_(a, t1, t2, value=1):
    """``a.addcdiv_(t1, t2, value=value)``."""
    a += scalar(value, a) * t1 / t2


def lerp_(a, end, weight):
    """``a.lerp_(end, weight)`` with a number weight."""
    w = scalar(weight, a)
    if w < 0.5:
        fma(w, end - a, a, out=a)
    else:
        fma(w - a.dtype.type(1), end - a, end, out=a)
