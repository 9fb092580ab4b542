"""Benchmark of ``explorer.graph.layout`` against Graphviz ``dot`` on computation-like DAGs.

    python benchmarks/layout.py [--sizes 50 200 1000 5000] [--repeats 5] [--seed 0]

For each size it builds a random graph shaped like an autograd graph (tensors and
Function nodes alternating, ops reading mostly the latest tensors, some weights as
fresh leaves, a few long skip connections), lays it out, and prints the median time
and the edge crossings between adjacent layers. When ``dot`` is on PATH the same
graph goes through ``dot -Tplain``; dot's ranks become layers and its x order the
order, and its long edges are sampled where their splines pass each rank, so both
columns count crossings with the same ``count_crossings``.

Times are CPU seconds (user + system: of this process for the layout, of the child
process for dot), so that other work on a shared machine does not blur the
comparison; ``--wall`` switches to wall-clock time.
"""
from __future__ import annotations

import argparse
import random
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import networkx as nx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from explorer.graph.layout import Layout, count_crossings, layered_layout  # noqa: E402

# Shape of the random graphs: chance that an op has one input (else two), that a
# second input is a fresh weight, that an input is a skip connection to a tensor from
# long ago, and the rate of the exponential law of how far back a recent input lies.
ONE_INPUT = 0.45
FRESH_WEIGHT = 0.25
SKIP_CONNECTION = 0.03
RECENT_RATE = 1.5
# Slow dot runs are not repeated: one sample of a 40-second run is plenty.
DOT_REPEAT_LIMIT_S = 10.0
# Bezier segments of dot's splines are sampled this finely to find rank crossings.
SPLINE_SAMPLES = 24


def random_computation_graph(node_count: int, seed: int = 0) -> nx.DiGraph:
    """A DAG of ``node_count`` nodes that looks like a recorded forward pass.

    Every op is a Function node "f<k>" with one or two input tensors and one output
    tensor "t<k>". An input is, rarely, a tensor from long ago (a skip connection);
    otherwise the first input is a recent tensor (the latest about 78% of the time, as
    ``expovariate(1.5)`` steps back) and the second is a fresh leaf (a weight) a quarter
    of the time, else another recent tensor.
    """
    rng = random.Random(seed)
    graph = nx.DiGraph()
    tensors: list[str] = []

    def new_tensor() -> str:
        name = f"t{graph.number_of_nodes()}"
        graph.add_node(name)
        tensors.append(name)
        return name

    new_tensor()
    new_tensor()
    while graph.number_of_nodes() + 2 <= node_count:
        inputs = []
        for slot in range(1 if rng.random() < ONE_INPUT else 2):
            draw = rng.random()
            if slot == 1 and draw < FRESH_WEIGHT and graph.number_of_nodes() + 3 <= node_count:
                source = new_tensor()
            elif draw < SKIP_CONNECTION and len(tensors) > 20:
                source = tensors[rng.randrange(0, len(tensors) - 10)]
            else:
                source = tensors[-min(len(tensors), 1 + int(rng.expovariate(RECENT_RATE)))]
            if source not in inputs:
                inputs.append(source)
        function = f"f{graph.number_of_nodes()}"
        graph.add_node(function)
        for source in inputs:
            graph.add_edge(source, function)
        graph.add_edge(function, new_tensor())
    if graph.number_of_nodes() < node_count:  # one node short: the last op gets a weight
        graph.add_edge(new_tensor(), function)
    return graph


def dot_source(graph: nx.DiGraph) -> str:
    """DOT text with the same fixed box size for every node."""
    lines = ["digraph G {", "  node [shape=box, width=1.1, height=0.4, fixedsize=true];"]
    lines += [f'  "{node}";' for node in sorted(graph.nodes)]
    lines += [f'  "{tail}" -> "{head}";' for tail, head in sorted(graph.edges)]
    lines.append("}")
    return "\n".join(lines)


def children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_dot(text: str, wall: bool = False) -> tuple[float, str]:
    """(seconds, -Tplain output) of one ``dot`` run."""
    clock = time.perf_counter if wall else children_cpu_seconds
    start = clock()
    result = subprocess.run(["dot", "-Tplain"], input=text, capture_output=True, text=True, check=True)
    return clock() - start, result.stdout


def layout_from_plain(graph: nx.DiGraph, plain: str) -> Layout:
    """Rebuild dot's drawing as a ``Layout``: ranks from y, long edges sampled at each rank."""
    centres, splines = {}, {}
    for line in plain.splitlines():
        fields = line.split()
        if fields[0] == "node":
            centres[fields[1].strip('"')] = (float(fields[2]), float(fields[3]))
        elif fields[0] == "edge":
            count = int(fields[3])
            coords = [float(value) for value in fields[4:4 + 2 * count]]
            key = (fields[1].strip('"'), fields[2].strip('"'))
            splines[key] = list(zip(coords[::2], coords[1::2]))
    top = max(y for _, y in centres.values())
    distinct = sorted({round(top - y, 4) for _, y in centres.values()})
    pitch = min((b - a for a, b in zip(distinct, distinct[1:])), default=1.0)
    layers = {node: round((top - y) / pitch) for node, (_, y) in centres.items()}
    positions = {node: (x, -y) for node, (x, y) in centres.items()}
    edge_points = {}
    for (tail, head), controls in splines.items():
        curve = _sample_bezier(controls)
        points = [positions[tail]]
        for layer in range(layers[tail] + 1, layers[head]):
            y = top - layer * pitch
            points.append((_x_at(curve, y), -y))
        edge_points[(tail, head)] = points + [positions[head]]
    xs = [x for x, _ in positions.values()]
    ys = [y for _, y in positions.values()]
    return Layout(positions, layers, edge_points, (min(xs), min(ys), max(xs), max(ys)))


def _sample_bezier(controls):
    """Points along a piecewise cubic Bezier curve given by 3k+1 control points."""
    samples = [controls[0]]
    for start in range(0, len(controls) - 3, 3):
        p0, p1, p2, p3 = controls[start:start + 4]
        for step in range(1, SPLINE_SAMPLES + 1):
            t = step / SPLINE_SAMPLES
            a, b, c, d = (1 - t) ** 3, 3 * t * (1 - t) ** 2, 3 * t * t * (1 - t), t ** 3
            samples.append((a * p0[0] + b * p1[0] + c * p2[0] + d * p3[0],
                            a * p0[1] + b * p1[1] + c * p2[1] + d * p3[1]))
    return samples


def _x_at(curve, y):
    """x where the sampled curve first passes height y (nearest sample if it never does)."""
    for (x0, y0), (x1, y1) in zip(curve, curve[1:]):
        if (y0 - y) * (y1 - y) <= 0 and y0 != y1:
            return x0 + (x1 - x0) * (y - y0) / (y1 - y0)
    return min(curve, key=lambda point: abs(point[1] - y))[0]


def time_layout(graph: nx.DiGraph, clock) -> tuple[float, Layout]:
    start = clock()
    layout = layered_layout(graph)
    return clock() - start, layout


def compare(graph: nx.DiGraph, repeats: int, use_dot: bool, wall: bool) -> dict:
    """Median times and the layouts, ours and dot's, runs interleaved so that a busy
    spell on the machine slows both sides alike."""
    clock = time.perf_counter if wall else time.process_time
    text = dot_source(graph) if use_dot else None
    ours, theirs = [], []
    layout = plain = None
    layered_layout(graph)   # one untimed run: first calls pay for cold code paths
    for _ in range(repeats):
        seconds, layout = time_layout(graph, clock)
        ours.append(seconds)
        # Slow dot runs are sampled once: their spread hardly matters next to them.
        if use_dot and (not theirs or theirs[-1] <= DOT_REPEAT_LIMIT_S):
            seconds, plain = run_dot(text, wall)
            theirs.append(seconds)
    result = {"seconds": statistics.median(ours), "layout": layout}
    if use_dot:
        result["dot_seconds"] = statistics.median(theirs)
        result["dot_layout"] = layout_from_plain(graph, plain)
    return result


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 200, 1000, 5000])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-dot", action="store_true", help="skip Graphviz even if installed")
    parser.add_argument("--wall", action="store_true", help="wall-clock instead of CPU time")
    args = parser.parse_args(argv)
    use_dot = shutil.which("dot") is not None and not args.no_dot
    header = f"{'nodes':>6} {'edges':>6} {'layers':>6} {'layout s':>9} {'crossings':>9}"
    if use_dot:
        header += f" {'dot s':>9} {'dot cross':>9} {'time ratio':>10}"
    print(header)
    print("-" * len(header))
    for size in args.sizes:
        graph = random_computation_graph(size, args.seed)
        result = compare(graph, args.repeats, use_dot, args.wall)
        layout = result["layout"]
        row = (f"{graph.number_of_nodes():>6} {graph.number_of_edges():>6} "
               f"{max(layout.layers.values()) + 1:>6} {result['seconds']:>9.4f} "
               f"{count_crossings(graph, layout):>9}")
        if use_dot:
            row += (f" {result['dot_seconds']:>9.4f} {count_crossings(graph, result['dot_layout']):>9}"
                    f" {result['seconds'] / result['dot_seconds']:>10.3f}")
        print(row, flush=True)
    if not use_dot:
        print("(dot not found on PATH: Graphviz columns left out)")


if __name__ == "__main__":
    main()
