"""Benchmark of ``explorer.export``: graph → PNG / SVG, against torchviz + Graphviz ``dot``.

    python benchmarks/export.py [--ops 500] [--repeats 5] [--seed 0] [--animation-ops 100]
                                [--svg-ops 1000 5000 20000] [--all-steps-ops 50 150]

Two programs: the tutorial's five lines, and a generated chain of ``--ops`` ops
(about two graph nodes per op). Each is run once on the engine; the timed part
is what an export does after the run: build the graph, measure and lay it out,
draw it and encode the file. When real PyTorch, torchviz and ``dot`` are all
installed, the same program runs under PyTorch and ``torchviz.make_dot`` +
``dot`` render PyTorch's grad_fn graph, the graph our "autograd" view draws.
Prints medians in milliseconds and the ratio to torchviz measured in this run.

Then the backward animation of a ``--animation-ops`` chain (with ``backward()``)
is exported as the command line does it, each format in a fresh process: the
GIF's time and peak memory (the process's maximum resident set, from
``os.wait4``) and the HTML page's time and size, each against its bound.

Then SVG's growth: a loop of ``--svg-ops`` ops (four per iteration) exported to
SVG after its run, the time per op at each size against the smallest (linear
when the ratio stays within ``SVG_LINEAR_BOUND``). And ``--all-steps``: the peak
memory of writing every frame of a ``--all-steps-ops`` chain as PNG, beside the
peak of drawing its last frame alone (the run's own memory); streamed, the
difference does not grow with the number of frames.
"""
from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

TUTORIAL = """\
x = torch.ones(2, 2, requires_grad=True)
y = x ** 2
z = y * y * 3
out = z.mean()
"""
OPS = ("{a} * {b}", "{a} + {b}", "{a}.sin()", "{a} * 0.5", "{a}.exp()")
# Slow reference runs are not repeated: one sample of a long run is plenty.
REPEAT_LIMIT_S = 10.0
REPOSITORY = Path(__file__).resolve().parents[1]
# What an animation export of the 100-op chain must stay within.
GIF_PEAK_BOUND_MB = 500
HTML_SIZE_BOUND_MB = 5
# SVG time per op at the largest size within this factor of the smallest: linear, with room for noise.
SVG_LINEAR_BOUND = 2.0


def generated_program(op_count: int, seed: int = 0) -> str:
    """A forward pass of ``op_count`` ops, each reading the latest value and usually a recent one."""
    rng = random.Random(seed)
    lines = ["x = torch.ones(4, requires_grad=True)", "w = torch.ones(4, requires_grad=True)", "h0 = x * w"]
    names = ["x", "w", "h0"]
    for number in range(1, op_count):
        latest = names[-1]
        recent = names[-min(len(names), 1 + int(rng.expovariate(0.7)))]
        lines.append(f"h{number} = " + rng.choice(OPS).format(a=latest, b=recent))
        names.append(f"h{number}")
    lines.append(f"out = {names[-1]}.sum()")
    return "\n".join(lines) + "\n"


def loop_program(op_count: int) -> str:
    """A forward pass of ``op_count`` ops written as a loop (a 20,000-line program is over
    the parser's size limit): one long chain, each step reading the input again."""
    return ("x = torch.ones(4, requires_grad=True)\nh = x * 2\n"
            f"for i in range({op_count // 4}):\n    h = (h * x + x).sin() * 0.5\nout = h.sum()\n")


def median_time(work, repeats: int) -> float:
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        work()
        samples.append(time.perf_counter() - started)
        if samples[-1] > REPEAT_LIMIT_S:
            break
    return statistics.median(samples)


def last_snapshot(source: str):
    import engine
    from explorer.program.parser import parse_program
    from explorer.program.runner import run_program

    return run_program(parse_program(source), engine).frames[-1].snapshot


def ours(snapshot, view: str, suffix: str):
    """The work of one export after the run: graph, layout, drawing, encoding."""
    from explorer.export.pipeline import lay_out
    from explorer.export.raster import fitting_scale, scene_png
    from explorer.export.scene import compose_scene
    from explorer.export.themes import drawn_look
    from explorer.export.vector import svg_bytes
    from explorer.graph.build import build_graph
    from explorer.graph.style import LIGHT

    graph = build_graph(snapshot, view)
    look = drawn_look()
    layout, sizes = lay_out(graph, look)
    scene = compose_scene(graph, layout, LIGHT, look.fonts, sizes)
    if suffix == "png":
        # As the command line does: pictures past the pixel limits are scaled down (so is dot's PNG).
        data = scene_png(scene, fitting_scale(scene.rect, 1.0))
    else:
        data = svg_bytes(scene)
    return graph.number_of_nodes(), data


def torchviz_reference(source: str):
    """A callable rendering PyTorch's graph of ``source`` with torchviz + dot, or a reason why not."""
    try:
        import torch
        import torchviz
    except ImportError as error:
        return None, f"not measured ({error.name} is not installed)"
    if shutil.which("dot") is None:
        return None, "not measured (Graphviz dot is not on PATH)"
    from explorer.program.parser import parse_program
    from explorer.program.runner import run_program

    timeline = run_program(parse_program(source), torch, record=False)
    out = timeline.variables["out"]

    def render(suffix: str):
        graph = torchviz.make_dot(out)
        data = graph.pipe(format=suffix)
        return len([line for line in graph.body if "[label=" in line]), data

    return render, ""


# Runs the export and prints the process's peak resident memory in MB. VmHWM is the peak of
# this program alone; ru_maxrss would also count the parent's pages copied at fork.
EXPORT_AND_PEAK = """
import sys
from explorer.export.cli import main
status = main(sys.argv[1:])
try:
    with open("/proc/self/status") as lines:
        peak = next(int(line.split()[1]) for line in lines if line.startswith("VmHWM:")) / 1024
except OSError:
    import resource
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(peak)
sys.exit(status)
"""


def timed_export(program: Path, target: Path, *options) -> tuple[float, float]:
    """(seconds, peak resident MB) of exporting ``program`` to ``target`` in a fresh process."""
    paths = [str(REPOSITORY), os.environ.get("PYTHONPATH")]
    environment = dict(os.environ, QT_QPA_PLATFORM="offscreen",
                       PYTHONPATH=os.pathsep.join(filter(None, paths)))
    started = time.perf_counter()
    command = [sys.executable, "-c", EXPORT_AND_PEAK, str(program), "-o", str(target), *options]
    result = subprocess.run(command, cwd=REPOSITORY, env=environment, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"the export of {target.name} failed: {result.stderr.strip()}")
    return seconds, float(result.stdout.split()[-1])


def animation_benchmark(op_count: int, seed: int):
    """GIF peak memory and time, HTML size and time, for the backward animation of an ``op_count`` chain."""
    print(f"\nbackward animation of the {op_count}-op chain, autograd view (fresh process each)")
    with tempfile.TemporaryDirectory() as folder:
        program = Path(folder) / "chain.py"
        program.write_text(generated_program(op_count, seed) + "out.backward()\n", encoding="utf-8")
        gif_s, gif_mb = timed_export(program, Path(folder) / "chain.gif", "--view", "autograd")
        html_s, html_peak_mb = timed_export(program, Path(folder) / "chain.html", "--view", "autograd")
        html_mb = (Path(folder) / "chain.html").stat().st_size / 2 ** 20
        gif_file_mb = (Path(folder) / "chain.gif").stat().st_size / 2 ** 20
    verdict = {True: "within", False: "OVER"}
    print(f"  gif   {gif_s:7.1f} s   peak {gif_mb:7.0f} MB  ({verdict[gif_mb < GIF_PEAK_BOUND_MB]} "
          f"the bound of {GIF_PEAK_BOUND_MB} MB; file {gif_file_mb:.1f} MB)")
    print(f"  html  {html_s:7.1f} s   size {html_mb:7.2f} MB  ({verdict[html_mb < HTML_SIZE_BOUND_MB]} "
          f"the bound of {HTML_SIZE_BOUND_MB} MB; peak {html_peak_mb:.0f} MB)")


def svg_scaling_benchmark(op_counts, repeats: int):
    """SVG export time per op of loops of ``op_counts`` ops, against the smallest."""
    print("\nSVG of a long loop (graph, layout, drawing, SVG text; the run is not timed)")
    per_op = {}
    for op_count in op_counts:
        snapshot = last_snapshot(loop_program(op_count))
        nodes, data = ours(snapshot, "tensor_function", "svg")
        seconds = median_time(partial(ours, snapshot, "tensor_function", "svg"), repeats)
        per_op[op_count] = seconds / op_count
        ratio = per_op[op_count] / per_op[op_counts[0]]
        print(f"  {op_count:>6} ops {nodes:>6} nodes {seconds:7.2f} s  {1e6 * per_op[op_count]:6.0f} µs/op  "
              f"x{ratio:.2f} of {op_counts[0]} ops ({len(data) / 2 ** 20:.1f} MB)")
    verdict = "within" if per_op[op_counts[-1]] / per_op[op_counts[0]] <= SVG_LINEAR_BOUND else "OVER"
    print(f"  time per op {verdict} the linear bound (x{SVG_LINEAR_BOUND:g} of the smallest)")


def all_steps_benchmark(op_counts):
    """Peak memory of --all-steps against drawing the last frame alone, for chains of ``op_counts``."""
    print("\n--all-steps to PNG of a chain, tensor view (fresh process each)")
    with tempfile.TemporaryDirectory() as folder:
        for op_count in op_counts:
            program = Path(folder) / f"chain{op_count}.py"
            program.write_text(generated_program(op_count) + "out.backward()\n", encoding="utf-8")
            one_s, one_mb = timed_export(program, Path(folder) / f"last{op_count}.png")
            all_s, all_mb = timed_export(program, Path(folder) / f"step{op_count}.png", "--all-steps")
            files = len(list(Path(folder).glob(f"step{op_count}-*.png")))
            print(f"  {op_count:>4} ops {files:>4} files {all_s:6.1f} s  peak {all_mb:5.0f} MB; "
                  f"last frame alone {one_s:4.1f} s, peak {one_mb:5.0f} MB "
                  f"(+{all_mb - one_mb:.0f} MB to write all {files})")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ops", type=int, default=500)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--animation-ops", type=int, default=100,
                        help="ops of the chain whose backward animation is exported (0: skip)")
    parser.add_argument("--svg-ops", type=int, nargs="*", default=[1000, 5000, 20000],
                        help="sizes of the loops exported to SVG to check linear time (none: skip)")
    parser.add_argument("--all-steps-ops", type=int, nargs="*", default=[50, 150],
                        help="sizes of the chains exported with --all-steps (none: skip)")
    arguments = parser.parse_args(argv)

    from explorer.export.scene import ensure_application

    ensure_application()
    programs = {"tutorial": TUTORIAL,
                f"{arguments.ops} ops": generated_program(arguments.ops, arguments.seed)}
    header = (f"{'program':<10} {'view':<16} {'fmt':<4} {'nodes':>6} {'ours ms':>9} "
              f"{'torchviz+dot ms':>16} {'ratio':>7}")
    print(header)
    print("-" * len(header))
    for name, source in programs.items():
        snapshot = last_snapshot(source)
        reference, reason = torchviz_reference(source)
        for suffix in ("png", "svg"):
            reference_ms = None
            if reference is not None:
                reference_nodes, _ = reference(suffix)
                reference_ms = 1000 * median_time(partial(reference, suffix), arguments.repeats)
            for view in ("tensor_function", "grad_fn"):
                nodes, _ = ours(snapshot, view, suffix)
                ours_ms = 1000 * median_time(partial(ours, snapshot, view, suffix), arguments.repeats)
                if reference_ms is None:
                    reference_text, ratio = "", ""
                else:
                    reference_text = f"{reference_ms:.0f} ({reference_nodes} nodes)"
                    ratio = f"{reference_ms / ours_ms:.1f}x"
                print(f"{name:<10} {view:<16} {suffix:<4} {nodes:>6} {ours_ms:>9.0f} "
                      f"{reference_text:>16} {ratio:>7}")
        if reason:
            print(f"{'':<10} torchviz + dot: {reason}")
    print("\nratio: torchviz+dot time / ours for the same program (above 1 means ours is faster);\n"
          "torchviz draws the grad_fn graph, which our grad_fn view matches node for node,\n"
          "while our tensor_function view also draws every tensor (about twice the nodes)")
    if arguments.animation_ops:
        animation_benchmark(arguments.animation_ops, arguments.seed)
    if arguments.svg_ops:
        svg_scaling_benchmark(sorted(arguments.svg_ops), min(arguments.repeats, 3))
    if arguments.all_steps_ops:
        all_steps_benchmark(sorted(arguments.all_steps_ops))
    return 0


if __name__ == "__main__":
    sys.exit(main())
