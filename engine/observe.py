"""Observation hooks: watch the engine build graphs and run backward.

A *listener* is any object with some of the methods below; the engine calls
those it has, in the order things happen:

- ``node_created(node, inputs, outputs)``: an op recorded a Function node.
- ``backward_started(roots, grad_roots)``: a backward / ``autograd.grad`` call began.
- ``grad_summed(node, input_nr, before, added, after)``: two gradients met at one
  input of ``node`` and were summed before it runs.
- ``node_evaluated(node, grads_in, grads_out)``: ``node`` ran (its gradients in
  and out, as tensors or None).
- ``node_failed(node)``: ``node`` raised while running (the error then propagates).
- ``grad_accumulated(tensor, before, after)``: a leaf's ``.grad`` changed (before
  is None on the first store).
- ``grad_retained(tensor, before, after)``: a non-leaf with ``retain_grad()`` got its ``.grad``.
- ``hook_fired(kind, target, grad_in, grad_out)``: a user hook ran.
- ``backward_finished(roots)``: the backward call returned (or raised).
- ``version_bumped(tensor, version)``: an in-place op changed a tensor.
- ``data_written(tensor)``: ``tensor.data = ...`` swapped its storage.
- ``module_entered(module)`` / ``module_exited(module)``: an ``nn.Module`` call began /
  returned (or raised); the nodes created between were made by that call.

With no listener registered every notification is one falsy list test.
"""
import contextlib

LISTENERS = []


def add_listener(listener):
    LISTENERS.append(listener)


def remove_listener(listener):
    LISTENERS.remove(listener)


@contextlib.contextmanager
def listening(listener):
    """Register ``listener`` for the duration of a ``with`` block."""
    add_listener(listener)
    try:
        yield listener
    finally:
        remove_listener(listener)


def emit(event, *args):
    """Call ``event`` on every listener that defines it (callers test LISTENERS first)."""
    for listener in tuple(LISTENERS):
        method = getattr(listener, event, None)
        if method is not None:
            method(*args)
