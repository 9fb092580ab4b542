"""In-place ops: the checks PyTorch makes, then an out-of-place result written back.

An in-place op is computed out of place (so an error leaves nothing
half-changed), then copied into the target's storage; the target's version
counter is bumped and, when recorded, the new node becomes its grad_fn.
"""
import re

import numpy as np

from .. import observe
from ..autograd import inference
from ..autograd.grad_mode import STATE
from ..autograd.node import SavedTensor, VersionCounter
from ..tensor import Tensor

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
        op = None if indexed is None else _last_view_op(indexed, key)
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


def _last_view_op(tensor, key):
    """The last view op (as PyTorch's errors name it) that ``tensor[key]`` makes before it
    writes, or None when the key makes no view (full slices, an Ellipsis, tensor indices only)."""
    from .indexing import _specified_dims, index_entries
    entries = index_entries(key)
    shape = list(tensor._data.shape)
    skipped = len(shape) - _specified_dims(entries)  # the dims an Ellipsis stands for
    dim, op = 0, None  # dim: position in the view made so far, as apply_slicing counts it
    for entry in entries:
        if entry is None:
            shape.insert(dim, 1)
            dim, op = dim + 1, "Unsqueeze"
        elif entry is Ellipsis:
            dim += skipped
        elif isinstance(entry, (int, np.integer)) and not isinstance(entry, bool):
            shape.pop(dim)
            op = "Select"
        elif isinstance(entry, slice):
            start, stop, step = entry.indices(shape[dim])
            if not (start == 0 and stop == shape[dim] and step == 1):
                shape[dim] = len(range(start, stop, step))
                op = "Slice"
            dim += 1
        else:  # a tensor index: indexed (index_put) on the view made so far
            dim += 1
    return op


def _from_multi_output_view(node, base):
    """True when the chain of view nodes from ``node`` back to ``base`` passes an op that
    returns several views (PyTorch hands that on to views of such a view)."""
    stop = base._grad_fn
    while node is not None and node is not stop and node.next_functions:
        if type(node).__name__ in MULTI_OUTPUT_VIEW_NODES:
            return True
        node = node.next_functions[0][0]
    return False


def apply_inplace(target, compute, c_type_names=False):
    """Run ``compute()`` (an out-of-place op returning a Tensor) and store it into ``target``.

    ``c_type_names``: the cast error names the target's type as C++ does (``long int``),
    as PyTorch's scalar-bound ``clamp_`` kernels word it.
    """
    check_inplace(target)
    result = compute()
    data = result._data
    if data.dtype != target._data.dtype:
        if data.dtype.kind == "f" and target._data.dtype.kind != "f":
            names = _C_TYPE_NAMES if c_type_names else _SCALAR_NAMES
            raise RuntimeError(
                f"result type {_scalar_name(data.dtype)} can't be cast to the desired output "
                f"type {names.get(target._data.dtype.str[1:], str(target._data.dtype))}")
        data = data.astype(target._data.dtype)
    if data.shape != target._data.shape:
        raise RuntimeError(
            f"output with shape [{', '.join(map(str, target._data.shape))}] doesn't match the "
            f"broadcast shape [{', '.join(map(str, data.shape))}]")
    node = result._grad_fn
    if node is not None:
        _keep_original_inputs(node, target)
    base = target._base
    if base is not None and STATE.enabled and (node is not None or base.requires_grad):
        # A write through a view of a tracked base: record it on the base as
        # ``view[...] = result`` does (CopySlices), as PyTorch rebases the history.
        from .setitem import setitem
        setitem(target, Ellipsis, result)
        if observe.LISTENERS:
            observe.emit("version_bumped", target, target._version_counter.value)
            observe.emit("inplace", target._grad_fn, target)
        return target
    if not target._data.flags.writeable:
        raise RuntimeError(
            "unsupported operation: more than one element of the written-to tensor refers to a "
            "single memory location. Please clone() the tensor before performing the operation.")
    target._data[...] = data
    target._version_counter.value += 1
    if node is not None:
        _retarget_saved_result(node, target)
        target._grad_fn = node
        target._output_nr = 0
    if observe.LISTENERS:
        observe.emit("version_bumped", target, target._version_counter.value)
        observe.emit("inplace", node, target)
    return target


def _broadcasts_to(shape, target):
    """True when ``shape`` broadcasts to ``target`` (``shape`` has no more dims)."""
    return all(s == 1 or s == t for s, t in zip(reversed(shape), reversed(target)))


def try_direct(target, ufunc, other):
    """``target op= other`` straight into target's storage when nothing is recorded.

    The common untracked case (an SGD update under ``no_grad``, ``x.grad.data.zero_()``
    style edits) then costs one pass and no temporary, like numpy's own ``-=``.
    ``ufunc`` is numpy's (``np.subtract``). Returns False, having done nothing,
    whenever the general path is needed.
    """
    data = target._data
    if type(data) is not np.ndarray or not data.flags.writeable:
        return False
    other_is_tensor = type(other) is Tensor or isinstance(other, Tensor)
    if STATE.enabled and (target.requires_grad or (other_is_tensor and other.requires_grad)
                          or (target._extra is not None and "base" in target._extra)):
        return False  # recorded, or a view whose base may be (check_inplace decides)
    if other_is_tensor:
        operand = other._data
        if operand.dtype != data.dtype or operand.ndim > data.ndim or (
                operand.shape != data.shape and not _broadcasts_to(operand.shape, data.shape)):
            return False  # the general path decides (and words a mismatch as PyTorch does)
    elif type(other) is float or type(other) is int:
        if data.dtype.kind != "f":
            return False
        operand = other
    else:
        return False
    counter = target._counter
    if counter is None:
        counter = target._counter = VersionCounter()
    try:
        version = counter.value
    except RuntimeError:
        return False  # an inference tensor outside inference mode: check_inplace raises
    ufunc(data, operand, data)  # out given by position: numpy parses keywords slower
    counter.value = version + 1
    if observe.LISTENERS:
        observe.emit("version_bumped", target, counter.value)
        observe.emit("inplace", None, target)
    return True


def _keep_original_inputs(node, target):
    """A saved input that is the target would be overwritten: save its old value instead."""
    saved = list(node._saved)
    changed = False
    for i, value in enumerate(saved):
        if type(value) is SavedTensor and value.tensor is target:
            original = Tensor._make(target._data.copy())
            saved[i] = SavedTensor(original)
            changed = True
    if changed:
        node._saved = tuple(saved)


def _retarget_saved_result(node, target):
    """A saved output now lives in the target (see NOTE [saved outputs] in node.py)."""
    for value in node._saved:
        if type(value) is SavedTensor and value.tensor is None and not value.is_freed:
            value.data = target._data
            value.counter = target._version_counter
            value.version = target._version_counter.value


_SCALAR_NAMES = {"f4": "Float", "f8": "Double", "f2": "Half", "i8": "Long", "i4": "Int",
                 "i2": "Short", "i1": "Char", "u1": "Byte", "b1": "Bool"}


_C_TYPE_NAMES = {"f4": "float", "f8": "double", "f2": "c10::Half", "i8": "long int", "i4": "int",
                 "i2": "short int", "i1": "signed char", "u1": "unsigned char", "b1": "bool"}


def _scalar_name(np_dtype):
    return _SCALAR_NAMES.get(np_dtype.str[1:], str(np_dtype))


def inplace_variant(fn):
    """``x.exp_()`` from ``exp``: compute out of place, then write into ``x``."""
    def inplace(self, *args, **kwargs):
        return apply_inplace(self, lambda: fn(self, *args, **kwargs))
    inplace.__name__ = inplace.__qualname__ = fn.__name__ + "_"
    inplace.__doc__ = f"In-place ``{fn.__name__}``."
    return inplace
