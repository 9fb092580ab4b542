"""Fixtures: the modules a program can run on (real PyTorch as the oracle, and the engine)."""
import importlib

import pytest


def engine_or_skip():
    """The engine, or a skip when it cannot yet run the tutorial's basic ops."""
    try:
        engine = importlib.import_module("engine")
        x = engine.ones(2, 2, requires_grad=True)
        (x * x).mean().backward()
        assert engine.no_grad is not None
    except Exception as error:  # the engine is still being written: say what is missing
        pytest.skip(f"engine not usable yet: {type(error).__name__}: {error}")
    return engine


@pytest.fixture(params=["torch", "engine"])
def torch_module(request):
    if request.param == "torch":
        return pytest.importorskip("torch")
    return engine_or_skip()


@pytest.fixture
def real_torch():
    return pytest.importorskip("torch")


@pytest.fixture
def engine():
    return engine_or_skip()
