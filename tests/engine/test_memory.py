"""Graphs free their memory: saved arrays after backward, whole graphs without the cyclic GC."""
import gc
import sys
import weakref

import numpy as np
import pytest

import engine
from engine.autograd import reuse

# Keeping a gradient uncopied rests on reference counts, trusted only on the CPython
# versions the rule was tested on (NOTE [reusing a gradient]); elsewhere it copies.
reuses_gradients = pytest.mark.skipif(
    not reuse.TRUSTED, reason="reference counts not trusted on this CPython: gradients are copied")


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


@reuses_gradients
def test_leaf_keeps_a_gradient_nobody_else_holds():
    """A fresh gradient becomes ``.grad`` without a copy (as PyTorch steals it)."""
    w = engine.ones(3, 4, requires_grad=True)
    (engine.ones(2, 3) @ w).sum().backward()
    assert w.grad._data.base is None and w.grad._data.flags.writeable


def test_leaf_copies_a_gradient_someone_else_holds():
    """A gradient also held by the caller or a hook is copied into ``.grad``, never shared."""
    x = engine.zeros(3, requires_grad=True)
    seed = engine.ones(3)
    (x + 0).backward(seed)
    assert not np.shares_memory(x.grad._data, seed._data)
    seed.add_(5)
    assert x.grad.tolist() == [1.0, 1.0, 1.0]

    kept = []
    y = engine.zeros(3, requires_grad=True)
    z = y * 2
    z.register_hook(lambda g: kept.append(g))
    z.sum().backward()
    y.grad.add_(1)
    assert kept[0].tolist() == [1.0, 1.0, 1.0]

    # One gradient reaching two leaves: each gets its own.
    a = engine.zeros(3, requires_grad=True)
    b = engine.zeros(3, requires_grad=True)
    (a + b).sum().backward()
    assert not np.shares_memory(a.grad._data, b.grad._data)


def test_second_accumulation_adds_in_place():
    """Later gradients add into the same ``.grad`` storage (aliases of it see the sum)."""
    w = engine.ones(2, requires_grad=True)
    (w * 3).sum().backward()
    alias = w.grad
    (w * 3).sum().backward()
    assert alias is w.grad and alias.tolist() == [6.0, 6.0]


def _copies_during(fn):
    """How many times ``ndarray.copy`` runs inside ``fn()``."""
    copies = []

    def profile(frame, event, arg):
        if event == "c_call" and getattr(arg, "__qualname__", "") == "ndarray.copy":
            copies.append(frame.f_code.co_name)

    sys.setprofile(profile)
    try:
        fn()
    finally:
        sys.setprofile(None)
    return copies


@reuses_gradients
def test_training_step_backward_copies_no_gradient():
    """Weights and biases keep the gradients their nodes made: an MLP's backward copies nothing."""
    F = engine.nn.functional
    x = engine.ones(8, 5)
    params = [engine.ones(5, 4, requires_grad=True), engine.zeros(4, requires_grad=True),
              engine.ones(4, 3, requires_grad=True), engine.zeros(3, requires_grad=True)]
    for _ in range(2):  # the second step too, after the gradients were set to None
        h = F.relu(x @ params[0] + params[1]) @ params[2] + params[3]
        loss = F.cross_entropy(h, engine.tensor([0, 1, 2, 0, 1, 2, 0, 1]))
        assert _copies_during(loss.backward) == []
        for p in params:
            p.grad = None


@reuses_gradients
def test_only_engine_holds_counts_the_holders_it_names():
    """Two holders (where the value came from and the local here) pass; a third fails."""
    def keeps(value):
        return reuse.only_engine_holds(value)

    fresh = np.ones(3)
    assert keeps(fresh)
    alias = fresh
    assert not keeps(fresh)
    del alias
    assert keeps(fresh)


def test_untrusted_reference_counts_copy_every_gradient(monkeypatch):
    """On a CPython whose counting was not tested, a fresh gradient is copied, and the
    results are the same."""
    monkeypatch.setattr(reuse, "TRUSTED", False)
    w = engine.ones(3, 4, requires_grad=True)
    loss = (engine.ones(2, 3) @ w).sum()
    assert _copies_during(loss.backward) != []
    assert w.grad.tolist() == [[2.0] * 4] * 3
