"""The bookkeeping a PyTorch-faithful autograd cannot skip, for the MLP step of ``engine.py`` (b).

A sketch, not a library: only the five ops of the step, written straight through.
Unlike ``minimal_autograd.py`` it keeps what PyTorch's semantics need and the
engine must therefore do on every op: a tensor with the engine's slots; a Function
node with ``next_functions``, a sequence number, saved values and input metadata;
saved tensors that capture a version counter and are checked when unpacked; an
``AccumulateGrad`` node per leaf; grad mode and requires-grad tests; dtype and
shape checks. Backward counts dependencies, runs ready nodes by sequence number,
fits gradients to their inputs' shapes, frees saved values and lets a leaf keep
a fresh gradient. An SGD update checks grad mode and bumps the version.

What it leaves out, and the engine has: hooks, listeners, create_graph, dtype
promotion, general broadcasting, PyTorch's error texts, every other op. Next to
the engine and ``minimal_autograd`` it shows how far bookkeeping alone is from
hand-written numpy.
"""
import heapq
import itertools
import sys
import weakref

import numpy as np

_sequence = itertools.count()
_FREED = object()
_INFINITY = float("inf")


class GradMode:
    enabled = True


class VersionCounter:
    __slots__ = ("value",)

    def __init__(self):
        self.value = 0


class Tensor:
    __slots__ = ("data", "requires_grad", "grad", "grad_fn", "output_nr", "counter",
                 "grad_accumulator", "extra", "__weakref__")

    def __matmul__(self, other):
        return matmul(self, other)

    def __add__(self, other):
        return add(self, other)

    def __rmul__(self, number):
        return make(self.data * number)

    def __isub__(self, other):
        data, operand = self.data, other.data
        if not data.flags.writeable or (GradMode.enabled and self.requires_grad):
            raise RuntimeError("in-place update of a leaf that requires grad")
        if operand.dtype != data.dtype or operand.shape != data.shape:
            raise RuntimeError("in-place update with another dtype or shape")
        np.subtract(data, operand, data)
        counter = self.counter
        if counter is None:
            counter = self.counter = VersionCounter()
        counter.value += 1
        return self


def make(data, requires_grad=False):
    tensor = object.__new__(Tensor)
    tensor.data = data
    tensor.requires_grad = requires_grad
    tensor.grad = None
    tensor.grad_fn = None
    tensor.output_nr = 0
    tensor.counter = None
    tensor.grad_accumulator = None
    tensor.extra = None
    return tensor


class Saved:
    """A saved input (the tensor) or output (its array), with the version it had."""

    __slots__ = ("tensor", "data", "version", "counter")

    def __init__(self, tensor, output=False):
        counter = tensor.counter
        if counter is None:
            counter = tensor.counter = VersionCounter()
        self.counter = counter
        self.version = counter.value
        self.tensor, self.data = (None, tensor.data) if output else (tensor, None)

    def unpack(self):
        if self.data is _FREED:
            raise RuntimeError("backward through the graph a second time")
        if self.counter.value != self.version:
            raise RuntimeError("modified by an inplace operation")
        return self.data if self.tensor is None else self.tensor.data


class Node:
    __slots__ = ("next_functions", "sequence", "saved", "extra", "input_meta", "__weakref__")

    def __init__(self, next_functions, saved, input_meta):
        self.next_functions = next_functions
        self.sequence = next(_sequence)
        self.saved = saved
        self.extra = None
        self.input_meta = input_meta

    def release(self):
        for value in self.saved:
            if type(value) is Saved:
                value.tensor = None
                value.data = _FREED


class AccumulateGrad(Node):
    __slots__ = ("variable",)

    def __init__(self, variable):
        self.next_functions = ()
        self.sequence = _INFINITY
        self.saved = ()
        self.extra = None
        self.input_meta = None
        self.variable = variable


def edge(tensor):
    if tensor.grad_fn is not None:
        return (tensor.grad_fn, tensor.output_nr)
    if tensor.requires_grad:
        accumulator = tensor.grad_accumulator() if tensor.grad_accumulator is not None else None
        if accumulator is None:
            accumulator = AccumulateGrad(tensor)
            tensor.grad_accumulator = weakref.ref(accumulator)
        return (accumulator, 0)
    return (None, 0)


def _tracked(tensor):
    return tensor.grad_fn is not None or tensor.requires_grad


# ------------------------------------------------------------------- ops
class MmBackward0(Node):
    __slots__ = ()

    def run(self, grad):
        grad_self = grad_other = None
        if self.next_functions[0][0] is not None:
            grad_self = grad @ self.saved[0].unpack().T
        if self.next_functions[1][0] is not None:
            grad_other = self.saved[1].unpack().T @ grad
        return [grad_self, grad_other]


def matmul(a, b):
    x, y = a.data, b.data
    if x.ndim != 2 or y.ndim != 2 or x.dtype != y.dtype or x.shape[1] != y.shape[0]:
        raise RuntimeError("mat1 and mat2 shapes cannot be multiplied")
    out = make(x @ y)
    if GradMode.enabled and (_tracked(a) or _tracked(b)):
        out.grad_fn = MmBackward0((edge(a), edge(b)), (Saved(b), Saved(a)),
                                  ((x.shape, x.dtype), (y.shape, y.dtype)))
    return out


class AddBackward0(Node):
    __slots__ = ()

    def run(self, grad):
        return [grad, grad]


def add(a, b):
    x, y = a.data, b.data
    if x.dtype != y.dtype:
        raise RuntimeError("dtypes differ")
    if x.shape != y.shape and y.shape != x.shape[len(x.shape) - len(y.shape):]:
        raise RuntimeError("shapes do not broadcast")
    out = make(x + y)
    if GradMode.enabled and (_tracked(a) or _tracked(b)):
        out.grad_fn = AddBackward0((edge(a), edge(b)), (1,),
                                   ((x.shape, x.dtype), (y.shape, y.dtype)))
    return out


class ReluBackward0(Node):
    __slots__ = ()

    def run(self, grad):
        mask = np.asarray(np.greater(self.saved[0].unpack(), 0)).view(np.int8)
        np.negative(mask, out=mask)
        return [np.bitwise_and(grad.view(np.int32), mask, dtype=np.int32).view(grad.dtype)]


def relu(a):
    x = a.data
    out = make(np.maximum(x, 0))
    if GradMode.enabled and _tracked(a):
        out.grad_fn = ReluBackward0((edge(a),), (Saved(out, output=True),), ((x.shape, x.dtype),))
    return out


class LogSoftmaxBackward0(Node):
    __slots__ = ()

    def run(self, grad):
        result = self.saved[1].unpack()
        return [grad - np.exp(result) * grad.sum(axis=(1,), keepdims=True, dtype=grad.dtype)]


class NllLossBackward0(Node):
    __slots__ = ()

    def run(self, grad):
        rows, labels, total, shape = self.saved[2:]
        out = np.zeros(shape, grad.dtype)
        out[rows, labels] = -(grad / total)
        return [out]


@np.errstate(all="ignore")
def _log_softmax(x):
    shifted = x - x.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def cross_entropy(a, target):
    """``nll_loss(log_softmax(a))``: two nodes, as PyTorch records it."""
    x = a.data
    if x.ndim != 2 or target.data.ndim != 1:
        raise RuntimeError("expected a batch of logits and class indices")
    log_probabilities = make(_log_softmax(x))
    recording = GradMode.enabled and _tracked(a)
    if recording:
        log_probabilities.grad_fn = LogSoftmaxBackward0(
            (edge(a),), (1, Saved(log_probabilities, output=True)), ((x.shape, x.dtype),))
    data, labels = log_probabilities.data, target.data
    if labels.view(np.uint64).max() >= data.shape[1]:
        raise IndexError("Target is out of bounds.")
    rows = np.arange(data.shape[0])
    total = data.dtype.type(data.shape[0])
    out = make(np.asarray(-data[rows, labels].sum() / total, dtype=data.dtype))
    if recording:
        out.grad_fn = NllLossBackward0(
            (edge(log_probabilities),), (-100, 1, rows, labels, np.asarray(total), data.shape),
            ((data.shape, data.dtype),))
    return out


# -------------------------------------------------------------- backward
def backward(root):
    dependencies = {root.grad_fn: 1}
    stack = [root.grad_fn]
    while stack:
        for next_node, _ in stack.pop().next_functions:
            if next_node is None:
                continue
            if next_node in dependencies:
                dependencies[next_node] += 1
            else:
                dependencies[next_node] = 1
                stack.append(next_node)
    GradMode.enabled, previous = False, GradMode.enabled
    buffers = {root.grad_fn: [np.ones_like(root.data)]}
    ready = [(-root.grad_fn.sequence, 0, root.grad_fn)]
    tiebreak = itertools.count(1)
    while ready:
        node = heapq.heappop(ready)[2]
        grads = buffers.pop(node)
        if type(node) is AccumulateGrad:
            grad = grads[0]
            grads = None
            _accumulate(node.variable, grad)
            grad = None
            continue
        out = node.run(grads[0])
        grads = None
        node.release()
        for i, grad in enumerate(out):  # fitted to the input's shape (a bias's batch sum)
            if grad is not None and grad.shape != node.input_meta[i][0]:
                out[i] = grad.sum(axis=0)
        grad = None
        edges = node.next_functions
        for i in range(len(edges)):
            next_node = edges[i][0]
            if next_node is None:
                continue
            buffer = buffers.get(next_node)
            if buffer is None:
                buffers[next_node] = [out[i]]
            else:
                buffer[0] = buffer[0] + out[i]
            out[i] = None
            dependencies[next_node] -= 1
            if dependencies[next_node] == 0:
                heapq.heappush(ready, (-next_node.sequence, next(tiebreak), next_node))
        out = None
    GradMode.enabled = previous


def _accumulate(variable, grad):
    if variable.grad is None:
        # Kept when only the engine holds it: the caller's local, this parameter, the argument.
        if not (grad.base is None and grad.flags.writeable and sys.getrefcount(grad) <= 3):
            grad = grad.copy()
        variable.grad = make(grad)
    else:
        variable.grad.data += grad
