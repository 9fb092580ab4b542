"""The MLP step of ``benchmarks/engine.py`` computes the same thing in every contestant.

A ratio means something only if the engine, the hand-written numpy step, the
bare autograd and the faithful sketch train alike; this runs each for a few
steps on small sizes and compares the losses.
"""
import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

import engine

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


@pytest.fixture
def bench(monkeypatch):
    # After the repository root, which the installed engine already resolves to.
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    monkeypatch.setitem(sys.modules, "engine", engine)
    spec = importlib.util.spec_from_file_location("engine_benchmark", BENCHMARKS / "engine.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.SIZES, module.BATCH = (20, 16, 8, 5), 12
    return module


def _losses(step, steps=4):
    """Losses of ``steps`` steps (the bare autograd and the sketch keep theirs in ``.data``)."""
    losses = (step() for _ in range(steps))
    return [float(loss.item()) if hasattr(loss, "item") else float(loss.data) for loss in losses]


def test_every_mlp_contestant_trains_alike(bench):
    reference = _losses(bench.mlp_library(engine))
    assert reference[-1] < reference[0]  # it does train
    for make in (bench.mlp_numpy, bench.mlp_minimal, bench.mlp_sketch):
        np.testing.assert_allclose(_losses(make()), reference, rtol=1e-5)
    assert _losses(bench.mlp_sketch()) == reference  # the same formulas: the same bits
