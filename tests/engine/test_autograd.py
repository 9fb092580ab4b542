"""Backward-pass semantics, each scenario run on the engine and on PyTorch."""
import pytest
import scenarios

import engine


@pytest.mark.parametrize("scenario", scenarios.SCENARIOS, ids=lambda f: f.__name__)
def test_runs_on_engine(scenario):
    scenario(engine)


@pytest.mark.parametrize("scenario", scenarios.SCENARIOS, ids=lambda f: f.__name__)
def test_matches_pytorch(scenario):
    torch = pytest.importorskip("torch")
    assert scenario(engine) == scenario(torch)
