"""The mean of a float16 tensor is summed in float32 and rounded once, as PyTorch does.

Asked for float16 by name, numpy sums in float16: the whole mean of
[1.023, -0.5933, 0.559, -1.883, 0.5044, 1.428] came out 0x318b, PyTorch's is 0x318a.
"""
import numpy as np
import pytest

import engine

torch = pytest.importorskip("torch")

ROWS = [np.array([1.023, -0.5933, 0.559, -1.883, 0.5044, 1.428], np.float16)]
_random = np.random.default_rng(0)
ROWS += [(_random.standard_normal((rows, columns)) * scale).astype(np.float16)
         for rows, columns, scale in ((3, 7, 1), (8, 33, 10), (5, 40, 100), (1, 1, 1))]


CASES = [(data, dims) for data in ROWS for dims in [(), (0,), (-1,)] + [((0, -1),)] * (data.ndim > 1)]


@pytest.mark.parametrize(("data", "dims"), CASES,
                         ids=[f"{'x'.join(map(str, data.shape))}-{dims}" for data, dims in CASES])
def test_float16_mean_has_pytorchs_bits(data, dims):
    expected = torch.tensor(data).mean(*dims).numpy()
    mine = engine.tensor(data).mean(*dims).numpy()
    assert mine.dtype == np.float16
    assert mine.tobytes() == expected.tobytes()
