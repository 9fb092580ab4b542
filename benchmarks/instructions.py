"""Interpreter instructions per MLP training step: the engine, the faithful bookkeeping
sketch and the bare autograd.

    python benchmarks/instructions.py            (needs valgrind)

All run the step of ``engine.py`` (b) on tiny sizes (3-3-3-2, batch 2), where
the arrays cost next to nothing and what is counted is bookkeeping. Each is
run under ``valgrind --tool=callgrind`` for 100 and for 300 steps; the
difference over 200 steps leaves out start-up and imports. With one BLAS
thread and a fixed hash seed the counts repeat to within 0.5 %, however busy
the machine is, which timings on a shared machine do not.
"""
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIZES = (3, 3, 3, 2)
BATCH = 2


def run_steps(kind, steps):
    """The body run under valgrind: ``steps`` training steps of ``kind``."""
    # This folder (for minimal_autograd) after the repository root: its engine.py
    # must not shadow the engine package.
    sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]
    import importlib.util

    import engine
    sys.modules["torch"] = None  # the benchmark's optional reference: slow to import under valgrind
    spec = importlib.util.spec_from_file_location("engine_benchmark", ROOT / "benchmarks" / "engine.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    bench.SIZES, bench.BATCH = SIZES, BATCH
    step = {"engine": lambda: bench.mlp_library(engine), "minimal": bench.mlp_minimal,
            "sketch": bench.mlp_sketch}[kind]()
    for _ in range(steps):
        step()


def count(kind, steps):
    environment = dict(os.environ, OPENBLAS_NUM_THREADS="1", PYTHONHASHSEED="0")
    result = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable,
         __file__, "--run", kind, str(steps)],
        capture_output=True, text=True, env=environment, check=True)
    return int(re.search(r"Collected : (\d+)", result.stderr).group(1))


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "--run":
        run_steps(sys.argv[2], int(sys.argv[3]))
        return
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is not installed")
    kinds = ("engine", "sketch", "minimal")
    per_step = {kind: (count(kind, 300) - count(kind, 100)) / 200 for kind in kinds}
    print("interpreter instructions per MLP step (3-3-3-2, batch 2)")
    print(f"    engine                      {per_step['engine']:12,.0f}")
    print(f"    faithful bookkeeping sketch {per_step['sketch']:12,.0f}")
    print(f"    bare autograd               {per_step['minimal']:12,.0f}")
    print(f"    engine / bare               {per_step['engine'] / per_step['minimal']:12.2f}x")


if __name__ == "__main__":
    main()
