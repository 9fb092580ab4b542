"""Hooks during the backward pass, run and checked as PyTorch runs and checks them.

Before a node: tensor hooks, retain_grad, then the node's pre-hooks; after it,
its hooks; a leaf's hooks come before its accumulator's own. Each hook may
replace gradients, never their type, size or dtype.
"""
from .. import observe
from .grad_mode import STATE
from .node import _tensor_class, legacy_type_name


def run_pre_hooks(node, extra, grads):
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
                store_retained_grad(tensor, grads[output_nr])
    if extra.pre_hooks:
        for hook in tuple(extra.pre_hooks.values()):
            replaced = hook(tuple(grads))
            if observe.LISTENERS:
                observe.emit("hook_fired", "node_pre", node, tuple(grads), replaced)
            if replaced is not None:
                _check_hook_values(hook, grads, replaced)
                grads = list(replaced)
    return grads


def run_post_hooks(node, grads_out, grads):
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
        was = old if isinstance(old, _tensor_class()) else _tensor_class()._make(old_data)
        raise RuntimeError(
            f"hook '{_hook_name(hook)}' has changed the type of value (was "
            f"{legacy_type_name(was)} got {legacy_type_name(new)})")


def run_leaf_hooks(tensor, grad):
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


def store_retained_grad(tensor, grad):
    before = tensor._grad
    if before is None:
        tensor._grad = grad if STATE.enabled else grad.detach().clone()
    else:
        tensor._grad = before + grad
    if observe.LISTENERS:
        observe.emit("grad_retained", tensor, before, tensor._grad)
