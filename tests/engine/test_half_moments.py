"""The variance and standard deviation of a float16 tensor are computed in float32 and
rounded once, as PyTorch's kernels do.

Computed in float16, a deviation past 256 squares to inf and the sums lose their last
digits: before, 301 of 1,020 random var and std results were off by more than 8 units
in the last place, some inf where PyTorch's are finite.
"""
import warnings

import numpy as np
import pytest

import engine

torch = pytest.importorskip("torch")

_random = np.random.default_rng(0)
ARRAYS = [(_random.standard_normal(shape) * scale + shift).astype(np.float16)
          for shape, scale, shift in (((6,), 1, 0), ((3, 7), 1, 5), ((8, 33), 30, 0),
                                      ((5, 40), 300, 100), ((2, 3), 0.1, 0))]
OPS = ("var", "std", "var_mean", "std_mean")
CASES = [(data, dims, name) for data in ARRAYS for dims in [None, 0, -1] for name in OPS]


def _first(value):
    return value[0] if isinstance(value, tuple) else value


@pytest.mark.parametrize(("data", "dim", "name"), CASES,
                         ids=[f"{'x'.join(map(str, d.shape))}-{dim}-{name}" for d, dim, name in CASES])
def test_float16_moments_match_pytorch(data, dim, name):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a row of one: no degrees of freedom, in both
        expected = _first(getattr(torch, name)(torch.tensor(data), dim=dim)).numpy()
        mine = _first(getattr(engine, name)(engine.tensor(data), dim=dim)).numpy()
    assert mine.dtype == np.float16
    np.testing.assert_allclose(mine.astype(np.float64), expected.astype(np.float64),
                               rtol=float(np.finfo(np.float16).eps), atol=0)


@pytest.mark.parametrize("name", ["var", "std"])
def test_float16_moment_gradients_match_pytorch(name):
    data = ARRAYS[3]
    x, t = engine.tensor(data, requires_grad=True), torch.tensor(data, requires_grad=True)
    getattr(x, name)(dim=1).sum().backward()
    getattr(t, name)(dim=1).sum().backward()
    assert x.grad.dtype == engine.float16
    np.testing.assert_allclose(x.grad.numpy().astype(np.float64), t.grad.numpy().astype(np.float64),
                               rtol=4 * float(np.finfo(np.float16).eps), atol=1e-3)
