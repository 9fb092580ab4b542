"""``torch.autograd.Variable``: since PyTorch 0.4 a Variable is a Tensor.

``Variable(t, requires_grad=True)`` returns a new leaf sharing ``t``'s storage
with the flag set, and ``isinstance(x, Variable)`` holds for every tensor, as
in PyTorch, so old tutorials run unchanged.
"""


class _VariableMeta(type):
    def __call__(cls, data=None, requires_grad=False, volatile=False):
        from ..tensor import Tensor
        if data is None:
            from ..creation import zeros
            return zeros(0, requires_grad=requires_grad)
        if not isinstance(data, Tensor):
            raise TypeError(f"Variable data has to be a tensor, but got {type(data).__name__}")
        out = data.detach()
        if requires_grad:
            out.requires_grad_(True)
        return out

    def __instancecheck__(cls, obj):
        from ..tensor import Tensor
        return isinstance(obj, Tensor)


class Variable(metaclass=_VariableMeta):
    """See the module docstring."""
