"""Conversions: ``to`` (dtype, device, both, or like another tensor), its shorthands
(``float()``, ``long()``, ``cuda()``, ...), and the ``new_*`` constructors.

A conversion that changes nothing returns the tensor itself, as PyTorch's
does. A real change to a floating dtype is differentiable and records
ToCopyBackward0, whose backward converts the gradient back.
"""
import builtins
import warnings

import numpy as np

from .. import backend, dtypes
from ..autograd.node import Node
from ..tensor import Tensor
from .registry import method, record, recording, wrap

# ``x.to(float)`` means float64 here, unlike ``torch.tensor(..., dtype=float)``.
_PYTHON_TYPES = {builtins.float: dtypes.float64, builtins.int: dtypes.int64,
                 builtins.bool: dtypes.bool}

CUDA_MISSING = "Torch not compiled with CUDA enabled"


def _as_dtype(value):
    if isinstance(value, dtypes.dtype):
        return value
    if value in _PYTHON_TYPES:
        return _PYTHON_TYPES[value]
    raise TypeError(f"to() received an invalid dtype: {value!r}")


def _as_device(value):
    if isinstance(value, builtins.int) and not isinstance(value, builtins.bool):
        return backend.device("cuda", value)
    return backend.device(value)


def _parse_to(args, kwargs):
    """``(dtype, device, copy)`` from any of ``to``'s signatures (None: unchanged)."""
    kwargs = dict(kwargs)
    dtype = kwargs.pop("dtype", None)
    device = kwargs.pop("device", None)
    copy = kwargs.pop("copy", False)
    kwargs.pop("non_blocking", None)
    kwargs.pop("memory_format", None)
    if kwargs:
        raise TypeError(f"to() got an unexpected keyword argument '{next(iter(kwargs))}'")
    rest = list(args)
    if rest and isinstance(rest[0], Tensor):
        other = rest.pop(0)
        dtype, device = other.dtype, other.device
    elif rest and (isinstance(rest[0], (str, backend.device))
                   or (isinstance(rest[0], builtins.int) and not isinstance(rest[0], builtins.bool))):
        device = rest.pop(0)
    if rest and (isinstance(rest[0], dtypes.dtype) or rest[0] in _PYTHON_TYPES):
        dtype = rest.pop(0)
    if rest and isinstance(rest[0], builtins.bool):  # positional non_blocking
        rest.pop(0)
    if rest and isinstance(rest[0], builtins.bool):  # positional copy
        copy = rest.pop(0)
    if rest:
        raise TypeError(f"to() received an invalid combination of arguments - got {tuple(args)!r}")
    return (_as_dtype(dtype) if dtype is not None else None,
            _as_device(device) if device is not None else None, copy)


def _array_module_for(device):
    """The array module of ``device``, with PyTorch's error when there is no CUDA."""
    try:
        return backend.module_for_device(device)
    except backend.BackendUnavailable as exc:
        raise AssertionError(CUDA_MISSING) from exc


class ToCopyBackward0(Node):
    """Saves the source dtype and device (PyTorch keeps them as metadata, not as fields)."""

    __slots__ = ()
    formula = "a conversion: the gradient is converted back to the source dtype and device"

    def backward(self, grad):
        dtype, device = self._saved
        return convert(grad, dtype, device)


def convert(input, dtype=None, device=None, copy=False):
    """``input`` in ``dtype`` on ``device``; ``input`` itself when nothing changes and not ``copy``."""
    source_device = input.device
    target_dtype = dtype if dtype is not None else input.dtype
    target_device = device if device is not None else source_device
    same_device = target_device.type == source_device.type
    if target_dtype is input.dtype and same_device and not copy:
        return input
    xp = _array_module_for(target_device) if not same_device else backend.array_module(input._data)
    moved = backend.to_module(input._data, xp)
    out = wrap(moved.astype(target_dtype.numpy, copy=moved is input._data))  # never share storage
    # Only a floating result can carry a gradient; ``x.long()`` is a constant.
    if target_dtype.is_floating_point and recording(input):
        record(ToCopyBackward0, out, (input,), (input.dtype, source_device))
    return out


@method("to")
def to(self, *args, **kwargs):
    """``to(dtype)``, ``to(device, dtype=None)``, ``to(other)``, each with ``copy=False``."""
    dtype, device, copy = _parse_to(args, kwargs)
    return convert(self, dtype, device, copy)


def _shorthand(name, dtype):
    def conversion(self, memory_format=None):
        return convert(self, dtype)
    conversion.__name__ = conversion.__qualname__ = name
    conversion.__doc__ = f"``self.to({dtype!r})``."
    return conversion


for _name, _dtype in (("float", dtypes.float32), ("double", dtypes.float64), ("half", dtypes.float16),
                      ("long", dtypes.int64), ("int", dtypes.int32), ("short", dtypes.int16),
                      ("char", dtypes.int8), ("byte", dtypes.uint8), ("bool", dtypes.bool)):
    method(_name)(_shorthand(_name, _dtype))


@method("type_as")
def type_as(self, other):
    """Convert to ``other``'s dtype (and device, as its legacy type name includes it)."""
    return convert(self, other.dtype, other.device)


@method("cuda")
def cuda(self, device=None, non_blocking=False, memory_format=None):
    if device is None:
        device = "cuda"
    return convert(self, device=_as_device(device))


@method("cpu")
def cpu(self, memory_format=None):
    return convert(self, device=backend.CPU)


# ------------------------------------------------------------- new_* methods
# They call creation's constructors, imported on use: creation registers its own ops
# through engine.ops, which imports this module, so at import time creation is half made.
def _factory_options(self, dtype, device):
    return {"dtype": dtype if dtype is not None else self.dtype,
            "device": device if device is not None else self.device}


@method("new_tensor")
def new_tensor(self, data, dtype=None, device=None, requires_grad=False, layout=None,
               pin_memory=False):
    """A new leaf from ``data``, by default in this tensor's dtype and on its device."""
    from ..creation import tensor
    if isinstance(data, Tensor):
        warnings.warn(
            "To copy construct from a tensor, it is recommended to use sourceTensor.detach().clone() "
            "or sourceTensor.detach().clone().requires_grad_(True), rather than "
            "tensor.new_tensor(sourceTensor).", UserWarning, stacklevel=2)
        data = backend.to_module(data._data, np)
    return tensor(data, requires_grad=requires_grad, **_factory_options(self, dtype, device))


@method("new_ones")
def new_ones(self, *size, dtype=None, device=None, requires_grad=False, layout=None,
             pin_memory=False):
    from ..creation import ones
    return ones(*size, requires_grad=requires_grad, **_factory_options(self, dtype, device))


@method("new_zeros")
def new_zeros(self, *size, dtype=None, device=None, requires_grad=False, layout=None,
              pin_memory=False):
    from ..creation import zeros
    return zeros(*size, requires_grad=requires_grad, **_factory_options(self, dtype, device))


@method("new_empty")
def new_empty(self, *size, dtype=None, device=None, requires_grad=False, layout=None,
              pin_memory=False):
    from ..creation import empty
    return empty(*size, requires_grad=requires_grad, **_factory_options(self, dtype, device))


@method("new_full")
def new_full(self, size, fill_value, *, dtype=None, device=None, requires_grad=False, layout=None,
             pin_memory=False):
    from ..creation import full
    return full(size, fill_value, requires_grad=requires_grad, **_factory_options(self, dtype, device))
