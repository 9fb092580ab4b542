"""Graphs free their memory: saved arrays after backward, whole graphs without the cyclic GC."""
import gc
import weakref

import numpy as np

import engine


class _Gauge:
    """Counts live instances of an array wrapper we can weakly reference."""


def test_saved_arrays_released_after_backward():
    x = engine.ones(1000, requires_grad=True)
    y = x.exp()  # saves its result array
    z = (y * y).sum()  # saves y twice
    saved = y.grad_fn._saved[0]
    result_ref = weakref.ref(saved.data) if hasattr(saved.data, "__weakref__") else None
    z.backward()
    assert saved.is_freed
    assert all(s.is_freed for s in z.grad_fn.next_functions[0][0]._saved if s is not None)
    if result_ref is not None:
        del y
        assert result_ref() is None


def test_graph_freed_by_reference_counting_alone():
    gc.collect()
    gc.disable()
    try:
        x = engine.ones(4, requires_grad=True)
        y = x
        for _ in range(50):
            y = (y * 1.01).exp().sin()
        node_ref = weakref.ref(y.grad_fn)
        out_ref = weakref.ref(y)
        del y
        assert node_ref() is None and out_ref() is None
    finally:
        gc.enable()


def test_backward_leaves_no_cycles():
    gc.collect()
    gc.disable()
    try:
        before = gc.get_count()[0]
        x = engine.ones(8, requires_grad=True)
        for _ in range(20):
            loss = ((x * 2).tanh() ** 2).mean()
            loss.backward()
        del loss
        collected = gc.collect()
    finally:
        gc.enable()
    assert collected == 0, f"{collected} objects were only reachable through cycles"
    assert before >= 0


def test_tracemalloc_released():
    import tracemalloc
    tracemalloc.start()
    try:
        x = engine.tensor(np.ones(200_000, dtype=np.float32), requires_grad=True)
        baseline = tracemalloc.get_traced_memory()[0]
        y = (x.exp() * x).sin()  # several 800 kB saved arrays
        held = tracemalloc.get_traced_memory()[0] - baseline
        y.sum().backward()
        del y
        after = tracemalloc.get_traced_memory()[0] - baseline
    finally:
        tracemalloc.stop()
    assert held > 2_000_000
    assert after < 1_200_000  # only x.grad (800 kB) remains
