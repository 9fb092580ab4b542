"""The per-op table of ``engine.py``: 24 common op kinds, each timed on the engine and on
PyTorch in one process.

Each op kind is a list of steps applied in turn, 1,000 times in all, to a leaf
that requires grad, on shape (4,) (where only the bookkeeping counts) and on
64x64 (where the arithmetic starts to):

- a *chain* feeds each result to the next step (``y = y.sin()``), then calls
  ``backward`` on the last one;
- a *fan* applies the step to the leaf itself each time (ops whose result
  cannot be fed back: reductions, ``unsqueeze``, ``cross_entropy``), then runs
  one ``autograd.backward`` over all the results, so the leaf sums 1,000
  gradients, in both libraries alike.

Forward only records the same graph and drops it. A second operand (``y * w``)
is a constant tensor, so the chain's gradient runs along one path. exp and log
chains reach inf and nan within a few steps, in both libraries alike; the others
stay finite (sin, tanh and sigmoid settle, matmul is by an orthogonal matrix).
"""
import statistics
import time

import numpy as np

STEPS = 1000
SHAPES = {"4": (4,), "64x64": (64, 64)}


def _chain(*steps):
    return "chain", steps


def _fan(step):
    return "fan", (step,)


def _view_steps(shape):
    other = (2, 2) if shape == (4,) else (shape[0] * shape[1],)
    return (lambda c, y: y.view(other), lambda c, y: y.view(shape))


# name -> function(shape) -> ("chain" | "fan", steps); a step is ``step(constants, y)``.
OPS = {
    "add": lambda s: _chain(lambda c, y: y + c.small),
    "sub": lambda s: _chain(lambda c, y: y - c.small),
    "mul": lambda s: _chain(lambda c, y: y * c.near_one),
    "div": lambda s: _chain(lambda c, y: y / c.near_one),
    "neg": lambda s: _chain(lambda c, y: -y),
    "pow": lambda s: _chain(lambda c, y: y ** 2),
    "sqrt": lambda s: _chain(lambda c, y: y.sqrt()),
    "exp": lambda s: _chain(lambda c, y: y.exp()),
    "log": lambda s: _chain(lambda c, y: y.log()),
    "sin": lambda s: _chain(lambda c, y: y.sin()),
    "cos": lambda s: _chain(lambda c, y: y.cos()),
    "tanh": lambda s: _chain(lambda c, y: y.tanh()),
    "sigmoid": lambda s: _chain(lambda c, y: y.sigmoid()),
    "relu": lambda s: _chain(lambda c, y: y.relu()),
    "abs": lambda s: _chain(lambda c, y: y.abs()),
    "sum": lambda s: _fan(lambda c, x: x.sum()),
    "mean": lambda s: _fan(lambda c, x: x.mean()),
    "matmul": lambda s: _chain(lambda c, y: y @ c.rotation),
    "view": lambda s: ("chain", _view_steps(s)),
    "unsqueeze": lambda s: _fan(lambda c, x: x.unsqueeze(0)),
    "transpose": lambda s: _chain(lambda c, y: y.t()),
    "softmax": lambda s: _chain(lambda c, y: c.F.softmax(y, dim=-1)),
    "log_softmax": lambda s: _chain(lambda c, y: c.F.log_softmax(y, dim=-1)),
    "cross_entropy": lambda s: _fan(lambda c, x: c.F.cross_entropy(x, c.target)),
}


class Constants:
    """What the steps read besides their input, made once per library and shape."""

    def __init__(self, m, shape):
        rng = np.random.default_rng(2)
        self.F = m.nn.functional
        self.x = rng.uniform(0.1, 0.9, shape).astype(np.float32)
        self.small = m.tensor(np.full(shape, 0.001, dtype=np.float32))
        self.near_one = m.tensor(rng.uniform(0.999, 1.001, shape).astype(np.float32))
        q, _ = np.linalg.qr(rng.standard_normal((shape[-1], shape[-1])))
        self.rotation = m.tensor(q.astype(np.float32))
        classes = shape[-1]
        target = rng.integers(0, classes, shape[:-1]) if len(shape) > 1 else np.int64(1)
        self.target = m.tensor(target)


def case(m, op_name, shape, backward, steps=STEPS):
    """One timed run of ``op_name`` on library ``m``: a function of no arguments."""
    kind, step_fns = OPS[op_name](shape)
    constants = Constants(m, shape)
    rounds = steps // len(step_fns)

    if kind == "chain":
        def run():
            y = x = m.tensor(constants.x, requires_grad=True)
            for _ in range(rounds):
                for step in step_fns:
                    y = step(constants, y)
            if backward:
                y.backward(m.ones_like(y))
            return x
        return run

    (step,) = step_fns

    def run_fan():
        x = m.tensor(constants.x, requires_grad=True)
        outs = [step(constants, x) for _ in range(rounds)]
        if backward:
            seed = m.ones_like(outs[0])
            m.autograd.backward(outs, [seed] * len(outs))
        return x
    return run_fan


def cpu_medians(fns, repeats, warmup=1):
    """Median CPU seconds of each function, run in interleaved rounds: a busy spell on a
    shared machine slows every contestant alike, and CPU time leaves out waiting."""
    for fn in fns:
        for _ in range(warmup):
            fn()
    samples = [[] for _ in fns]
    for _ in range(repeats):
        for fn, times in zip(fns, samples):
            start = time.process_time()
            fn()
            times.append(time.process_time() - start)
    return [statistics.median(times) for times in samples]


MODES = (("fwd+bwd", True), ("fwd", False))


def table(engine, torch, op_names, shape_names, repeats, steps=STEPS):
    """Print engine / PyTorch per op kind, shape and mode; return every ratio by cell."""
    columns = [(shape_name, mode, backward) for shape_name in shape_names
               for mode, backward in MODES]
    header = "".join(f"{shape_name + ' ' + mode:>15s}" for shape_name, mode, _ in columns)
    print(f"    {'op':14s}{header}   engine µs per op ({shape_names[0]} fwd+bwd)")
    ratios = {}
    for op_name in op_names:
        cells = []
        first_time = None
        for shape_name, mode, backward in columns:
            shape = SHAPES[shape_name]
            ours, theirs = cpu_medians(
                [case(engine, op_name, shape, backward, steps),
                 case(torch, op_name, shape, backward, steps)], repeats)
            ratio = ours / theirs
            ratios[(op_name, shape_name, mode)] = ratio
            cells.append(f"{ratio:14.2f}x")
            if first_time is None:
                first_time = ours / steps * 1e6
        print(f"    {op_name:14s}{''.join(cells)}   {first_time:8.2f}", flush=True)
    return ratios


def summary(ratios):
    """The geometric mean of all cells and the worst one, with the targets."""
    geometric = float(np.exp(np.mean(np.log(list(ratios.values())))))
    worst = max(ratios, key=ratios.get)
    print(f"    geometric mean       {geometric:8.2f}x   (target <= 1.0)")
    print(f"    worst: {' '.join(worst)} {ratios[worst]:8.2f}x   (target <= 1.5)")
    return geometric, worst


# ------------------------------------------------------------------- the floor
# Where a cell stays above 1.5x, the question is whether any engine built on
# numpy's kernels could do better. The floor runs the same chain on the
# engine's own array kernels alone (the fastest numpy it knows for the op):
# no tensors, no graph, no checks, only the arithmetic forward and, for
# fwd+bwd, the arithmetic of each step's gradient. An engine can only add to it.
def _floor_kernels():
    from engine.ops import double_backward as grads
    from engine.ops.pointwise import _sigmoid_of_float
    from engine.ops.registry import quietly
    from engine.ops.softmax import _log_softmax, _softmax

    def softmax(y):
        return quietly(_softmax, y, y.ndim - 1, np)

    def log_softmax(y):
        return quietly(_log_softmax, y, y.ndim - 1, np)

    return {
        "softmax": (softmax, lambda g, y, x: grads.softmax_backward_data_array(g, y, y.ndim - 1)),
        "log_softmax": (log_softmax,
                        lambda g, y, x: grads.log_softmax_backward_data_array(g, y, y.ndim - 1)),
        "sigmoid": (lambda y: quietly(_sigmoid_of_float, y),
                    lambda g, y, x: grads.sigmoid_backward_array(g, y)),
        "cross_entropy": (log_softmax, None),  # and the picked entries: see floor_case
    }


FLOORS = ("softmax", "log_softmax", "sigmoid", "cross_entropy")


def floor_case(op_name, shape, backward, steps=STEPS):
    """``case`` for the floor: the chain (or fan) on bare numpy arrays."""
    forward, gradient = _floor_kernels()[op_name]
    rng = np.random.default_rng(2)
    x = rng.uniform(0.1, 0.9, shape).astype(np.float32)
    if op_name != "cross_entropy":
        def run():
            results = [x]
            for _ in range(steps):
                results.append(forward(results[-1]))
            if not backward:
                return results[-1]
            g = np.ones_like(results[-1])
            for step in range(steps, 0, -1):
                g = gradient(g, results[step], results[step - 1])
            return g
        return run
    classes = shape[-1]
    labels = rng.integers(0, classes, shape[:-1]) if len(shape) > 1 else np.int64(1)
    rows = np.arange(labels.size)

    def run_fan():
        total = np.zeros_like(x)
        for _ in range(steps):
            log_p = forward(x)
            if len(shape) > 1:
                loss = -log_p[rows, labels].sum() / np.float32(labels.size)
            else:
                loss = -log_p[labels]
            if backward:
                g = np.zeros_like(log_p)
                if len(shape) > 1:
                    g[rows, labels] = np.float32(-1 / labels.size)
                else:
                    g[labels] = -1
                total += g - np.exp(log_p) * g.sum(-1, keepdims=True)
        return loss, total
    return run_fan


def floor_table(torch, ratios, repeats, steps=STEPS, bound=1.5):
    """For each cell of the floor's ops above ``bound``: the floor / PyTorch."""
    cells = [key for key in ratios if key[0] in FLOORS and ratios[key] > bound]
    if not cells:
        return {}
    print(f"    the floor: the engine's numpy kernels alone (no tensors, no graph) / pytorch, "
          f"for the cells above {bound}x")
    floors = {}
    for op_name, shape_name, mode in cells:
        backward = mode == "fwd+bwd"
        shape = SHAPES[shape_name]
        floor, theirs = cpu_medians([floor_case(op_name, shape, backward, steps),
                                     case(torch, op_name, shape, backward, steps)], repeats)
        floors[(op_name, shape_name, mode)] = floor / theirs
        verdict = "above" if floor / theirs > bound else "below"
        engine_ratio = ratios[(op_name, shape_name, mode)]
        print(f"    {op_name:14s}{shape_name + ' ' + mode:>15s}   engine {engine_ratio:5.2f}x"
              f"   floor {floor / theirs:5.2f}x   ({verdict} {bound}x)", flush=True)
    return floors
