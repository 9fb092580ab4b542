"""GraphML export is the same file every time: a call box's members (a frozenset) were
written in hash order, which changes from one process to the next."""
import os
import subprocess
import sys

PROGRAM = ("torch.manual_seed(0)\nx = torch.ones(3, requires_grad=True)\nmodel = torch.nn.Linear(3, 2)\n"
           "y = model(x).sum()\ny.backward()\n")


def test_graphml_of_a_module_call_is_byte_for_byte_the_same_across_processes(tmp_path):
    source = tmp_path / "model.py"
    source.write_text(PROGRAM)
    written = []
    for seed in ("1", "2"):
        out = tmp_path / f"graph{seed}.graphml"
        environment = dict(os.environ, PYTHONHASHSEED=seed, QT_QPA_PLATFORM="offscreen")
        result = subprocess.run([sys.executable, "-m", "explorer.export", str(source), "-o", str(out)],
                                env=environment, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        written.append(out.read_bytes())
    assert b"model" in written[0]
    assert written[0] == written[1]
