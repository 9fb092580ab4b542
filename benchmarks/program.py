"""Run-and-snapshot cost of programs on the engine.

Prints medians of several runs: the tutorial program (target: under 50 ms),
a straight-line program of 1,000 ops followed by a backward (target: under
1 s), a 1,000-iteration loop, and the memory the timelines hold per frame
(tracemalloc). Run: ``python benchmarks/program.py``.
"""
import os
import statistics
import sys
import time
import tracemalloc

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import engine  # noqa: E402
from explorer.program.parser import parse_program  # noqa: E402
from explorer.program.runner import run_program  # noqa: E402

TUTORIAL_PATH = os.path.join(os.path.dirname(__file__), "..", "tests")
sys.path.insert(0, TUTORIAL_PATH)
from tutorial_cells import FULL_SOURCE  # noqa: E402

OPS = ["y = y * 1.001", "y = y + 0.5", "y = torch.tanh(y)", "y = y.exp() - 1.0",
       "y = y.relu() + x"]
STRAIGHT = ("x = torch.ones(4, requires_grad=True)\ny = x\n"
            + "\n".join(OPS[i % len(OPS)] for i in range(1000)) + "\ny.sum().backward()\n")
LOOP = ("x = torch.ones(4, requires_grad=True)\ny = x\nfor i in range(1000):\n"
        "    y = y * 1.001\ny.sum().backward()\n")


def median_seconds(program, repeats):
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        timeline = run_program(program, engine)
        times.append(time.perf_counter() - started)
        assert timeline.status == "finished", timeline.error
    return statistics.median(times), timeline


def memory_per_frame(program):
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    timeline = run_program(program, engine)
    held = tracemalloc.get_traced_memory()[0] - base
    tracemalloc.stop()
    return held / max(len(timeline.frames), 1), len(timeline.frames)


def main():
    cases = [("tutorial", FULL_SOURCE, 20, 0.050), ("1,000 ops", STRAIGHT, 5, 1.0),
             ("1,000-iteration loop", LOOP, 5, 1.0)]
    for label, source, repeats, target in cases:
        program = parse_program(source)
        seconds, timeline = median_seconds(program, repeats)
        per_frame, frames = memory_per_frame(program)
        verdict = "ok" if seconds < target else "SLOW"
        started = time.perf_counter()
        built = timeline.frames[-1].snapshot.materialize()
        view_ms = (time.perf_counter() - started) * 1000
        print(f"{label:22s} {seconds * 1000:8.1f} ms median of {repeats} "
              f"(target {target * 1000:.0f} ms: {verdict}); {frames} frames, "
              f"{per_frame / 1024:.1f} KiB per frame, {seconds / frames * 1e6:.0f} us per frame; "
              f"last snapshot ({len(built.functions)} nodes) built in {view_ms:.1f} ms")
    started = time.perf_counter()
    parse_program(STRAIGHT)
    print(f"{'parse 1,000 lines':22s} {(time.perf_counter() - started) * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
