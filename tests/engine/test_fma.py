"""``engine.optim.fma`` for float32 against exact references.

float32 goes through double (an exact product, one rounded sum) and redoes
only the elements whose double sum could have rounded twice: a sum landing
exactly halfway between two floats, or one below float's normal range. These
tests build many such sums on purpose (products a hair off half a unit in the
last place of ``c``, where the plain double route rounds the wrong way) and
check every result against an exact computation: round-to-odd error-free sums
for all elements, and rational arithmetic for a sample.
"""
from fractions import Fraction

import numpy as np
import pytest

from engine.optim import fma as fma_module
from engine.optim.fma import fma

RNG = np.random.default_rng(2024)
F32 = np.float32
NEAR_ONE = F32(1 + 2.0 ** -23)  # (1 + 2**-23) * (1 - 2**-23) = 1 - 2**-46: a hair below one


def exact32(a, b, c):
    """``a * b + c`` rounded once to float32, by round-to-odd in double (Boldo and
    Melquiond): exact for float32 operands, written independently of the fast route."""
    a, b, c = np.broadcast_arrays(*(np.asarray(x, np.float64) for x in (a, b, c)))
    with np.errstate(all="ignore"):  # infinities and NaN make NaN error terms: ignored below
        product = a * b  # exact: two 24-bit significands
        total = np.array(product + c)
        virtual = total - product
        err = (product - (total - virtual)) + (c - virtual)
        inexact_even = (err != 0) & ((total.view(np.int64) & 1) == 0) & np.isfinite(err)
        total[inexact_even] = np.nextafter(total[inexact_even],
                                           np.where(err[inexact_even] > 0, np.inf, -np.inf))
        return total.astype(F32)


def rational32(a, b, c):
    """The same for one element, by rational arithmetic and round-half-to-even."""
    exact = Fraction(float(a)) * Fraction(float(b)) + Fraction(float(c))
    guess = F32(float(exact))
    candidates = [guess, np.nextafter(guess, F32(np.inf)), np.nextafter(guess, F32(-np.inf))]
    return min(candidates, key=lambda f: (abs(Fraction(float(f)) - exact),
                                          int(np.array(f).view(np.uint32)) & 1))


def near_halfway(c, power=1.0):
    """For each ``c``, ``a`` with ``a * power * NEAR_ONE`` a hair below half of ``c``'s unit
    in the last place (``power`` a power of two): ``c`` plus that product is a hair off
    halfway between two floats, and in double lands on it."""
    half_unit = np.spacing(np.abs(c)).astype(np.float64) / 2
    a = (half_unit * (1 - 2.0 ** -23) / power).astype(F32)  # exact: a power of two apart
    return np.where(RNG.random(c.shape) < 0.5, a, -a)


def below_normal_near_halfway(a, b, c, where):
    """Set ``c`` to an odd multiple of float's smallest subnormal and ``a * b`` to a hair
    off half of it, at ``where``: the double sum lands halfway between two subnormals."""
    k = np.count_nonzero(where)
    c[where] = (RNG.integers(1 << 10, 1 << 20, k) * 2 + 1) * F32(2.0 ** -149)
    a[where] = F32(2.0 ** -25) * NEAR_ONE * np.where(RNG.random(k) < 0.5, 1, -1)
    b[where] = F32(2.0 ** -125) * F32(1 - 2.0 ** -23)  # both normal, their product 2**-150


def adversarial(n):
    """Operands mixing plain random values with sums a hair off halfway (normal and
    below float's normal range), signed zeros, infinities, NaN and cancellations."""
    a = RNG.standard_normal(n).astype(F32)
    b = RNG.standard_normal(n).astype(F32)
    c = (RNG.standard_normal(n) * np.exp(RNG.uniform(-20, 20, n))).astype(F32)
    trap = RNG.random(n) < 0.3  # products a hair off half a unit of c
    b[trap] = NEAR_ONE
    a[trap] = near_halfway(c[trap])
    below_normal_near_halfway(a, b, c, RNG.random(n) < 0.02)
    c[:4], a[4:8], b[8:12] = 0.0, -0.0, 0.0
    a[12], b[13], c[14], c[15] = np.inf, -np.inf, np.nan, np.inf
    c[16:40] = -(a[16:40] * b[16:40])  # cancellations
    return a, b, c


def assert_bits_equal(ours, expected):
    assert ours.dtype == F32
    np.testing.assert_array_equal(ours.view(np.uint32), expected.view(np.uint32))


def test_the_cases_are_adversarial():
    """The plain double route rounds many of these the wrong way (also below float's
    normal range): each must be caught."""
    a, b, c = adversarial(5000)
    with np.errstate(all="ignore"):
        plain = (a.astype(np.float64) * b + c).astype(F32)
    wrong = plain.view(np.uint32) != exact32(a, b, c).view(np.uint32)
    assert np.count_nonzero(wrong) > 200
    assert np.count_nonzero(wrong & (np.abs(c) < np.finfo(F32).tiny)) > 10


# Below 4096 elements one pass over the whole array; from there, blocks of 32768.
@pytest.mark.parametrize("n", [1, 100, 4095, 5000, 70000])
def test_arrays_round_once(n):
    a, b, c = adversarial(max(n, 41))
    a, b, c = a[:n], b[:n], c[:n]
    assert_bits_equal(fma(a, b, c), exact32(a, b, c))


@pytest.mark.parametrize("n", [100, 70000])
def test_sums_below_normal_range_round_once(n):
    """Only sums a hair off halfway between subnormals (no halfway double among the
    normal results): the test for results below float's normal range must catch them."""
    a, b = RNG.standard_normal((2, n)).astype(F32)
    c = RNG.standard_normal(n).astype(F32)
    below_normal_near_halfway(a, b, c, RNG.random(n) < 0.01)
    assert_bits_equal(fma(a, b, c), exact32(a, b, c))


def test_exact_reference_agrees_with_rational_arithmetic():
    a, b, c = adversarial(3000)
    finite = np.flatnonzero(np.isfinite(a) & np.isfinite(b) & np.isfinite(c))[:800]
    for i in finite:
        expected = exact32(a[i], b[i], c[i])
        if expected != 0:  # the sign of a zero sum is IEEE's rule, not a rounding
            assert expected == rational32(a[i], b[i], c[i]), (a[i], b[i], c[i])


@pytest.mark.parametrize("n", [300, 70000])
def test_scalar_factor_in_place_as_an_optimiser_step(n):
    """``p.add_(buf, alpha=-lr)``: a scalar factor, the result written over ``c``."""
    scale = F32(2.0 ** -7) * NEAR_ONE
    c = (RNG.standard_normal(n) * 0.05).astype(F32)
    a = RNG.standard_normal(n).astype(F32)
    trap = RNG.random(n) < 0.3
    a[trap] = near_halfway(c[trap], 2.0 ** -7)
    expected = exact32(a, scale, c)
    out = c  # in place, as the optimiser writes
    assert fma(a, scale, c, out=out) is out
    assert_bits_equal(out, expected)
    # The factor first, and the update written over the array factor instead.
    a2, c2 = a.copy(), (RNG.standard_normal(n) * 0.05).astype(F32)
    expected = exact32(scale, a2, c2)
    assert_bits_equal(fma(scale, a2, c2, out=a2), expected)


def test_scalar_product_broadcast_and_strided_operands():
    c = (RNG.standard_normal((300, 40)) * 3).astype(F32)
    a, b = F32(0.3), F32(-1.7)
    assert_bits_equal(fma(a, b, c), exact32(a, b, c))
    row = RNG.standard_normal(40).astype(F32)
    column = RNG.standard_normal((300, 1)).astype(F32)
    assert_bits_equal(fma(row, column, c), exact32(row, column, c))
    strided = np.asfortranarray(c)
    out = np.empty_like(strided)
    assert_bits_equal(fma(column, row, strided, out=out), exact32(column, row, c))


def test_every_block_of_a_large_array_is_checked():
    """One trap per block, at its first and last element: none may slip through."""
    n = 5 * fma_module._BLOCK + 17
    c = (RNG.standard_normal(n) * 0.5).astype(F32)
    a = RNG.standard_normal(n).astype(F32) * F32(1e-3)
    edges = np.r_[np.arange(0, n, fma_module._BLOCK), np.arange(fma_module._BLOCK - 1, n,
                                                                  fma_module._BLOCK), n - 1]
    c[edges] = np.where(np.arange(edges.size) % 2, F32(1 + 2.0 ** -23), F32(-1 - 3 * 2.0 ** -23))
    a[edges] = near_halfway(c[edges])
    assert_bits_equal(fma(a, NEAR_ONE, c), exact32(a, NEAR_ONE, c))


def test_an_operand_overlapping_the_target_elsewhere_is_read_before_it_changes():
    """``out`` one element past ``a`` in one buffer: blocks written in place would clobber
    the first operand of each later block, so the result goes through a fresh array."""
    n = 2 * fma_module._BLOCK + 5
    buffer = RNG.standard_normal(n + 1).astype(F32)
    a, out = buffer[:-1], buffer[1:]
    c = RNG.standard_normal(n).astype(F32)
    expected = exact32(a.copy(), F32(0.37), c)
    fma(a, F32(0.37), c, out=out)
    assert_bits_equal(out, expected)
