"""The backward engine, readable top to bottom.

1. Start from the roots' edges with the seed gradients.
2. Count, for every reachable node, how many edges lead into it.
3. Run ready nodes (all incoming gradients arrived), latest-created first,
   AccumulateGrad as soon as it is ready, as PyTorch's engine orders them.
   Gradients arriving at one input are summed before the node runs once.
4. Leaves accumulate into ``.grad``; ``autograd.grad`` captures instead.
5. Unless ``retain_graph``, each node that ran frees its saved tensors.
"""
import heapq
import itertools
import sys
import threading

import numpy as np

from .. import dtypes, observe
from .grad_mode import STATE
from .node import AccumulateGrad, Node, _tensor_class, edge_of


def _reduction():
    """``ops.reduction`` (``sum_to``), imported on first use: the ops import this package,
    and an import statement run on every call costs more than a small sum."""
    global _reduction_module
    if _reduction_module is None:
        from ..ops import reduction
        _reduction_module = reduction
    return _reduction_module


_reduction_module = None
_Tensor = None  # engine.tensor.Tensor, set on the first backward (tensor.py imports this package)


def run_backward(roots, grad_roots, retain_graph=None, create_graph=False,
                 inputs=None, capture=False, allow_unused=False):
    """Backpropagate ``grad_roots`` from ``roots``.

    With ``capture`` the gradients reaching ``inputs`` are returned instead of
    accumulated (``autograd.grad``); otherwise leaves accumulate into ``.grad``
    (all of them, or only ``inputs`` when given).
    """
    global _Tensor
    if _Tensor is None:
        _Tensor = _tensor_class()
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
    """The backward pass running: which nodes it reaches and, given ``inputs``, which it runs."""

    __slots__ = ("dependencies", "needed", "__weakref__")

    def __init__(self, dependencies, needed):
        self.dependencies = dependencies
        self.needed = needed


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
    dependencies = _count_dependencies(root_edges)
    capture_at = {}
    needed = None
    if targets is not None:
        for node, output_nr in targets:
            if node is not None:
                capture_at.setdefault(node, set()).add(output_nr)
        needed = _needed_nodes(dependencies, capture_at)
    _TASK.current = GraphTask(dependencies, needed)
    # NOTE [array gradients]: without create_graph, targets or listeners, a
    # gradient on its way between two plain nodes is a bare array: the node's
    # array formula takes and gives arrays, and only what a leaf keeps or what a
    # hook or a tensor formula sees is wrapped as a Tensor. Buffers may so hold
    # both; ``_as_tensors`` and ``_add_grads`` make them meet.
    arrays = not create_graph and needed is None
    captured = {}
    buffers = {}
    ready = []
    tiebreak = itertools.count()
    heappush, heappop = heapq.heappush, heapq.heappop

    def deliver(node, output_nr, grad):
        """Add ``grad`` into the input buffer of ``node``; queue it when complete."""
        buffer = buffers.get(node)
        if buffer is None:
            buffer = buffers[node] = [None] * node.num_outputs
        if grad is not None:
            previous = buffer[output_nr]
            if previous is None:
                buffer[output_nr] = grad
            else:
                buffer[output_nr] = _add_grads(node, output_nr, previous, grad)
        remaining = dependencies[node] - 1
        dependencies[node] = remaining
        if remaining == 0:
            heappush(ready, (-node._seq, next(tiebreak), node))

    for (node, output_nr), grad in zip(root_edges, grad_roots):
        if node is not None:
            deliver(node, output_nr, grad)

    while ready:
        node = heappop(ready)[2]
        grads = buffers.pop(node)
        if arrays and node._extra is None and not observe.LISTENERS and grads[0] is not None:
            if type(node) is AccumulateGrad:
                if node.variable._extra is None:
                    # A leaf without hooks: the steps below reduce to this.
                    grad = grads[0]
                    grads = None  # so that the leaf may keep the gradient (_accumulate_lean)
                    _accumulate_lean(node.variable, grad)
                    grad = None
                    continue
            elif len(grads) == 1:
                # The common case, kept lean: one gradient in, no hooks, nothing
                # to capture, nobody listening; the same steps as below.
                grads_out = _run_arrays(node, grads)
                grads = None
                if not retain_graph:
                    node.release_saved()
                next_functions = node.next_functions
                for i in range(len(next_functions)):  # by index: zip would hold a gradient
                    next_node, output_nr = next_functions[i]
                    if next_node is None:
                        continue
                    grad = grads_out[i]
                    if dependencies[next_node] == 1 and next_node not in buffers:
                        if type(next_node) is AccumulateGrad and grad is not None and \
                                next_node._extra is None and next_node.variable._extra is None:
                            # A plain leaf's only gradient: queued, it would run next
                            # (AccumulateGrad comes first), so it runs here at once.
                            dependencies[next_node] = 0
                            grads_out[i] = None  # the leaf may keep it (_accumulate_lean)
                            _accumulate_lean(next_node.variable, grad)
                            grad = None
                            continue
                        # Its only gradient: deliver's work, without the call.
                        buffers[next_node] = [grad] if next_node.num_outputs == 1 else \
                            [grad if i == output_nr else None for i in range(next_node.num_outputs)]
                        dependencies[next_node] = 0
                        heappush(ready, (-next_node._seq, next(tiebreak), next_node))
                    else:
                        deliver(next_node, output_nr, grad)
                grads_out = grad = None  # hold no gradient here (see _accumulate_lean, _stealable)
                continue
        if needed is not None and node not in needed:
            _skip(node, deliver)  # before its hooks: PyTorch does not run the node at all
            continue
        grads = _as_tensors(grads)
        if type(node) is AccumulateGrad:  # a leaf's hooks come before its accumulator's own
            grads[0] = _run_leaf_hooks(node.variable, grads[0])
        if node._extra is not None:
            grads = _run_pre_hooks(node, node._extra, grads)
        if capture_at and node in capture_at:
            for output_nr in capture_at[node]:
                captured[(node, output_nr)] = grads[output_nr]
            if capture and (type(node) is AccumulateGrad or not _feeds_other_targets(node, needed)):
                _skip(node, deliver)
                continue
        if grads[0] is None and (len(grads) == 1 or all(g is None for g in grads)) \
                and not node.runs_without_grads:
            _skip(node, deliver)
            continue
        if type(node) is AccumulateGrad:
            if node.variable._requires_grad:  # not after requires_grad_(False), as in PyTorch
                accumulate_into_leaf(node.variable, grads[0], create_graph)
            if node._extra is not None and node._extra.hooks:
                _run_post_hooks(node, (), grads)
            if observe.LISTENERS:
                observe.emit("node_evaluated", node, tuple(grads), ())
            continue
        try:
            grads_out = _run_node(node, grads, create_graph)
        except Exception:
            if observe.LISTENERS:  # anomaly mode shows where the failing node came from
                observe.emit("node_failed", node)
            raise
        if node._extra is not None and node._extra.hooks:
            grads_out = _run_post_hooks(node, grads_out, grads)
        if observe.LISTENERS:
            observe.emit("node_evaluated", node, tuple(grads), tuple(grads_out))
        if not retain_graph:
            node.release_saved()
        for (next_node, output_nr), grad in zip(node.next_functions, grads_out):
            if next_node is not None:
                deliver(next_node, output_nr, grad)
        grads_out = grad = grads = None  # hold no gradient here (see _stealable)
    return captured


def _as_tensors(grads):
    """The buffer's gradients as Tensors (a lean node may have delivered bare arrays)."""
    Tensor = _tensor_class()
    for i, grad in enumerate(grads):
        if grad is not None and type(grad) is not Tensor:
            grads[i] = Tensor._make(grad)
    return grads


def _add_grads(node, output_nr, previous, grad):
    """Sum two gradients for one input; arrays stay arrays when they agree in shape and dtype."""
    Tensor = _tensor_class()
    if type(previous) is not Tensor and type(grad) is not Tensor and \
            previous.shape == grad.shape and previous.dtype == grad.dtype:
        summed = previous + grad
    else:
        previous, grad = _as_tensors([previous, grad])
        summed = previous + grad
    if observe.LISTENERS:
        previous, grad, summed = _as_tensors([previous, grad, summed])
        observe.emit("grad_summed", node, output_nr, previous, grad, summed)
    return summed


def _run_arrays(node, grads):
    """Run a node on bare arrays (NOTE [array gradients]): a list of its gradients, fitted to
    its inputs (a list, so that the caller can hand one on and drop its own reference)."""
    backward_arrays = node.backward_arrays
    if backward_arrays is None:
        return list(_fit_to_inputs(node, node.apply(_as_tensors(grads))))
    grad = grads[0]
    if type(grad) is _Tensor:
        grad = grad._data
    result = backward_arrays(grad)
    if result is NotImplemented:
        return list(_fit_to_inputs(node, node.apply(_as_tensors(grads))))
    fitted = list(result) if type(result) is tuple else [result]
    meta = node._input_meta
    for i in range(len(fitted)):
        data = fitted[i]
        if data is None:
            continue
        if type(data) is not np.ndarray:
            data = fitted[i] = _array(data)  # numpy gives results of 0-d operands as scalars
        if meta is not None:
            wanted = meta[i]
            if wanted is not None and (data.shape != wanted[0] or data.dtype != wanted[1]):
                fitted[i] = _fit_array(data, wanted[0], wanted[1])
    return fitted


def _fit_array(data, shape, dtype):
    """``_fit_to_inputs`` for one bare array: summed to ``shape`` as ``sum_to`` sums, cast to ``dtype``."""
    if data.shape != shape:
        data = _reduction().sum_to_array(data, shape)
    if data.dtype != dtype:
        data = data.astype(dtype)
    return data


def _run_node(node, grads, create_graph):
    """Run ``node``; its gradients for its inputs, fitted to them (``_fit_to_inputs``).

    With ``create_graph`` the formula must be recorded, so it runs as engine
    ops (``node.apply``); otherwise the array formula, when the node has one and
    accepts these operands, gives the same values without a tensor per step.
    """
    if node.backward_arrays is not None and not create_graph:
        result = node.backward_arrays(grads[0]._data)
        if result is not NotImplemented:
            make = _tensor_class()._make
            if type(result) is not tuple:
                data = _array(result)
                wanted = node._input_meta[0] if node._input_meta else None
                if wanted is not None and data.shape == wanted[0] and data.dtype == wanted[1]:
                    return (make(data),)  # already fitted, as it mostly is
                return _fit_to_inputs(node, (make(data),))
            return _fit_to_inputs(
                node, tuple([None if data is None else make(_array(data)) for data in result]))
    return _fit_to_inputs(node, node.apply(grads))


def _array(data):
    """``data`` as an array: numpy gives results of 0-d operands as scalars."""
    if type(data) is not np.ndarray and isinstance(data, np.generic):
        return np.asarray(data)
    return data


def _fit_to_inputs(node, grads_out):
    """Reduce each gradient to its input's shape and dtype (PyTorch's validate_outputs)."""
    meta = node._input_meta
    if meta is None:
        return grads_out
    if len(meta) == 1 and len(grads_out) == 1:  # the common case, checked without a loop
        grad, wanted = grads_out[0], meta[0]
        if grad is None or wanted is None or (
                grad._data.shape == wanted[0] and grad._data.dtype == wanted[1]):
            return grads_out
    fitted = None
    for i, (grad, wanted) in enumerate(zip(grads_out, meta)):
        if grad is None or wanted is None:
            continue
        shape, dtype = wanted
        data = grad._data
        if data.shape != shape or data.dtype != dtype:
            if fitted is None:
                fitted = list(grads_out)
            if data.shape != shape:
                grad = _reduction().sum_to(grad, shape)
            if grad._data.dtype != dtype:
                grad = grad.to(dtype=dtypes.from_numpy(dtype))
            fitted[i] = grad
    return grads_out if fitted is None else tuple(fitted)


def _feeds_other_targets(node, needed):
    return any(n is not None and n in needed for n, _ in node.next_functions)


def _skip(node, deliver):
    """Pass no gradient on, so nodes below still become ready."""
    for next_node, output_nr in node.next_functions:
        if next_node is not None:
            deliver(next_node, output_nr, None)


def _run_pre_hooks(node, extra, grads):
    """Tensor hooks, then retain_grad, then the node's own pre-hooks (PyTorch's order)."""
    tensor_hooks = extra.tensor_pre_hooks
    if tensor_hooks:
        for output_nr, hooks in tensor_hooks.items():
            for hook in tuple(hooks.values()):
                if grads[output_nr] is None:
                    continue
                replaced = hook(grads[output_nr])
                if observe.LISTENERS:
                    observe.emit("hook_fired", "tensor", node, grads[output_nr], replaced)
                if replaced is not None:
                    _check_hook_value(hook, grads[output_nr], replaced)
                    grads[output_nr] = replaced
    if extra.retains_grad:
        for output_nr, tensor_ref in extra.retains_grad.items():
            tensor = tensor_ref()
            if tensor is not None and grads[output_nr] is not None:
                _store_retained_grad(tensor, grads[output_nr])
    if extra.pre_hooks:
        for hook in tuple(extra.pre_hooks.values()):
            replaced = hook(tuple(grads))
            if observe.LISTENERS:
                observe.emit("hook_fired", "node_pre", node, tuple(grads), replaced)
            if replaced is not None:
                _check_hook_values(hook, grads, replaced)
                grads = list(replaced)
    return grads


def _run_post_hooks(node, grads_out, grads):
    """A node's hooks, ``hook(grad_inputs, grad_outputs)``; each may replace grad_inputs."""
    for hook in tuple(node._extra.hooks.values()):
        replaced = hook(tuple(grads_out), tuple(grads))
        if observe.LISTENERS:
            observe.emit("hook_fired", "node", node, tuple(grads), tuple(grads_out))
        if replaced is not None:
            _check_hook_values(hook, grads_out, replaced)
            grads_out = tuple(replaced)
    return grads_out


def _hook_name(hook):
    return getattr(hook, "__name__", type(hook).__name__)


def _check_hook_values(hook, before, after):
    """PyTorch's checks on what a node hook returned: a tuple of as many values, each as
    ``_check_hook_value``."""
    if not isinstance(after, tuple):
        raise TypeError(f"expected tuple, but hook returned '{type(after).__name__}'")
    if len(after) != len(before):
        raise RuntimeError(
            f"hook '{_hook_name(hook)}' has returned an incorrect number of values (got "
            f"{len(after)}, but expected {len(before)})")
    for old, new in zip(before, after):
        if new is not None:
            _check_hook_value(hook, old, new)


def _check_hook_value(hook, old, new):
    """A hook may change a gradient's values, never its type, size or dtype (PyTorch's texts)."""
    if not isinstance(new, _tensor_class()):
        raise TypeError(f"expected Variable, but hook returned '{type(new).__name__}'")
    if old is None:
        return
    old_data = old._data if isinstance(old, _tensor_class()) else old
    new_data = new._data
    if old_data.shape != new_data.shape:
        raise RuntimeError(f"hook '{_hook_name(hook)}' has changed the size of value")
    if old_data.dtype != new_data.dtype:
        from .node import legacy_type_name
        was = old if isinstance(old, _tensor_class()) else _tensor_class()._make(old_data)
        raise RuntimeError(
            f"hook '{_hook_name(hook)}' has changed the type of value (was "
            f"{legacy_type_name(was)} got {legacy_type_name(new)})")


def _run_leaf_hooks(tensor, grad):
    extra = tensor._extra
    if extra is None or grad is None:
        return grad
    for hook in tuple(extra.get("hooks", {}).values()):
        replaced = hook(grad)
        if observe.LISTENERS:
            observe.emit("hook_fired", "tensor", tensor, grad, replaced)
        if replaced is not None:
            _check_hook_value(hook, grad, replaced)
            grad = replaced
    return grad


def _store_retained_grad(tensor, grad):
    before = tensor._grad
    if before is None:
        tensor._grad = grad if STATE.enabled else grad.detach().clone()
    else:
        tensor._grad = before + grad
    if observe.LISTENERS:
        observe.emit("grad_retained", tensor, before, tensor._grad)


# References to a gradient that only the engine holds, counted inside _stealable:
# the popped input buffer, accumulate_into_leaf's parameter, _stealable's
# parameter and getrefcount's own argument. Its array: the tensor's slot, the
# local name and getrefcount's argument. Any other holder (a second consumer
# of the same gradient, a hook, a view) adds one, and then the gradient is copied.
_ENGINE_ONLY_TENSOR_REFS = 4
_ENGINE_ONLY_ARRAY_REFS = 3


def _stealable(grad):
    """True when ``grad`` and its array are referenced by the engine alone."""
    data = grad._data
    return (type(data) is np.ndarray and data.base is None and data.flags.writeable
            and grad._grad_fn is None and grad._extra is None
            and sys.getrefcount(grad) <= _ENGINE_ONLY_TENSOR_REFS
            and sys.getrefcount(data) <= _ENGINE_ONLY_ARRAY_REFS)


class CopyBackwards(Node):
    """``.grad`` set under create_graph: PyTorch copies the gradient into a fresh tensor of
    the leaf's layout (``new_empty_strided(...).copy_(grad)``), recording this node."""

    __slots__ = ()
    formula = "a copy: the gradient passes through to the source"

    def backward(self, grad):
        return None, grad


def _copy_recorded(grad):
    out = _Tensor._make(grad._data.copy())
    node = CopyBackwards(((None, 0), edge_of(grad)))
    node._input_meta = (None, (grad._data.shape, grad._data.dtype))
    out._grad_fn = node
    if observe.LISTENERS:
        observe.emit("node_created", node, (None, grad), (out,))
    return out


def accumulate_into_leaf(variable, grad, create_graph=False):
    """``variable.grad += grad`` as PyTorch's AccumulateGrad does it, then post hooks."""
    if grad is None:
        return
    before = variable._grad
    listening = bool(observe.LISTENERS)
    snapshot = before.detach().clone() if listening and before is not None else None
    if before is None:
        if create_graph:
            variable._grad = _copy_recorded(grad) if grad._grad_fn is not None else grad
        elif _stealable(grad):
            variable._grad = grad  # nobody else holds it: keep it instead of copying (as PyTorch)
        else:
            variable._grad = grad.detach().clone()
    elif create_graph or STATE.enabled:
        variable._grad = before + grad
    else:
        before._data += grad._data  # in place, so aliases of .grad see it (PyTorch does too)
    if listening:
        observe.emit("grad_accumulated", variable, snapshot, variable._grad)
    extra = variable._extra
    if extra is not None:
        for hook in tuple(extra.get("post_accumulate_hooks", {}).values()):
            hook(variable)
            if listening:
                observe.emit("hook_fired", "post_accumulate", variable, variable._grad, None)


def _owns_memory(array):
    """Whether ``array`` alone reaches its memory: it owns it, or it is a contiguous
    view of all of an array nothing else holds (a product's gradient transposed
    back, see ``_column_major`` in ops/linalg.py); the caller checks who holds ``array``."""
    base = array.base
    if base is None:
        return True
    # References to the base: the view's, the local here and getrefcount's argument.
    return (type(base) is np.ndarray and base.base is None and base.size == array.size
            and array.flags.c_contiguous and sys.getrefcount(base) <= 3)


def _accumulate_lean(variable, grad):
    """``accumulate_into_leaf`` for a leaf without hooks, nobody listening, create_graph off.

    ``grad`` is an array or a Tensor (NOTE [array gradients]). A fresh gradient
    only the engine holds becomes ``.grad`` as it is; any other is copied. The
    engine alone holds it when it has three references here: the caller's local
    (the caller drops every other), this parameter and getrefcount's argument
    (for a Tensor's array: the Tensor's slot, the local and the argument).
    """
    Tensor = _Tensor
    if type(grad) is Tensor:
        if grad._grad_fn is None and grad._extra is None and sys.getrefcount(grad) <= 3:
            tensor, grad = grad, grad._data
        else:
            tensor, grad = None, grad._data.copy()
    else:
        tensor = None
    before = variable._grad
    if before is None:
        if not (type(grad) is np.ndarray and grad.flags.writeable and sys.getrefcount(grad) <= 3
                and _owns_memory(grad)):
            tensor, grad = None, grad.copy()
        variable._grad = tensor if tensor is not None else Tensor._make(grad)
    elif STATE.enabled:
        variable._grad = before + Tensor._make(grad)
    else:
        before._data += grad  # in place, so aliases of .grad see it (PyTorch does too)
