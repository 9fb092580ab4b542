"""Comparisons, logical and bitwise ops, ``//``, ``%`` and fmod.

Cases are ``(id, fn(module, *tensors), input arrays)``, run on the engine and
on PyTorch; only remainder and fmod have gradients, checked by finite
differences too (inputs keep ``a / b`` away from whole numbers, where they jump).
"""
import numpy as np
import opcheck
import pytest

import engine

X = np.array([[-1.3, 0.4, 2.1], [0.7, -0.2, 1.6]])
Y = np.array([[0.5, -0.9, 1.1], [-1.4, 0.8, 0.3]])
ROW = np.array([0.4, -0.5, 1.9])
NAN = np.array([np.nan, 1.0, np.inf, -np.inf, 0.0])
INTS = np.array([[1, -2, 3], [0, 4, -7]])
DIVISORS = np.array([[3, 2, -2], [5, -3, 2]])
BOOLS = np.array([[True, False, True], [False, True, True]])
OTHER_BOOLS = np.array([[True, True, False], [False, False, True]])

VALUE_CASES = [
    ("eq", lambda m, x, y: m.eq(x, y), [X, X]),
    ("eq-operator", lambda m, x, y: x == y, [X, Y]),
    ("ne-number", lambda m, x: x != 0.4, [X]),
    ("lt-broadcast", lambda m, x, r: x < r, [X, ROW]),
    ("le-method", lambda m, x, y: x.le(y), [X, Y]),
    ("gt-number", lambda m, x: m.gt(x, 0), [X]),
    ("ge-reflected", lambda m, x: 0.5 >= x, [X]),
    ("greater-alias", lambda m, x, y: m.greater(x, y), [X, Y]),
    ("less-equal-alias", lambda m, x, y: m.less_equal(x, y), [X, Y]),
    ("not-equal-alias", lambda m, x, y: x.not_equal(y), [X, Y]),
    ("int-vs-float-number", lambda m, i: i < 2.5, [INTS]),
    ("int-vs-float-tensor", lambda m, i, x: i >= x, [INTS, X]),
    ("bool-vs-int-number", lambda m, b: b == 1, [BOOLS]),
    ("float32-vs-number", lambda m, x: x.float() == 0.4, [X]),
    ("logical_and", lambda m, x, i: m.logical_and(x, i), [X, INTS]),
    ("logical_or", lambda m, b, c: b.logical_or(c), [BOOLS, OTHER_BOOLS]),
    ("logical_xor", lambda m, b, c: m.logical_xor(b, c), [BOOLS, OTHER_BOOLS]),
    ("logical_not", lambda m, x: m.logical_not(x), [X]),
    ("and-bool", lambda m, b, c: b & c, [BOOLS, OTHER_BOOLS]),
    ("or-bool-number", lambda m, b: b | False, [BOOLS]),
    ("xor-int", lambda m, i: i ^ 5, [INTS]),
    ("and-bool-int", lambda m, b, i: b & i, [BOOLS, INTS]),
    ("and-reflected", lambda m, i: 1 & i, [INTS]),
    ("invert-bool", lambda m, b: ~b, [BOOLS]),
    ("invert-int", lambda m, i: ~i, [INTS]),
    ("bitwise_not", lambda m, i: m.bitwise_not(i), [INTS]),
    ("lshift", lambda m, i: i << 2, [INTS]),
    ("lshift-tensor", lambda m, i, d: i << d.abs(), [INTS, DIVISORS]),
    ("rshift", lambda m, i: i >> 1, [INTS]),
    ("rlshift", lambda m, d: 1 << d.abs(), [DIVISORS]),
    ("rrshift", lambda m, d: 64 >> d.abs(), [DIVISORS]),
    ("isnan", lambda m, v: m.isnan(v), [NAN]),
    ("isinf", lambda m, v: v.isinf(), [NAN]),
    ("isfinite", lambda m, v: m.isfinite(v), [NAN]),
    ("isinf-int", lambda m, i: m.isinf(i), [INTS]),
    ("isclose", lambda m, x, y: m.isclose(x, x + y * 1e-9), [X, Y]),
    ("floor_divide-int", lambda m, i, d: i // d, [INTS, DIVISORS]),
    ("floor_divide-int-number", lambda m, i: m.floor_divide(i, 2), [INTS]),
    ("floor_divide-int-float", lambda m, i: i // 2.0, [INTS]),
    ("rfloordiv-int", lambda m, d: 7 // d, [DIVISORS]),
    ("floor_divide-by-zero-float", lambda m, x: x.detach() // 0.0, [X]),
    ("remainder-int", lambda m, i, d: i % d, [INTS, DIVISORS]),
    ("remainder-int-number", lambda m, i: i % 3, [INTS]),
    ("rmod-int", lambda m, d: 7 % d, [DIVISORS]),
    ("fmod-int", lambda m, i, d: m.fmod(i, d), [INTS, DIVISORS]),
    ("remainder-signed-zero", lambda m, x: (x.detach() * 0 + 2) % -2.0, [X]),
    ("remainder-by-zero-float", lambda m, x: x.detach() % 0.0, [X]),
]


@pytest.mark.parametrize("case_id, fn, arrays", VALUE_CASES, ids=[c[0] for c in VALUE_CASES])
def test_against_torch(case_id, fn, arrays):
    torch = pytest.importorskip("torch")
    opcheck.check_against_torch(torch, fn, arrays)


# Ops PyTorch records without a derivative: values and graph only (backward raises).
NOT_IMPLEMENTED_CASES = [
    ("floor_divide-graph", lambda m, x, y: x // y, [X, Y]),
    ("floor_divide-number-graph", lambda m, x: x // 2, [X]),
    ("floor_divide-partial-graph", lambda m, x, y: x.detach() // y, [X, Y]),
    ("rfloordiv-graph", lambda m, x: 2 // x, [X]),
    ("rmod-graph", lambda m, x: 2.5 % x, [X]),
]


@pytest.mark.parametrize("case_id, fn, arrays", NOT_IMPLEMENTED_CASES,
                         ids=[c[0] for c in NOT_IMPLEMENTED_CASES])
def test_not_implemented_graphs_against_torch(case_id, fn, arrays):
    torch = pytest.importorskip("torch")
    got = fn(engine, *opcheck.engine_tensors(arrays))
    expected = fn(torch, *opcheck.torch_tensors(torch, arrays))
    assert str(got.dtype) == str(expected.dtype)
    np.testing.assert_allclose(got.detach().numpy(), expected.detach().numpy())
    assert opcheck.graph_signature(got.grad_fn) == opcheck.graph_signature(expected.grad_fn)


GRADIENT_CASES = [
    ("remainder", lambda m, x, y: m.remainder(x, y), [X, Y]),
    ("remainder-operator", lambda m, x, y: x % y, [X, Y]),
    ("remainder-number", lambda m, x: x % 0.6, [X]),
    ("remainder-broadcast", lambda m, x, r: x % r, [X, ROW]),
    ("remainder-method", lambda m, x, y: x.remainder(y), [X, Y]),
    ("fmod", lambda m, x, y: m.fmod(x, y), [X, Y]),
    ("fmod-number", lambda m, x: x.fmod(0.6), [X]),
    ("fmod-int-divisor", lambda m, x, d: m.fmod(x, d), [X, DIVISORS]),
    ("remainder_", lambda m, x, y: (x * 1).remainder_(y), [X, Y]),
    ("imod", lambda m, x: _imod(x * 1, 0.6), [X]),
]


def _imod(tensor, divisor):
    tensor %= divisor
    return tensor


@pytest.mark.parametrize("case_id, fn, arrays", GRADIENT_CASES, ids=[c[0] for c in GRADIENT_CASES])
def test_gradients(case_id, fn, arrays):
    opcheck.check_gradients(fn, arrays)


@pytest.mark.parametrize("case_id, fn, arrays", GRADIENT_CASES, ids=[c[0] for c in GRADIENT_CASES])
def test_gradients_against_torch(case_id, fn, arrays):
    torch = pytest.importorskip("torch")
    opcheck.check_against_torch(torch, fn, arrays)


ERROR_CASES = [
    ("eq-bad-broadcast", lambda m, x, y: x == y[:, :2], [X, Y]),
    ("lt-list", lambda m, x: x < [1.0, 2.0, 3.0], [X]),
    ("and-float", lambda m, x, y: x & y, [X, Y]),
    ("and-float-number", lambda m, x: x & 1, [X]),
    ("and-bool-float-number", lambda m, b: b & 1.0, [BOOLS]),
    ("invert-float", lambda m, x: ~x, [X]),
    ("lshift-float", lambda m, x: x << 1, [X]),
    ("allclose-dtypes", lambda m, i, x: m.allclose(i, x), [INTS, X]),
    ("floor_divide-int-by-zero", lambda m, i: i // 0, [INTS]),
    ("remainder-int-by-zero", lambda m, i: i % 0, [INTS]),
    ("fmod-int-by-zero", lambda m, i: m.fmod(i, 0), [INTS]),
    ("rfloordiv-int-zero", lambda m, i: 7 // i, [INTS]),
    ("floor_divide-backward", lambda m, x: (x // 2).sum().backward(), [X]),
    ("rmod-backward", lambda m, x: (2 % x).sum().backward(), [X]),
    ("remainder_-leaf", lambda m, x: x.remainder_(2), [X]),
]


@pytest.mark.parametrize("case_id, fn, arrays", ERROR_CASES, ids=[c[0] for c in ERROR_CASES])
def test_errors(case_id, fn, arrays):
    torch = pytest.importorskip("torch")
    opcheck.check_error(torch, fn, arrays)


# -------------------------------------------------------- Python-level answers
def test_comparison_with_none_falls_back_to_identity():
    x = engine.tensor(X)
    assert (x == None) is False  # noqa: E711 - the operator itself is under test
    assert (x != None) is True  # noqa: E711
    assert (x == "text") is False


def test_allclose_and_equal_return_python_bools():
    torch = pytest.importorskip("torch")
    pairs = [(X, X), (X, X + 1e-9), (X, Y), (X, np.zeros(())), (NAN, NAN)]
    for a, b in pairs:
        for name in ("allclose", "equal"):
            got = getattr(engine, name)(engine.tensor(a), engine.tensor(b))
            expected = getattr(torch, name)(torch.tensor(a), torch.tensor(b))
            assert type(got) is bool and got == expected, (name, a, b)
    assert engine.allclose(engine.tensor(NAN), engine.tensor(NAN), equal_nan=True)
    assert engine.equal(engine.tensor(INTS), engine.tensor(INTS).double())


def test_comparisons_record_nothing():
    x = engine.tensor(X, requires_grad=True)
    for result in (x > 0, x == x, x.isnan(), engine.logical_not(x)):
        assert result.dtype is engine.bool
        assert result.grad_fn is None and not result.requires_grad


def test_not_implemented_node_names():
    x = engine.tensor(X, requires_grad=True)
    node = (x // 2).grad_fn
    assert node.name() == "torch::autograd::NotImplemented"
    assert type(node).__name__ == "NotImplemented"


def test_inplace_bitwise_ops():
    torch = pytest.importorskip("torch")

    def fn(m, b, c, i):
        b = b.clone()
        b &= c
        b |= m.tensor([[False, False, True]] * 2)
        j = i.clone()
        j ^= 3
        j //= 2
        return b, j
    opcheck.check_against_torch(torch, fn, [BOOLS, OTHER_BOOLS, INTS])
