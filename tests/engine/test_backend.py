"""Backends: numpy always; cupy only where a GPU answers (skipped elsewhere)."""
import numpy as np
import pytest

import engine
from engine import backend


def test_default_backend_is_numpy():
    assert backend.get_default_backend() == "numpy"
    assert isinstance(engine.ones(2)._data, np.ndarray)
    assert str(engine.ones(2).device) == "cpu"


def test_missing_cupy_is_a_clear_error():
    if backend.is_cuda_available():
        pytest.skip("a GPU is present")
    with pytest.raises(backend.BackendUnavailable, match="cupy|GPU"):
        engine.set_default_backend("cupy")
    assert backend.get_default_backend() == "numpy"
    assert not engine.cuda.is_available()


def test_unknown_backend():
    with pytest.raises(ValueError, match="unknown backend"):
        engine.set_default_backend("jax")


def test_device_objects():
    assert engine.device("cuda:1") == engine.device("cuda", 1)
    assert repr(engine.device("cpu")) == "device(type='cpu')"
    with pytest.raises(RuntimeError):
        engine.device("tpu")


@pytest.mark.gpu
def test_cupy_round_trip_and_backward():
    if not backend.is_cuda_available():
        pytest.skip("needs cupy and a CUDA GPU")
    x = engine.ones(3, requires_grad=True, device="cuda")
    y = (x * x * 3).sum()
    y.backward()
    assert x.grad.device.type == "cuda"
    assert x.grad.cpu().tolist() == [6.0, 6.0, 6.0]


def test_device_strings_fail_like_torch():
    """An unknown device type gets PyTorch's error; one PyTorch knows but the engine lacks says so."""
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError) as theirs:
        torch.device("gpu")
    with pytest.raises(RuntimeError) as ours:
        engine.device("gpu")
    assert str(ours.value) == str(theirs.value)
    with pytest.raises(RuntimeError, match="'mps' is not available in this engine"):
        engine.tensor([1.0]).to("mps")
