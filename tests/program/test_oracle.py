"""Generated source under real PyTorch agrees with the steps run on the engine."""
import contextlib
import io
import re

import numpy as np
import pytest
from tutorial_cells import FULL_SOURCE

from explorer.program.codegen import program_source
from explorer.program.parser import parse_program
from explorer.program.runner import run_program

PROGRAMS = [
    FULL_SOURCE,
    "x = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)\ny = x * x\ny.retain_grad()\n"
    "z = y.sum()\nz.backward()\nprint(x.grad, y.grad)\n",
    "x = torch.tensor([0.5, 1.5], requires_grad=True)\nh = x.register_hook(lambda g: g * 3)\n"
    "(x ** 3).sum().backward()\nprint(x.grad)\nh.remove()\nx.grad = None\n"
    "(x ** 3).sum().backward()\nprint(x.grad)\n",
    "x = torch.tensor([2.0, 3.0], requires_grad=True)\ny = (x * x).sum()\n"
    "g = torch.autograd.grad(y, x)\nprint(g)\n",
    "w = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)\n"
    "v = torch.tensor([1.0, -1.0])\nout = torch.nn.functional.relu(w @ v).sum()\n"
    "out.backward()\nprint(out, w.grad)\n",
    "x = torch.ones(3, requires_grad=True)\nfor i in range(3):\n    y = (x * i).sum()\n"
    "    y.backward()\nprint(x.grad)\nwith torch.no_grad():\n    x.mul_(2)\nprint(x)\n",
    "x = torch.tensor([1.0, 2.0], requires_grad=True)\nd = x.detach()\nd.zero_()\n"
    "print(x, d, d.requires_grad)\n",
]


def masked(text):
    return re.sub(r"0x[0-9a-fA-F]+", "0x...", text)


def run_source_on_real_torch(source):
    """Run generated source with real PyTorch (the oracle), capturing what it prints."""
    namespace = {}
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        exec(compile(source, "<generated>", "exec"), namespace)
    return buffer.getvalue(), namespace


def describe(value):
    """Values, grad and grad_fn name of a tensor, by public API only."""
    if not hasattr(value, "grad_fn"):
        return None
    grad = value.grad if value.is_leaf or value.retains_grad else None
    return (np.array(value.detach().tolist()), None if grad is None else np.array(grad.tolist()),
            None if value.grad_fn is None else type(value.grad_fn).__name__)


@pytest.mark.parametrize("source", PROGRAMS, ids=range(len(PROGRAMS)))
def test_generated_source_on_torch_matches_steps_on_engine(source, real_torch, engine):
    program = parse_program(source)
    timeline = run_program(program, engine)
    assert timeline.status == "finished", timeline.error
    printed, namespace = run_source_on_real_torch(program_source(program, add_import=True))
    assert masked(timeline.output) == masked(printed)
    for name, value in timeline.variables.items():
        expected = describe(namespace[name])
        got = describe(value)
        if expected is None:
            continue
        np.testing.assert_allclose(got[0], expected[0], rtol=1e-6)
        assert (got[1] is None) == (expected[1] is None), name
        if got[1] is not None:
            np.testing.assert_allclose(got[1], expected[1], rtol=1e-6)
        assert got[2] == expected[2], name
