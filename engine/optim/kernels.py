"""PyTorch's CPU arithmetic for optimiser updates, on numpy arrays in place.

PyTorch's vectorised CPU kernels round differently from a plain numpy
expression in three places that an optimiser step hits on every element:

* ``a.add(b, alpha=s)`` is one fused multiply-add, ``fma(b, s, a)``, rounded once;
* ``a.addcmul(t1, t2, value=s)`` is ``fma(s * t1, t2, a)``;
* ``a.lerp(b, w)`` is ``fma(w, b - a, a)`` for ``w < 0.5`` and
  ``fma(w - 1, b - a, b)`` otherwise;

while ``a.addcdiv(t1, t2, value=s)`` is ``a + (s * t1) / t2`` in that order.
Scalars are rounded to the array's dtype first, as ``Scalar.to<scalar_t>()`` does.
numpy has no fused multiply-add: fma.py computes one.
"""
import numpy as np

from .fma import fma


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
