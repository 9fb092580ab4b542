"""In-place ops: PyTorch's checks (inplace_checks.py), then an out-of-place result written back.

An in-place op is computed out of place (so an error leaves nothing
half-changed), then copied into the target's storage; the target's version
counter is bumped and, when recorded, the new node becomes its grad_fn.
"""

import numpy as np

from .. import observe
from ..autograd.grad_mode import STATE
from ..autograd.node import SavedTensor, VersionCounter
from ..tensor import Tensor
from .inplace_checks import check_inplace
from .setitem import setitem


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
