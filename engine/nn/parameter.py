"""``torch.nn.Parameter`` and ``torch.nn.Buffer``.

A Parameter is a Tensor subclass, so ``isinstance(p, Tensor)`` holds and every
op accepts it; ops on it return plain tensors, as in PyTorch. Assigned to a
Module attribute, it is registered as one of the module's parameters.
"""
from ..tensor import Tensor

__all__ = ["Parameter", "Buffer"]


def _alias(cls, data, requires_grad):
    """A ``cls`` sharing ``data``'s storage and version counter, a fresh leaf (PyTorch's
    ``_make_subclass``: a detached alias with the flag set)."""
    if requires_grad and data._data.dtype.kind != "f":
        raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")
    out = cls._make(data._data, bool(requires_grad))
    out._version_counter = data._version_counter
    return out


class Parameter(Tensor):
    """A tensor that a Module registers as its parameter; ``requires_grad=True`` by default."""

    def __new__(cls, data=None, requires_grad=True):
        if data is None:
            from ..creation import empty
            data = empty(0)
        return _alias(cls, data, requires_grad)

    def __init__(self, data=None, requires_grad=True):
        pass  # all done in __new__ (Tensor has no __init__ to run)

    def __repr__(self):
        return "Parameter containing:\n" + super().__repr__()

    def __deepcopy__(self, memo):
        if id(self) in memo:
            return memo[id(self)]
        result = type(self)(self.data.clone(), self.requires_grad)
        memo[id(self)] = result
        return result


class _BufferMeta(type):
    """``isinstance(t, Buffer)``: a tensor made by ``Buffer(...)`` (it carries the mark)."""

    def __instancecheck__(cls, instance):
        return isinstance(instance, Tensor) and instance._extra is not None \
            and "buffer_persistent" in instance._extra


class Buffer(metaclass=_BufferMeta):
    """Marks a tensor assigned to a Module attribute as a buffer (``persistent`` or not).

    As in PyTorch, ``Buffer(t)`` is a plain Tensor (a detached alias of ``t``)
    carrying the mark, which Module reads when the tensor is assigned.
    """

    def __new__(cls, data=None, *, persistent=True):
        if data is None:
            from ..creation import empty
            data = empty(0)
        out = data.detach().requires_grad_(data.requires_grad)
        out._extra["buffer_persistent"] = persistent
        return out
