"""Run-and-snapshot cost of programs on the engine.

Prints medians of several runs: the tutorial program (target: under 50 ms),
a straight-line program of 1,000 ops followed by a backward (target: under
1 s), a 1,000-iteration loop, and the memory the timelines hold per frame
(tracemalloc). Then the cost of interpreting: PyTorch's polynomial nn and optim
examples (2,000 training steps each) run by the app's runner (parsed, walked by
the sandbox, every frame recorded) against the same file run by Python on the
engine alone; target under 2x. Last, scaling: run + last snapshot + graph of
straight-line programs of 1,000, 5,000 and 20,000 ops, the cost per op and its
ratio to the 1,000-op figure (target: within 20 %).
Run: ``python benchmarks/program.py`` (``--scaling`` for the last part alone).
"""
import gc
import os
import statistics
import sys
import time
import tracemalloc

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import engine  # noqa: E402
from explorer.graph.build import build_graph  # noqa: E402
from explorer.program.limits import Limits  # noqa: E402
from explorer.program.parser import parse_program  # noqa: E402
from explorer.program.runner import run_program  # noqa: E402
from explorer.program.steps import Program  # noqa: E402

TUTORIAL_PATH = os.path.join(os.path.dirname(__file__), "..", "tests")
sys.path.insert(0, TUTORIAL_PATH)
from tutorial_cells import FULL_SOURCE  # noqa: E402

OPS = ["y = y * 1.001", "y = y + 0.5", "y = torch.tanh(y)", "y = y.exp() - 1.0",
       "y = y.relu() + x"]


def straight_program(ops):
    """``ops`` lines of chained ops on a (4,) tensor, then a backward."""
    return ("x = torch.ones(4, requires_grad=True)\ny = x\n"
            + "\n".join(OPS[i % len(OPS)] for i in range(ops)) + "\ny.sum().backward()\n")


STRAIGHT = straight_program(1000)
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


EXAMPLES = [os.path.join(os.path.dirname(__file__), "..", "tests", "corpus", "programs", name)
            for name in ("tutorials_polynomial_nn.py", "tutorials_polynomial_optim.py")]


def interpreting_cost(path, repeats=3):
    """(app seconds, engine-alone seconds, frames): medians, the two runs interleaved."""
    import contextlib
    import io
    import runpy

    from tests.corpus.stand_in import install_engine_as_torch
    install_engine_as_torch()
    program = parse_program(open(path, encoding="utf-8").read())
    app, alone = [], []
    frames = 0
    for _ in range(repeats):
        started = time.perf_counter()
        timeline = run_program(program, engine, limits=Limits(max_seconds=600))
        app.append(time.perf_counter() - started)
        assert timeline.status == "finished", timeline.error
        frames = len(timeline.frames)
        started = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):
            runpy.run_path(path, run_name="__main__")
        alone.append(time.perf_counter() - started)
    return statistics.median(app), statistics.median(alone), frames


SCALING_SIZES = ((1000, 5), (5000, 3), (20000, 3))  # (ops, repeats)


def run_snapshot_graph_seconds(program):
    """CPU seconds to run ``program``, build its last snapshot and the graph of that snapshot.

    CPU time, not wall time: on a shared machine the wall clock also counts other
    processes. The garbage of the previous repeat is collected first, outside the
    timing: each repeat pays for its own work only.
    """
    gc.collect()
    started = time.process_time()
    timeline = run_program(program, engine, limits=Limits(max_seconds=600, max_frames=10 ** 6))
    graph = build_graph(timeline.frames[-1].snapshot.materialize())
    seconds = time.process_time() - started
    assert timeline.status == "finished", timeline.error
    return seconds, graph.number_of_nodes()


def long_program(ops, chunk=1000):
    """``straight_program(ops)`` parsed in pieces: the parser refuses sources over 200,000
    characters, which a 20,000-line program is. Every step is its own object, as parsed."""
    head = parse_program("x = torch.ones(4, requires_grad=True)\ny = x\n").steps
    body = []
    for start in range(0, ops, chunk):
        lines = (OPS[i % len(OPS)] for i in range(start, min(start + chunk, ops)))
        body.extend(parse_program("\n".join(lines)).steps)
    tail = parse_program("y.sum().backward()\n").steps
    return Program(head + tuple(body) + tail)


def scaling():
    """Cost per op of run + snapshot + graph as programs grow: linear means flat per-op cost."""
    reference = None
    for ops, repeats in SCALING_SIZES:
        program = long_program(ops)
        runs = [run_snapshot_graph_seconds(program) for _ in range(repeats)]
        seconds = statistics.median(s for s, _ in runs)
        per_op = seconds / ops
        reference = reference or per_op
        ratio = per_op / reference
        verdict = "ok" if ratio <= 1.2 else "SUPER-LINEAR"
        print(f"{ops:>6,} ops: run + snapshot + graph {seconds:7.3f} s CPU, median of {repeats} "
              f"({runs[0][1]:,} graph nodes), {per_op * 1e6:6.1f} us per op, "
              f"{ratio:.2f}x the 1,000-op figure (target within 1.2x: {verdict})")


def main():
    if "--scaling" in sys.argv[1:]:
        scaling()
        return
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
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    for path in EXAMPLES:
        app, alone, frames = interpreting_cost(path)
        ratio = app / alone
        print(f"{os.path.basename(path):30s} app {app:6.2f} s ({frames} frames), engine alone "
              f"{alone:6.2f} s: {ratio:.2f}x (target under 2x: {'ok' if ratio < 2 else 'SLOW'})")
    scaling()


if __name__ == "__main__":
    main()
