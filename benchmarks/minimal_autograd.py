"""The least a Python autograd can do for the MLP step of ``engine.py`` (b).

Not a library: a tensor with three slots, one closure-free backward function
per op, and a backward pass that walks the graph once. No dtype promotion, no
version counters, no saved-tensor checks, no hooks, no grad mode, no error
messages. Measured next to the engine it shows what Python itself costs for
the step (a few percent over hand-written numpy) and so how much of the
engine's overhead is its own bookkeeping.
"""
import numpy as np


class Value:
    __slots__ = ("data", "grad", "backward")

    def __init__(self, data, backward=None):
        self.data = data
        self.grad = None
        self.backward = backward   # (function, inputs...) or None for a leaf

    def __matmul__(self, other):
        return Value(self.data @ other.data, (_matmul_backward, self, other))

    def __add__(self, other):
        return Value(self.data + other.data, (_add_backward, self, other))


def _matmul_backward(grad, a, b):
    return (grad @ b.data.T if a.backward is not None else None), a.data.T @ grad


def _add_backward(grad, a, b):
    return grad, grad.sum(axis=0)


def _relu_backward(grad, a, out):
    return (grad * (out > 0),)


def relu(a):
    out = np.maximum(a.data, 0)
    return Value(out, (_relu_backward, a, out))


def _cross_entropy_backward(grad, logits, probs, labels):
    rows = np.arange(len(labels))
    g = probs.copy()
    g[rows, labels] -= 1
    return (g * (grad / len(labels)),)


def cross_entropy(logits, labels):
    shifted = logits.data - logits.data.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    probs = exp / exp.sum(axis=1, keepdims=True)
    loss = -np.log(probs[np.arange(len(labels)), labels]).mean()
    return Value(loss, (_cross_entropy_backward, logits, probs, labels))


def backward(root, leaves):
    """Gradients of ``root`` into the ``.grad`` of ``leaves`` (a set of ids)."""
    order, seen, stack = [], set(), [(root, False)]
    while stack:   # depth-first, each value after everything it feeds
        value, expanded = stack.pop()
        if expanded:
            order.append(value)
        elif value.backward is not None and id(value) not in seen:
            seen.add(id(value))
            stack.append((value, True))
            stack.extend((v, False) for v in value.backward[1:] if isinstance(v, Value))
    grads = {id(root): np.float32(1.0)}
    for value in reversed(order):
        function, *inputs = value.backward
        for input, grad in zip(inputs, function(grads.pop(id(value)), *inputs)):
            if grad is None or not isinstance(input, Value):
                continue
            if input.backward is not None:
                key = id(input)
                grads[key] = grads[key] + grad if key in grads else grad
            elif id(input) in leaves:
                input.grad = grad if input.grad is None else input.grad + grad
