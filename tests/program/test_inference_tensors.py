"""A program that makes inference tensors records snapshots: an inference tensor has no
version counter (reading ``_version`` raises, as in PyTorch), and the recorder shows 0."""
import engine
from explorer.program import parser, runner

SOURCE = """import torch
x = torch.ones(2, requires_grad=True)
with torch.inference_mode():
    y = x * 2
z = y + 1
"""


def test_program_with_inference_mode_runs_and_records():
    timeline = runner.run_program(parser.parse_program(SOURCE), engine)
    assert getattr(timeline, "error", None) is None
