"""Every cell of the autograd tutorial, run in order, prints what the tutorial shows."""
import contextlib
import io
import re

import pytest
from tutorial_cells import CELLS

import engine

ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+>")


def run_cells(module):
    """Run the cells in one namespace; return each cell's printed text (addresses masked)."""
    namespace = {"torch": module}
    outputs = []
    for source, _ in CELLS:
        buffer = io.StringIO()
        with contextlib.redirect_stdout(buffer):
            exec(compile(source, "<tutorial>", "exec"), namespace)  # noqa: S102 - our own test text
        outputs.append(ADDRESS.sub(" at 0x...>", buffer.getvalue()))
    return outputs, namespace


def test_engine_prints_what_the_tutorial_shows():
    outputs, _ = run_cells(engine)
    for (source, expected), got in zip(CELLS, outputs):
        assert got == expected, source


def test_engine_values_after_the_tutorial():
    _, ns = run_cells(engine)
    assert ns["x"].grad.tolist() == [2.0]
    assert ns["x"].tolist() == [100.0]
    assert ns["i"] == 8


def test_pytorch_prints_the_same():
    torch = pytest.importorskip("torch")
    engine_out, _ = run_cells(engine)
    torch_out, _ = run_cells(torch)
    assert engine_out == torch_out
