"""PyTorch's own nn/optim examples open and train in the app, printing PyTorch's losses.

The files are the corpus copies (tests/corpus/programs, origin in their headers).
Losses are compared with what real PyTorch prints for the same file, to float32
drift: numpy and PyTorch's BLAS sum in different orders.
"""
import contextlib
import io
import math
import re
import runpy
import warnings
from pathlib import Path

import pytest

PROGRAMS = Path(__file__).resolve().parents[1] / "corpus" / "programs"
EXAMPLES = ["tutorials_polynomial_module", "tutorials_polynomial_optim", "tutorials_dynamic_net"]
NUMBER = re.compile(r"-?\d+\.\d+(?:e-?\d+)?")


def printed_by_pytorch(path):
    pytest.importorskip("torch")
    out = io.StringIO()
    with contextlib.redirect_stdout(out), warnings.catch_warnings():
        # The tutorials' docstrings hold "\s": a SyntaxWarning (a DeprecationWarning before 3.12).
        warnings.simplefilter("ignore", SyntaxWarning)
        warnings.simplefilter("ignore", DeprecationWarning)
        runpy.run_path(str(path), run_name="__main__")
    return out.getvalue()


def numbers(text):
    return [float(n) for n in NUMBER.findall(text)]


@pytest.mark.parametrize("name", EXAMPLES)
def test_pytorch_examples_train_in_the_app(window, name):
    path = PROGRAMS / f"{name}.py"
    assert window.files.load(str(path))
    assert window.code_pane.error_line == 0
    assert window.controller.wait(300)
    timeline = window.controller.timeline
    assert timeline.status == "finished", timeline.error
    printed = timeline.output
    expected = printed_by_pytorch(path)
    # The same lines, word for word apart from the numbers' last digits.
    assert NUMBER.sub("#", printed) == NUMBER.sub("#", expected)
    for ours, theirs in zip(numbers(printed), numbers(expected), strict=True):
        assert math.isclose(ours, theirs, rel_tol=2e-3, abs_tol=1e-3), (ours, theirs)
