"""The forward fast paths compute what numpy's plain expressions compute: bit for bit, or
where the fast path sums or divides otherwise, to within rounding."""
import numpy as np
import pytest

import engine

F = engine.nn.functional


def _logits(dtype, rows=64, classes=10, seed=0):
    rng = np.random.default_rng(seed)
    data = (rng.standard_normal((rows, classes)) * 5).astype(dtype)
    data[::3, :4] = 0.0  # signed-zero ties for the row maximum
    data[1::3, :4] = -0.0
    data[2, :] = -np.inf
    data[5, 1] = np.inf
    return data


@pytest.mark.parametrize("shape", [(64, 10), (64, 64), (6, 64)])
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_softmax_of_a_batch_is_the_plain_expression(dtype, shape):
    """The same steps as the plain expression; the row sums (a product with ones) and
    softmax's reciprocal (PyTorch's, not a division) may round differently: a few
    units in the last place, and the same nans, infinities and signs."""
    data = _logits(dtype, *shape)
    work = data.astype(np.float32) if dtype == np.float16 else data  # half: in float32, as PyTorch
    with np.errstate(all="ignore"):
        shifted = work - work.max(axis=1, keepdims=True)
        exp = np.exp(shifted)
        softmax = (exp / exp.sum(axis=1, keepdims=True)).astype(dtype)
        log_softmax = (shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))).astype(dtype)
    ulps = 4 * np.finfo(dtype).eps
    for ours, plain in ((F.softmax(engine.tensor(data), dim=1), softmax),
                        (F.log_softmax(engine.tensor(data), dim=1), log_softmax)):
        ours = ours.numpy()
        assert ours.dtype == plain.dtype
        np.testing.assert_allclose(ours, plain, rtol=ulps, atol=ulps)  # nan and inf alike
        finite = ~np.isnan(plain)
        assert np.array_equal(np.signbit(ours[finite]), np.signbit(plain[finite]))


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_whole_sum_and_mean_are_ndarrays(dtype):
    data = np.random.default_rng(1).standard_normal((7, 33)).astype(dtype) * 100
    x = engine.tensor(data, requires_grad=True)
    assert x.sum().detach().numpy().tobytes() == np.asarray(data.sum(dtype=dtype)).tobytes()
    assert x.mean().detach().numpy().tobytes() == np.asarray(data.mean(dtype=dtype)).tobytes()
    assert x.sum().grad_fn.name() == "SumBackward0" and x.mean().grad_fn.name() == "MeanBackward0"


def test_binary_ops_of_one_float_dtype_are_numpys():
    rng = np.random.default_rng(2)
    a, b = (rng.standard_normal((5, 3)).astype(np.float32) for _ in range(2))
    x, y = engine.tensor(a, requires_grad=True), engine.tensor(b)
    with np.errstate(all="ignore"):
        for ours, plain in ((x * y, a * b), (x - y, a - b), (x / y, a / b), (x - 0.5, a - 0.5),
                            (x / 3.0, a / 3.0), (x / engine.tensor(np.zeros(3, np.float32)),
                                                 a / np.zeros(3, np.float32))):
            assert ours.detach().numpy().tobytes() == plain.tobytes()


VECTORS = [[0.1, 0.2, 0.3, 0.4], [1.0, float("nan"), 2.0], [float("inf"), 1.0], [-800.0, 1e4],
           [-float("inf"), -float("inf")], [6e4, -6e4, 3.0], [0.0, -0.0], [5.0],
           list(np.linspace(-3, 3, 16)), list(np.linspace(-3, 3, 17))]


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
@pytest.mark.parametrize("values", VECTORS, ids=[str(len(v)) + str(v[:2]) for v in VECTORS])
def test_softmax_and_sigmoid_of_a_vector_match_pytorch(values, dtype):
    """Short vectors are computed on Python floats (softmax.py, pointwise.py's sigmoid) or
    take their maximum and sum in Python (reduction.py): the same values as PyTorch's
    kernels to within rounding, nan, inf and signs alike, in both directions."""
    torch = pytest.importorskip("torch")
    for name, args in (("softmax", (0,)), ("log_softmax", (0,)), ("sigmoid", ())):
        x = engine.tensor(np.array(values, dtype=dtype), requires_grad=True)
        t = torch.tensor(np.array(values, dtype=dtype), requires_grad=True)
        ours, theirs = getattr(x, name)(*args), getattr(t, name)(*args)
        tolerance = 4 * float(np.finfo(dtype).eps)
        np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(),
                                   rtol=tolerance, atol=tolerance)
        seed = np.linspace(1, 2, len(values)).astype(dtype)
        ours.backward(engine.tensor(seed))
        theirs.backward(torch.tensor(seed))
        np.testing.assert_allclose(x.grad.numpy(), t.grad.numpy(), rtol=8 * tolerance,
                                   atol=8 * tolerance)
