"""The checks PyTorch makes before an in-place change, with its error texts: a leaf that
requires grad, a view of one, a view made under no_grad or inference mode, a view of a
custom Function's output or of an op that returns several views.

Every in-place write is checked here first: ``apply_inplace`` (inplace.py) and
``tensor[key] = value`` (setitem.py) alike.
"""
import re

from ..autograd import inference
from ..autograd.grad_mode import STATE
from .indexing import last_view_op

LEAF_MESSAGE = "a leaf Variable that requires grad is being used in an in-place operation."
VIEW_OF_LEAF_MESSAGE = ("a view of a leaf Variable that requires grad is being used in an "
                        "in-place operation.")
NO_GRAD_VIEW_MESSAGE = (
    "A view was created in no_grad mode and is being modified inplace with grad mode enabled. "
    "Given that this use case is ambiguous and error-prone, it is forbidden. You can clarify "
    "your code by moving both the view and the inplace either both inside the no_grad block (if "
    "you don't want the inplace to be tracked) or both outside (if you want the inplace to be "
    "tracked).")
INFERENCE_VIEW_MESSAGE = (
    "A view was created in inference mode and is being modified inplace in normal mode. Given "
    "that this use case is ambiguous and error-prone, it is forbidden. You can clarify your code "
    "by moving both the view and the inplace either both inside the inference_mode block (if you "
    "don't want the inplace to be tracked) or both outside (if you want the inplace to be "
    "tracked).")
NO_GRAD_VIEW_OF_VIEW_MESSAGE = (
    "Output 0 of {} is a view of a view which was created in no_grad mode and is being modified "
    "inplace with grad mode enabled. Given that this use case is ambiguous and error-prone, it "
    "is forbidden. You can clarify your code by moving both the view and the inplace either both "
    "inside the no_grad block (if you don't want the inplace to be tracked) or both outside (if "
    "you want the inplace to be tracked).")
INFERENCE_VIEW_OF_VIEW_MESSAGE = (
    "Output 0 of {} is a view of a view which was created in inference mode and is being "
    "modified inplace in normal mode. Given that this use case is ambiguous and error-prone, it "
    "is forbidden. You can clarify your code by moving both the view and the inplace either both "
    "inside the inference_mode block (if you don't want the inplace to be tracked) or both "
    "outside (if you want the inplace to be tracked).")
CUSTOM_FUNCTION_VIEW_MESSAGE = (
    "Output {} of {} is a view and is being modified inplace. This view was created inside a "
    "custom Function (or because an input was returned as-is) and the autograd logic to handle "
    "view+inplace would override the custom backward associated with the custom Function, "
    "leading to incorrect gradients. This behavior is forbidden. You can fix this by cloning "
    "the output of the custom Function.")
MULTI_OUTPUT_VIEW_MESSAGE = (
    "Output {} of {} is a view and is being modified inplace. This view is the output of a "
    "function that returns multiple views. Such functions do not allow the output views to be "
    "modified inplace. You should replace the inplace operation by an out-of-place one.")
# Nodes of ops that return several views of one input (chunk records SplitBackward0).
MULTI_OUTPUT_VIEW_NODES = {"UnbindBackward0", "SplitBackward0", "SplitWithSizesBackward0"}


def check_inplace(target, indexed=None, key=None):
    """Raise PyTorch's errors for an in-place change that autograd cannot follow.

    ``indexed``, ``key``: for ``indexed[key] = value``, the tensor the user indexed and
    the key; ``target`` is then the region written, a view made for the write, so
    ``indexed`` is the view whose history counts.
    """
    inference.check_inplace(target)
    if not STATE.enabled:
        return
    if target._grad_fn is None and target._requires_grad:
        raise RuntimeError(LEAF_MESSAGE)
    base = target._base
    if base is None:
        return
    view = target if indexed is None else indexed
    created_in = view._extra.get("created_in") if view._extra is not None else None
    if created_in == "custom_function" and view._grad_fn is not None:
        short = re.sub(r"Backward$", "", type(view._grad_fn).__name__)
        raise RuntimeError(CUSTOM_FUNCTION_VIEW_MESSAGE.format(view._output_nr, short))
    if created_in in ("no_grad", "inference_mode") and (
            base._grad_fn is not None or base._requires_grad):
        op = None if indexed is None else last_view_op(indexed, key)
        if op is not None:  # the write goes through a view of that view
            raise RuntimeError(
                (INFERENCE_VIEW_OF_VIEW_MESSAGE if created_in == "inference_mode"
                 else NO_GRAD_VIEW_OF_VIEW_MESSAGE).format(op))
        raise RuntimeError(
            INFERENCE_VIEW_MESSAGE if created_in == "inference_mode" else NO_GRAD_VIEW_MESSAGE)
    node = target._grad_fn
    if node is not None and _from_multi_output_view(node, base):
        short = re.sub(r"Backward\d*$", "", type(node).__name__)
        raise RuntimeError(MULTI_OUTPUT_VIEW_MESSAGE.format(target._output_nr, short))
    if base._grad_fn is None and base._requires_grad:
        raise RuntimeError(VIEW_OF_LEAF_MESSAGE)


def _from_multi_output_view(node, base):
    """True when the chain of view nodes from ``node`` back to ``base`` passes an op that
    returns several views (PyTorch hands that on to views of such a view)."""
    stop = base._grad_fn
    while node is not None and node is not stop and node.next_functions:
        if type(node).__name__ in MULTI_OUTPUT_VIEW_NODES:
            return True
        node = node.next_functions[0][0]
    return False
