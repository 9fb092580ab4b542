"""``to`` and its shorthands, devices, and the ``new_*`` constructors.

Differentiable dtype changes record ToCopyBackward0; the gradient comes back
in the source dtype. Cases are ``(id, fn(module, *tensors), input arrays)``.
"""
import warnings

import numpy as np
import opcheck
import pytest

import engine

X = np.array([[-1.3, 0.4, 2.1], [0.7, -0.2, 1.6]])
INTS = np.array([[1, -2, 3], [0, 4, -1]])

# Round trips through float32/float16 lose precision, so these run against PyTorch only.
CASES = [
    ("float", lambda m, x: x.float(), [X]),
    ("half", lambda m, x: x.half(), [X]),
    ("double-same-dtype", lambda m, x: x.double(), [X]),
    ("to-dtype", lambda m, x: x.to(m.float32), [X]),
    ("to-dtype-keyword", lambda m, x: x.to(dtype=m.float32), [X]),
    ("to-python-float", lambda m, x: x.float().to(float), [X]),
    ("to-device-and-dtype", lambda m, x: x.to("cpu", m.float32), [X]),
    ("to-keywords", lambda m, x: x.to(device="cpu", dtype=m.float16), [X]),
    ("to-other-tensor", lambda m, x: x.to(m.zeros(1)), [X]),
    ("to-copy-same-dtype", lambda m, x: x.to(m.float64, copy=True), [X]),
    ("to-non-blocking", lambda m, x: x.to(m.float32, non_blocking=True), [X]),
    ("type_as", lambda m, x: x.type_as(m.zeros(1)), [X]),
    ("type-dtype", lambda m, x: x.type(m.float32), [X]),
    ("round-trip", lambda m, x: x.float().double() * x, [X]),
    ("chain", lambda m, x: (x.float() * 2).exp().double(), [X]),
    ("long", lambda m, x: x.long(), [X]),
    ("int", lambda m, x: x.int(), [X]),
    ("short", lambda m, x: x.short(), [X]),
    ("char", lambda m, x: x.char(), [X]),
    ("byte", lambda m, x: x.abs().byte(), [X]),
    ("bool", lambda m, x: x.bool(), [X]),
    ("to-int64", lambda m, x: x.to(m.int64), [X]),
    ("int-to-float", lambda m, i: i.float(), [INTS]),
    ("int-type_as-float", lambda m, i, x: i.type_as(x) * x, [INTS, X]),
    ("cpu", lambda m, x: x.cpu(), [X]),
]


@pytest.mark.parametrize("case_id, fn, arrays", CASES, ids=[c[0] for c in CASES])
def test_against_torch(case_id, fn, arrays):
    torch = pytest.importorskip("torch")
    opcheck.check_against_torch(torch, fn, arrays, rtol=1e-3, atol=1e-3)


GRADIENT_CASES = [
    ("double", lambda m, x: x.double() * x, [X]),
    ("copy", lambda m, x: x.to(m.float64, copy=True).exp(), [X]),
    ("type_as-double", lambda m, x: x.type_as(m.zeros(1, dtype=m.float64)).sin(), [X]),
]


@pytest.mark.parametrize("case_id, fn, arrays", GRADIENT_CASES, ids=[c[0] for c in GRADIENT_CASES])
def test_gradients(case_id, fn, arrays):
    opcheck.check_gradients(fn, arrays)


def test_float32_gradient_comes_back_as_float64():
    x = engine.tensor(X, requires_grad=True)
    (x.float() * 3).sum().backward()
    assert x.grad.dtype is engine.float64
    np.testing.assert_allclose(x.grad.numpy(), np.full(X.shape, 3.0))


def test_unchanged_conversion_returns_self():
    x = engine.tensor(X, requires_grad=True)
    assert x.to(engine.float64) is x
    assert x.to("cpu") is x
    assert x.to() is x
    assert x.double() is x
    assert x.cpu() is x
    assert x.to(engine.float64, copy=True) is not x


def test_conversion_copies_storage():
    x = engine.tensor(X)
    y = x.float()
    y.zero_()
    assert np.all(x.numpy() == X)
    z = x.to(engine.float64, copy=True)
    z.zero_()
    assert np.all(x.numpy() == X)


def test_cuda_without_gpu_is_torch_error():
    if engine.cuda.is_available():
        pytest.skip("a GPU is available")
    torch = pytest.importorskip("torch")
    if torch.cuda.is_available():
        pytest.skip("the oracle has CUDA")
    opcheck.check_error(torch, lambda m, x: x.cuda(), [X])
    opcheck.check_error(torch, lambda m, x: x.to("cuda"), [X])


NEW_CASES = [
    ("new_tensor", lambda m, x: x.new_tensor([1, 2])),
    ("new_tensor-dtype", lambda m, x: x.new_tensor([1, 2], dtype=m.int32)),
    ("new_tensor-requires-grad", lambda m, x: x.new_tensor([1.5], requires_grad=True)),
    ("new_ones", lambda m, x: x.new_ones(2, 2)),
    ("new_ones-tuple", lambda m, x: x.new_ones((3,))),
    ("new_zeros-dtype", lambda m, x: x.new_zeros(2, dtype=m.float64)),
    ("new_full", lambda m, x: x.new_full((2,), 3)),
    ("new_full-int", lambda m, x: x.long().new_full((2, 1), 3.5)),
    ("new_empty-shape", lambda m, x: x.new_empty(3).zero_()),
]


@pytest.mark.parametrize("case_id, fn", NEW_CASES, ids=[c[0] for c in NEW_CASES])
def test_new_constructors_against_torch(case_id, fn):
    torch = pytest.importorskip("torch")
    got = fn(engine, engine.tensor(X, dtype=engine.float32))
    expected = fn(torch, torch.tensor(X, dtype=torch.float32))
    assert str(got.dtype) == str(expected.dtype)
    assert tuple(got.shape) == tuple(expected.shape)
    assert got.requires_grad == expected.requires_grad and got.is_leaf
    np.testing.assert_array_equal(got.detach().numpy(), expected.detach().numpy())


def test_new_tensor_from_tensor_warns_like_torch():
    torch = pytest.importorskip("torch")
    messages = []
    for module in (engine, torch):
        source = module.tensor(X, requires_grad=True)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            copy = source.new_tensor(source)
        messages.append([str(w.message) for w in caught])
        assert not copy.requires_grad and copy.grad_fn is None
    assert messages[0] == messages[1]
