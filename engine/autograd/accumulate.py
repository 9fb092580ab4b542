"""Step 4 of the backward pass: a leaf's gradient added into its ``.grad``.

A fresh gradient the engine alone holds becomes ``.grad`` as it is, as
PyTorch's AccumulateGrad steals it (NOTE [reusing a gradient] in reuse.py);
any other is copied, and later gradients add into ``.grad`` in place.
"""
import numpy as np

from .. import observe
from .grad_mode import STATE
from .node import Node, _tensor_class, edge_of
from .reuse import only_engine_holds, owns_memory


class CopyBackwards(Node):
    """``.grad`` set under create_graph: PyTorch copies the gradient into a fresh tensor of
    the leaf's layout (``new_empty_strided(...).copy_(grad)``), recording this node."""

    __slots__ = ()
    formula = "a copy: the gradient passes through to the source"

    def backward(self, grad):
        return None, grad


def _copy_recorded(grad):
    out = _tensor_class()._make(grad._data.copy())
    node = CopyBackwards(((None, 0), edge_of(grad)))
    node._input_meta = (None, (grad._data.shape, grad._data.dtype))
    out._grad_fn = node
    if observe.LISTENERS:
        observe.emit("node_created", node, (None, grad), (out,))
    return out


def accumulate_into_leaf(variable, grad, create_graph=False):
    """``variable.grad += grad`` as PyTorch's AccumulateGrad does it, then post hooks.

    ``grad`` comes from a list (the input buffer or the gradients handed to
    ``AccumulateGrad.apply``) that holds it: with this parameter, the
    ``ENGINE_HOLDERS`` of a gradient nobody else holds.
    """
    if grad is None:
        return
    before = variable._grad
    listening = bool(observe.LISTENERS)
    snapshot = before.detach().clone() if listening and before is not None else None
    if before is None:
        if create_graph:
            variable._grad = _copy_recorded(grad) if grad._grad_fn is not None else grad
        elif _fresh(grad) and only_engine_holds(grad):
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


def _fresh(grad):
    """A gradient tensor with no history or hooks whose array owns its memory, which the
    tensor's slot and the local name here alone hold."""
    data = grad._data
    return (type(data) is np.ndarray and data.base is None and data.flags.writeable
            and grad._grad_fn is None and grad._extra is None and only_engine_holds(data))


def accumulate_lean(variable, grad):
    """``accumulate_into_leaf`` for a leaf without hooks, nobody listening, create_graph off.

    ``grad`` is an array or a Tensor (NOTE [array gradients] in engine.py),
    held only by the caller's local (the caller drops every other reference)
    and this parameter when nobody else holds it.
    """
    Tensor = _tensor_class()
    if type(grad) is Tensor:
        if grad._grad_fn is None and grad._extra is None and only_engine_holds(grad):
            tensor, grad = grad, grad._data  # the array's holders: the tensor's slot, this local
        else:
            tensor, grad = None, grad._data.copy()
    else:
        tensor = None
    before = variable._grad
    if before is None:
        if not (type(grad) is np.ndarray and grad.flags.writeable and only_engine_holds(grad)
                and owns_memory(grad)):
            tensor, grad = None, grad.copy()
        variable._grad = tensor if tensor is not None else Tensor._make(grad)
    elif STATE.enabled:
        variable._grad = before + Tensor._make(grad)
    else:
        before._data += grad  # in place, so aliases of .grad see it (PyTorch does too)
