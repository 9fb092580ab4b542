"""The backward engine, readable top to bottom.

1. Start from the roots' edges with the seed gradients (``_execute``).
2. Count, for every reachable node, how many edges lead into it
   (``_count_dependencies``; given ``inputs``, ``_needed_nodes`` too).
3. Run ready nodes (all incoming gradients arrived), latest-created first,
   AccumulateGrad as soon as it is ready, as PyTorch's engine orders them.
   Gradients arriving at one input are summed before the node runs once.
   A node nothing asks to see runs on bare arrays (``array_pass.run``, NOTE
   [array gradients]); any other in ``_run_ready``, hooks and all.
4. Leaves accumulate into ``.grad`` (accumulate.py; a fresh gradient is kept
   uncopied, NOTE [reusing a gradient] in reuse.py); ``autograd.grad``
   captures instead.
5. Unless ``retain_graph``, each node that ran frees its saved tensors.
"""
import itertools
import threading
from heapq import heappop, heappush

import numpy as np

from .. import observe
from . import array_pass
from .accumulate import accumulate_into_leaf
from .backward_hooks import run_leaf_hooks, run_post_hooks, run_pre_hooks
from .fitting import add_grads, as_array, as_tensors, fit_to_inputs
from .grad_mode import STATE
from .node import AccumulateGrad, _tensor_class, edge_of

__all__ = ["run_backward", "current_task", "will_execute", "accumulate_into_leaf"]


def run_backward(roots, grad_roots, retain_graph=None, create_graph=False,
                 inputs=None, capture=False, allow_unused=False):
    """Backpropagate ``grad_roots`` from ``roots``.

    With ``capture`` the gradients reaching ``inputs`` are returned instead of
    accumulated (``autograd.grad``); otherwise leaves accumulate into ``.grad``
    (all of them, or only ``inputs`` when given).
    """
    _tensor_class()  # imported once here, so that node._Tensor is set for the pass
    if retain_graph is None:
        retain_graph = create_graph
    root_edges = [edge_of(t) for t in roots]
    targets = None
    if inputs is not None:
        targets = [_input_edge(t) for t in inputs]

    if observe.LISTENERS:
        observe.emit("backward_started", tuple(roots), tuple(grad_roots))
    previous_mode = STATE.enabled
    previous_task = _TASK.current
    STATE.enabled = create_graph
    try:
        # Gradients at a pole (log, sqrt, 1/x at 0) are inf or nan silently in PyTorch; numpy
        # would warn from inside the formulas, so the whole pass runs with its warnings off.
        with np.errstate(all="ignore"):
            captured = _execute(root_edges, grad_roots, retain_graph, create_graph, targets,
                                capture)
    finally:
        STATE.enabled = previous_mode
        _TASK.current = previous_task
        if observe.LISTENERS:
            observe.emit("backward_finished", tuple(roots))
    if not capture:
        return None
    results = []
    for index, edge in enumerate(targets):
        grad = captured.get((edge[0], edge[1]))
        if grad is None and not allow_unused:
            raise RuntimeError(
                f"The differentiated Tensor at index {index} appears to not have been used in the "
                "graph. Set allow_unused=True if this is the desired behavior.")
        results.append(grad)
    return tuple(results)


class GraphTask:
    """The backward pass running: which nodes it reaches and, given ``inputs``, which it
    runs; the gradients on their way (input buffers) and the nodes ready to run."""

    __slots__ = ("dependencies", "needed", "capture_at", "captured", "buffers", "ready",
                 "tiebreak", "retain_graph", "create_graph", "capture", "arrays", "__weakref__")

    def __init__(self, dependencies, needed, capture_at=None, retain_graph=False,
                 create_graph=False, capture=False):
        self.dependencies = dependencies
        self.needed = needed
        self.capture_at = capture_at or {}
        self.captured = {}
        self.buffers = {}
        self.ready = []
        self.tiebreak = itertools.count()
        self.retain_graph = retain_graph
        self.create_graph = create_graph
        self.capture = capture
        # NOTE [array gradients]: without create_graph, targets or listeners, a
        # gradient on its way between two plain nodes is a bare array: the node's
        # array formula takes and gives arrays, and only what a leaf keeps or what a
        # hook or a tensor formula sees is wrapped as a Tensor. Buffers may so hold
        # both; ``as_tensors`` and ``add_grads`` make them meet (fitting.py).
        self.arrays = not create_graph and needed is None

    def deliver(self, node, output_nr, grad):
        """Add ``grad`` into the input buffer of ``node``; queue it when complete."""
        buffer = self.buffers.get(node)
        if buffer is None:
            buffer = self.buffers[node] = [None] * node.num_outputs
        if grad is not None:
            previous = buffer[output_nr]
            if previous is None:
                buffer[output_nr] = grad
            else:
                buffer[output_nr] = add_grads(node, output_nr, previous, grad)
        remaining = self.dependencies[node] - 1
        self.dependencies[node] = remaining
        if remaining == 0:  # latest-created first; the count breaks ties in arrival order
            heappush(self.ready, (-node._seq, next(self.tiebreak), node))

    def skip(self, node):
        """Pass no gradient on from ``node``, so that nodes below still become ready."""
        for next_node, output_nr in node.next_functions:
            if next_node is not None:
                self.deliver(next_node, output_nr, None)


class _Task(threading.local):
    current = None  # the GraphTask running in this thread


_TASK = _Task()


def current_task():
    """An object that stands for the backward pass now running (None outside one)."""
    return _TASK.current


def will_execute(tensor):
    """True when the running backward pass computes ``tensor``'s gradient (PyTorch's
    ``_will_engine_execute_node``), for hooks that wait for several gradients."""
    task = _TASK.current
    if task is None:
        return False
    node = tensor._grad_fn
    if node is None:
        node = tensor._grad_acc() if tensor._grad_acc is not None else None
    return node is not None and node in task.dependencies and (
        task.needed is None or node in task.needed)


def _input_edge(tensor):
    if tensor._grad_fn is None and not tensor._requires_grad:
        raise RuntimeError("One of the differentiated Tensors does not require grad")
    return edge_of(tensor)


def _count_dependencies(root_edges):
    """Number of incoming edges for each node reachable from the roots (iterative DFS)."""
    dependencies = {}
    stack = []
    for node, _ in root_edges:
        if node is not None:
            if node not in dependencies:
                dependencies[node] = 0
                stack.append(node)
            dependencies[node] += 1
    while stack:
        node = stack.pop()
        for next_node, _ in node.next_functions:
            if next_node is None:
                continue
            if next_node in dependencies:
                dependencies[next_node] += 1
            else:
                dependencies[next_node] = 1
                stack.append(next_node)
    return dependencies


def _needed_nodes(dependencies, target_nodes):
    """Nodes from which some target can be reached: the only ones worth running."""
    parents = {}
    for node in dependencies:
        for next_node, _ in node.next_functions:
            if next_node is not None:
                parents.setdefault(next_node, []).append(node)
    needed = set()
    stack = [n for n in target_nodes if n in dependencies]
    while stack:
        node = stack.pop()
        if node in needed:
            continue
        needed.add(node)
        stack.extend(parents.get(node, ()))
    return needed


def _execute(root_edges, grad_roots, retain_graph, create_graph, targets, capture):
    """The steps of the module docstring; the gradients captured at ``targets``."""
    dependencies = _count_dependencies(root_edges)  # 2.
    capture_at = {}
    needed = None
    if targets is not None:
        for node, output_nr in targets:
            if node is not None:
                capture_at.setdefault(node, set()).add(output_nr)
        needed = _needed_nodes(dependencies, capture_at)
    task = _TASK.current = GraphTask(dependencies, needed, capture_at, retain_graph,
                                     create_graph, capture)
    for (node, output_nr), grad in zip(root_edges, grad_roots):  # 1.
        if node is not None:
            task.deliver(node, output_nr, grad)
    ready, buffers, arrays = task.ready, task.buffers, task.arrays
    while ready:  # 3.
        node = heappop(ready)[2]
        grads = buffers.pop(node)
        if arrays and array_pass.run(task, node, grads):
            continue
        _run_ready(task, node, grads)
    return task.captured


def _run_ready(task, node, grads):
    """Run one ready node with its gradients ``grads`` (its input buffer): hooks, capture,
    the node (or the leaf's accumulation, 4.), freeing (5.), passing gradients on."""
    if task.needed is not None and node not in task.needed:
        task.skip(node)  # before its hooks: PyTorch does not run the node at all
        return
    grads = as_tensors(grads)
    if type(node) is AccumulateGrad:  # a leaf's hooks come before its accumulator's own
        grads[0] = run_leaf_hooks(node.variable, grads[0])
    if node._extra is not None:
        grads = run_pre_hooks(node, node._extra, grads)
    if node in task.capture_at:
        for output_nr in task.capture_at[node]:
            task.captured[(node, output_nr)] = grads[output_nr]
        if task.capture and (type(node) is AccumulateGrad
                             or not _feeds_other_targets(node, task.needed)):
            task.skip(node)
            return
    if grads[0] is None and (len(grads) == 1 or all(g is None for g in grads)) \
            and not node.runs_without_grads:
        task.skip(node)
        return
    if type(node) is AccumulateGrad:
        _accumulate(task, node, grads)
        return
    try:
        grads_out = _run_node(node, grads, task.create_graph)
    except Exception:
        if observe.LISTENERS:  # anomaly mode shows where the failing node came from
            observe.emit("node_failed", node)
        raise
    if node._extra is not None and node._extra.hooks:
        grads_out = run_post_hooks(node, grads_out, grads)
    if observe.LISTENERS:
        observe.emit("node_evaluated", node, tuple(grads), tuple(grads_out))
    if not task.retain_graph:
        node.release_saved()
    for (next_node, output_nr), grad in zip(node.next_functions, grads_out):
        if next_node is not None:
            task.deliver(next_node, output_nr, grad)


def _accumulate(task, node, grads):
    """A leaf's accumulator: the gradient into ``.grad``, then the accumulator's hooks."""
    if node.variable._requires_grad:  # not after requires_grad_(False), as in PyTorch
        accumulate_into_leaf(node.variable, grads[0], task.create_graph)
    if node._extra is not None and node._extra.hooks:
        run_post_hooks(node, (), grads)
    if observe.LISTENERS:
        observe.emit("node_evaluated", node, tuple(grads), ())


def _run_node(node, grads, create_graph):
    """Run ``node``; its gradients for its inputs, fitted to them (``fit_to_inputs``).

    With ``create_graph`` the formula must be recorded, so it runs as engine
    ops (``node.apply``); otherwise the array formula, when the node has one and
    accepts these operands, gives the same values without a tensor per step.
    """
    if node.backward_arrays is not None and not create_graph:
        result = node.backward_arrays(grads[0]._data)
        if result is not NotImplemented:
            make = _tensor_class()._make
            if type(result) is not tuple:
                data = as_array(result)
                wanted = node._input_meta[0] if node._input_meta else None
                if wanted is not None and data.shape == wanted[0] and data.dtype == wanted[1]:
                    return (make(data),)  # already fitted, as it mostly is
                return fit_to_inputs(node, (make(data),))
            return fit_to_inputs(
                node, tuple([None if data is None else make(as_array(data)) for data in result]))
    return fit_to_inputs(node, node.apply(grads))


def _feeds_other_targets(node, needed):
    return any(n is not None and n in needed for n, _ in node.next_functions)
