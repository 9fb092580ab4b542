"""The backward pass on bare arrays, for a node nothing asks to see (NOTE [array gradients]
in engine.py): one call, ``run``, from the engine's loop.

It takes the same steps as the engine's general path, for the common case only:
one gradient in, no hooks, nobody listening, nothing to capture, create_graph
off. A node's ``backward_arrays`` (one numpy expression) then replaces its
``backward`` (a tensor per step), and a gradient travels as a bare array.
"""
from heapq import heappush

import numpy as np

from .. import observe
from . import node as _node
from .accumulate import accumulate_lean
from .fitting import as_array, as_tensors, fit_array, fit_to_inputs
from .node import AccumulateGrad


def run(task, node, grads):
    """Run ``node`` on its input buffer ``grads`` the lean way and pass its gradients on;
    False, having done nothing, when the engine's general path must run it.

    The gradients are taken out of ``grads`` (a leaf may then keep one as its
    ``.grad``, NOTE [reusing a gradient] in reuse.py).
    """
    if node._extra is not None or observe.LISTENERS or grads[0] is None:
        return False
    if type(node) is AccumulateGrad:
        if node.variable._extra is not None:
            return False
        grad = grads[0]
        grads[0] = None
        accumulate_lean(node.variable, grad)
        return True
    if len(grads) != 1:
        return False
    node, grads_out = _run_down_chain(task, node, grads)
    _pass_on(task, node, grads_out)
    return True


def _run_down_chain(task, node, grads):
    """Run ``node``, then, down a chain, each next node at once: when the last one run has
    one live edge, to a plain node that waits for nothing else, and no other node is
    ready, the queue would hand that node out next anyway. The last node run and its
    gradients, fitted to its inputs."""
    grad = grads[0]
    grads[0] = None
    dependencies, buffers, ready = task.dependencies, task.buffers, task.ready
    release = not task.retain_graph
    while True:
        grads_out = _run_arrays(node, grad)
        grad = None
        if release:
            node.release_saved()
        if ready:
            return node, grads_out
        next_functions = node.next_functions
        link = _chain_link(next_functions)
        if link is None:
            return node, grads_out
        next_node, output_nr = next_functions[link]
        if grads_out[link] is None or output_nr != 0 or dependencies[next_node] != 1 or \
                type(next_node) is AccumulateGrad or next_node._extra is not None or \
                next_node.num_outputs != 1 or next_node in buffers:
            return node, grads_out
        dependencies[next_node] = 0
        grad = grads_out[link]
        grads_out = None
        node = next_node


def _pass_on(task, node, grads_out):
    """Deliver ``node``'s gradients to the nodes of its inputs; a plain leaf whose only
    gradient this is accumulates it at once (queued, it would run next: AccumulateGrad
    comes first)."""
    dependencies, buffers = task.dependencies, task.buffers
    next_functions = node.next_functions
    for i in range(len(next_functions)):  # by index: zip would hold a gradient
        next_node, output_nr = next_functions[i]
        if next_node is None:
            continue
        grad = grads_out[i]
        if dependencies[next_node] == 1 and next_node not in buffers:
            if type(next_node) is AccumulateGrad and grad is not None and \
                    next_node._extra is None and next_node.variable._extra is None:
                dependencies[next_node] = 0
                grads_out[i] = None  # so that the leaf may keep it
                accumulate_lean(next_node.variable, grad)
                grad = None
                continue
            # Its only gradient: the task's deliver, without the call.
            buffers[next_node] = [grad] if next_node.num_outputs == 1 else \
                [grad if i == output_nr else None for i in range(next_node.num_outputs)]
            dependencies[next_node] = 0
            heappush(task.ready, (-next_node._seq, next(task.tiebreak), next_node))
        else:
            task.deliver(next_node, output_nr, grad)


def _chain_link(next_functions):
    """The index of a node's one live edge (``x * w`` with ``w`` a constant has two edges,
    one to nothing), None when it has several or none."""
    if len(next_functions) == 1:
        return 0
    if len(next_functions) == 2:
        if next_functions[1][0] is None:
            return 0
        if next_functions[0][0] is None:
            return 1
    return None


def _run_arrays(node, grad):
    """Run a node on its one gradient (an array or a Tensor): a list of its gradients,
    fitted to its inputs (a list, so that the caller can hand one on and drop its own
    reference)."""
    backward_arrays = node.backward_arrays
    if backward_arrays is None:
        return list(fit_to_inputs(node, node.apply(as_tensors([grad]))))
    result = backward_arrays(grad._data if type(grad) is _node._Tensor else grad)
    if result is NotImplemented:
        return list(fit_to_inputs(node, node.apply(as_tensors([grad]))))
    fitted = list(result) if type(result) is tuple else [result]
    meta = node._input_meta
    for i in range(len(fitted)):
        data = fitted[i]
        if data is None:
            continue
        if type(data) is not _ndarray:
            data = fitted[i] = as_array(data)  # numpy gives results of 0-d operands as scalars
        if meta is not None:
            wanted = meta[i]
            if wanted is not None and (data.shape != wanted[0] or data.dtype != wanted[1]):
                fitted[i] = fit_array(data, wanted[0], wanted[1])
    return fitted


_ndarray = np.ndarray
