"""Engine speed against PyTorch and hand-written numpy, measured in one run.

    python benchmarks/engine.py [--repeats N] [--sections ops,a,b,c,d] [--ops add,mul]
                                [--shapes 4,64x64] [--steps N]

(ops) the per-op table (``op_chains.py``): 24 common op kinds, each a chain
    of 1,000 steps on shape (4,) and on 64x64, forward+backward and forward
    only, engine / PyTorch in medians of CPU time; ``--ops`` and ``--shapes``
    pick a subset, ``--steps`` shortens the chains for a quick look;
(a) a chain of 1,000 small elementwise ops on shape (4,), forward + backward:
    microseconds per op for the engine, PyTorch (if installed) and raw numpy
    calls of the same math (forward and hand-derived backward);
(b) one MLP training step 64x784-256-128-10 float32 (forward, cross-entropy,
    backward, SGD update) against PyTorch, with a hand-written numpy step, the
    same step on a bare Python autograd (``minimal_autograd.py``) and on a
    sketch with only the bookkeeping PyTorch's semantics need
    (``faithful_sketch.py``) as context;
(c) a 1024x1024 matmul forward + backward against numpy;
(d) a training step through ``nn.Sequential(Linear, ReLU, Linear)`` with
    ``optim.SGD`` against PyTorch on the same model.

Targets: (ops) geometric mean <= 1.0x, no op kind above 1.5x; (a) engine no
slower per op than PyTorch eager; (b) at most 0.95x PyTorch; (c) at most 1.05x
numpy; (d) no slower than PyTorch. Figures are medians of several repeats.
"""
import os

# One BLAS thread for numpy and PyTorch alike: a shared machine's spare core
# then cannot make either side's timings swing, and the ratios stay fair.
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import argparse  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

# Run as a script, this folder comes first on sys.path and this file would
# shadow the engine package it measures; the repository root must come first.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import op_chains  # noqa: E402

import engine  # noqa: E402

try:
    import torch
except ImportError:  # PyTorch is only a reference here
    torch = None

CHAIN = 1000


def median_time(fn, repeats, warmup=2):
    return median_times([fn], repeats, warmup)[0]


def median_times(fns, repeats, warmup=2):
    """Median seconds of each function, their runs interleaved round by round so
    that a busy spell on a shared machine slows every contestant alike."""
    for fn in fns:
        for _ in range(warmup):
            fn()
    times = [[] for _ in fns]
    for _ in range(repeats):
        for fn, samples in zip(fns, times):
            start = time.perf_counter()
            fn()
            samples.append(time.perf_counter() - start)
    return [statistics.median(samples) for samples in times]


# ------------------------------------------------------------ (a) op chain
def chain_library(m):
    """The chain with a library's ops: mul, add, tanh, sin in turn."""
    def run():
        x = m.tensor([0.1, 0.2, 0.3, 0.4], requires_grad=True)
        y = x
        for _ in range(CHAIN // 4):
            y = y * 1.001
            y = y + 0.01
            y = y.tanh()
            y = y.sin()
        y.sum().backward()
        return x.grad
    return run


def chain_numpy():
    """The same math as raw numpy calls: forward, then the hand-derived backward."""
    def run():
        x = np.array([0.1, 0.2, 0.3, 0.4], dtype=np.float32)
        saved = []
        y = x
        for _ in range(CHAIN // 4):
            y = y * np.float32(1.001)
            y = y + np.float32(0.01)
            t = np.tanh(y)
            saved.append(t)
            y = t
            saved.append(y)
            y = np.sin(y)
        g = np.ones_like(y)
        for i in range(len(saved) - 1, 0, -2):
            g = g * np.cos(saved[i])
            g = g * (1 - saved[i - 1] * saved[i - 1])
            g = g * np.float32(1.001)
        return g
    return run


# -------------------------------------------------------------- (b) MLP step
SIZES = (784, 256, 128, 10)
BATCH = 64


def mlp_data():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((BATCH, SIZES[0])).astype(np.float32)
    labels = rng.integers(0, SIZES[-1], BATCH)
    weights = []
    for n_in, n_out in zip(SIZES[:-1], SIZES[1:]):
        weights.append(((rng.standard_normal((n_in, n_out)) / np.sqrt(n_in)).astype(np.float32),
                        np.zeros(n_out, dtype=np.float32)))
    return x, labels, weights


def mlp_logits(x, params, relu):
    """The MLP's forward pass, the same lines for every autograd contestant."""
    h = x
    for i, (w, b) in enumerate(params):
        h = h @ w + b
        if i < len(params) - 1:
            h = relu(h)
    return h


def mlp_library(m):
    x_np, labels_np, weights = mlp_data()
    x = m.tensor(x_np)
    labels = m.tensor(labels_np)
    params = [(m.tensor(w.copy(), requires_grad=True), m.tensor(b.copy(), requires_grad=True))
              for w, b in weights]
    F = m.nn.functional

    def step():
        loss = F.cross_entropy(mlp_logits(x, params, F.relu), labels)
        loss.backward()
        with m.no_grad():
            for w, b in params:
                w -= 0.01 * w.grad
                b -= 0.01 * b.grad
                w.grad = None
                b.grad = None
        return loss
    return step


def mlp_minimal():
    """The step on ``minimal_autograd``: Python's own floor for a define-by-run step."""
    import minimal_autograd as mini

    x_np, labels, weights = mlp_data()
    x = mini.Value(x_np)
    params = [(mini.Value(w.copy()), mini.Value(b.copy())) for w, b in weights]
    leaves = {id(v) for pair in params for v in pair}

    def step():
        loss = mini.cross_entropy(mlp_logits(x, params, mini.relu), labels)
        mini.backward(loss, leaves)
        for w, b in params:
            w.data -= 0.01 * w.grad
            b.data -= 0.01 * b.grad
            w.grad = None
            b.grad = None
        return loss
    return step


def mlp_sketch():
    """The step on ``faithful_sketch``: only the bookkeeping PyTorch's semantics require."""
    import faithful_sketch as sketch

    x_np, labels_np, weights = mlp_data()
    x, labels = sketch.make(x_np), sketch.make(labels_np)
    params = [(sketch.make(w.copy(), True), sketch.make(b.copy(), True)) for w, b in weights]

    def step():
        loss = sketch.cross_entropy(mlp_logits(x, params, sketch.relu), labels)
        sketch.backward(loss)
        sketch.GradMode.enabled = False  # no_grad, as the other steps update
        for w, b in params:
            w -= 0.01 * w.grad
            b -= 0.01 * b.grad
            w.grad = None
            b.grad = None
        sketch.GradMode.enabled = True
        return loss
    return step


def mlp_numpy():
    x, labels, weights = mlp_data()
    params = [(w.copy(), b.copy()) for w, b in weights]
    rows = np.arange(BATCH)

    def step():
        activations = [x]
        h = x
        for i, (w, b) in enumerate(params):
            h = h @ w + b
            if i < len(params) - 1:
                h = np.maximum(h, 0)
            activations.append(h)
        shifted = h - h.max(axis=1, keepdims=True)
        exp = np.exp(shifted)
        probs = exp / exp.sum(axis=1, keepdims=True)
        loss = -np.log(probs[rows, labels]).mean()
        g = probs
        g[rows, labels] -= 1
        g /= BATCH
        for i in range(len(params) - 1, -1, -1):
            w, b = params[i]
            a_in = activations[i]
            gw = a_in.T @ g
            gb = g.sum(axis=0)
            if i > 0:
                g = (g @ w.T) * (activations[i] > 0)
            w -= 0.01 * gw
            b -= 0.01 * gb
        return loss
    return step


# ------------------------------------------- (d) nn.Sequential + optim.SGD
TRAIN_SIZES = (784, 256, 10)


def train_step_library(m):
    """``nn.Sequential(Linear, ReLU, Linear)`` trained by ``optim.SGD`` with momentum, as
    a tutorial writes it; seeded, so both libraries start from PyTorch's weights."""
    x_np, labels_np, _ = mlp_data()
    x, labels = m.tensor(x_np), m.tensor(labels_np)
    m.manual_seed(0)
    model = m.nn.Sequential(m.nn.Linear(TRAIN_SIZES[0], TRAIN_SIZES[1]), m.nn.ReLU(),
                            m.nn.Linear(TRAIN_SIZES[1], TRAIN_SIZES[2]))
    optimizer = m.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    loss_fn = m.nn.CrossEntropyLoss()

    def step():
        optimizer.zero_grad()
        loss = loss_fn(model(x), labels)
        loss.backward()
        optimizer.step()
        return loss
    return step


# ------------------------------------------------------------- (c) matmul
def matmul_library(m, size=1024):
    rng = np.random.default_rng(1)
    a = m.tensor(rng.standard_normal((size, size)).astype(np.float32), requires_grad=True)
    b = m.tensor(rng.standard_normal((size, size)).astype(np.float32), requires_grad=True)
    g = m.tensor(rng.standard_normal((size, size)).astype(np.float32))

    def run():
        a.grad = None
        b.grad = None
        (a @ b).backward(g)
    return run


def matmul_numpy(size=1024):
    rng = np.random.default_rng(1)
    a = rng.standard_normal((size, size)).astype(np.float32)
    b = rng.standard_normal((size, size)).astype(np.float32)
    g = rng.standard_normal((size, size)).astype(np.float32)

    def run():
        c = a @ b
        return c, g @ b.T, a.T @ g
    return run


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--sections", default="ops,a,b,c,d",
                        help="which parts to run, comma-separated (default: all)")
    parser.add_argument("--ops", default=",".join(op_chains.OPS),
                        help="op kinds of the per-op table, comma-separated (default: all 24)")
    parser.add_argument("--shapes", default=",".join(op_chains.SHAPES),
                        help="shapes of the per-op table: 4, 64x64 or both")
    parser.add_argument("--steps", type=int, default=op_chains.STEPS,
                        help="steps per chain in the per-op table")
    args = parser.parse_args()
    if torch is not None:
        torch.set_num_threads(1)
    r = args.repeats
    sections = set(args.sections.split(","))

    if "ops" in sections and torch is not None:
        ops = args.ops.split(",")
        unknown = [name for name in ops if name not in op_chains.OPS]
        if unknown:
            parser.error(f"unknown op kinds: {', '.join(unknown)}; known: {', '.join(op_chains.OPS)}")
        shapes = args.shapes.split(",")
        if any(shape not in op_chains.SHAPES for shape in shapes):
            parser.error(f"--shapes takes {' or '.join(op_chains.SHAPES)}, comma-separated")
        print(f"(ops) engine / pytorch per op kind, chains of {args.steps} steps, "
              "medians of CPU time")
        # Each cell takes tens of milliseconds: a third of the repeats keeps the table quick.
        ratios = op_chains.table(engine, torch, ops, shapes,
                                 max(5, r // 3), args.steps)
        op_chains.summary(ratios)
        op_chains.floor_table(torch, ratios, max(5, r // 3), args.steps)
    if "a" in sections:
        section_a(r)
    if "b" in sections:
        section_b(r)
    if "c" in sections:
        section_c(r)
    if "d" in sections:
        section_d(r)


def section_a(r):
    print(f"(a) chain of {CHAIN} elementwise ops on shape (4,), forward+backward, µs per op")
    names = ["engine", "numpy (raw calls)"] + (["pytorch"] if torch is not None else [])
    fns = [chain_library(engine), chain_numpy()] + ([chain_library(torch)] if torch is not None else [])
    rows = list(zip(names, median_times(fns, r)))
    for name, t in rows:
        print(f"    {name:20s} {t / CHAIN * 1e6:8.2f}")
    if torch is not None:
        print(f"    engine / pytorch     {rows[0][1] / rows[2][1]:8.2f}x   (target <= 1.0)")


def section_b(r):
    print("(b) MLP step 64x784-256-128-10 float32, ms")
    fns = [mlp_library(engine), mlp_numpy(), mlp_minimal(), mlp_sketch()] + \
        ([mlp_library(torch)] if torch is not None else [])
    # A step takes about a millisecond: many more samples cost little and steady the medians.
    eng, ref, floor, sketch, *theirs = median_times(fns, r * 8)
    print(f"    engine {eng * 1e3:8.2f}   numpy {ref * 1e3:8.2f}", end="")
    if theirs:
        print(f"   pytorch {theirs[0] * 1e3:8.2f}")
        print(f"    engine / pytorch     {eng / theirs[0]:8.2f}x   (target <= 0.95)")
    else:
        print()
    print(f"    engine / numpy       {eng / ref:8.2f}x   (context: hand-written numpy)")
    print(f"    minimal Python autograd / numpy {floor / ref:5.2f}x   (no checks: Python's own floor)")
    print(f"    faithful bookkeeping sketch / numpy {sketch / ref:5.2f}x   (what PyTorch's semantics need)")


def section_c(r):
    print("(c) 1024x1024 matmul forward+backward, ms")
    # One BLAS call per side: the machine's noise is the ratio's only spread, so more samples.
    eng, ref = median_times([matmul_library(engine), matmul_numpy()], max(9, r // 2 + 1))
    print(f"    engine {eng * 1e3:8.2f}   numpy {ref * 1e3:8.2f}")
    print(f"    engine / numpy       {eng / ref:8.2f}x   (target <= 1.05)")


def section_d(r):
    if torch is not None:
        sizes = "-".join(map(str, TRAIN_SIZES))
        print(f"(d) training step {BATCH}x{sizes} float32: nn.Sequential(Linear, ReLU, Linear), "
              "cross-entropy, optim.SGD(momentum=0.9), ms")
        eng, theirs = median_times([train_step_library(engine), train_step_library(torch)], r * 8)
        print(f"    engine {eng * 1e3:8.2f}   pytorch {theirs * 1e3:8.2f}")
        print(f"    engine / pytorch     {eng / theirs:8.2f}x   (target <= 1.0)")


if __name__ == "__main__":
    main()
