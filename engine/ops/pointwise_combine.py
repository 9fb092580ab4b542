"""Pointwise ops of three operands: lerp, addcmul, addcdiv (optimizer and EMA
formulas in tutorials), each one node as in PyTorch. Gradients of broadcast
operands are summed back to their shapes by the engine.
"""
import numpy as np

from ..autograd.node import Node
from ..tensor import Tensor
from .inplace import inplace_variant
from .registry import as_tensor, check_broadcast, method, op, quietly, record, recording, save, wrap


def _check_shapes(*tensors):
    shape = ()
    for t in tensors:
        s = t._data.shape
        if s != shape:
            if len(shape) >= len(s):
                check_broadcast(shape, s)
            else:
                check_broadcast(s, shape)
            shape = tuple(np.broadcast_shapes(shape, s))


# -------------------------------------------------------------------- lerp
class LerpBackward0(Node):
    __slots__ = ()
    saved_fields = ("weight",)  # a number
    gradients = {"self": "grad * (1 - weight)", "end": "grad * weight"}


class LerpBackward1(Node):
    __slots__ = ()
    saved_fields = ("end", "self", "weight")
    gradients = {"self": "grad * (1 - weight)", "end": "grad * weight", "weight": "grad * (end - self)"}


def _lerp_values(start, end, weight):
    """PyTorch's kernel: from the nearer end, so lerp(a, b, 1) is exactly b."""
    return np.where(np.abs(weight) < 0.5, start + weight * (end - start),
                    end - (end - start) * (1 - weight))


@op("Pointwise", shape="broadcast", arity=3)
def lerp(input, end, weight):
    if isinstance(weight, Tensor):
        _check_shapes(input, end, weight)
        out = wrap(np.asarray(_lerp_values(input._data, end._data, weight._data),
                              dtype=input._data.dtype))
        if recording(input, end, weight):
            record(LerpBackward1, out, (input, end, weight), (save(end), save(input), save(weight)))
        return out
    _check_shapes(input, end)
    out = wrap(np.asarray(_lerp_values(input._data, end._data, weight), dtype=input._data.dtype))
    if recording(input, end):
        record(LerpBackward0, out, (input, end), (weight,))
    return out


# --------------------------------------------------------- addcmul / addcdiv
class AddcmulBackward0(Node):
    __slots__ = ()
    saved_fields = ("tensor1", "tensor2", "value")
    gradients = {"self": "grad", "tensor1": "grad * tensor2 * value", "tensor2": "grad * tensor1 * value"}


class AddcdivBackward0(Node):
    __slots__ = ()
    saved_fields = ("tensor1", "tensor2", "value")
    gradients = {"self": "grad", "tensor1": "grad * value / tensor2",
                 "tensor2": "-grad * value * tensor1 / (tensor2 * tensor2)"}


def _combine(node_cls, input, tensor1, tensor2, value, data):
    tensor1, tensor2 = as_tensor(tensor1, input), as_tensor(tensor2, input)
    out = wrap(np.asarray(data, dtype=np.result_type(input._data, tensor1._data, tensor2._data)))
    if recording(input, tensor1, tensor2):
        record(node_cls, out, (input, tensor1, tensor2), (save(tensor1), save(tensor2), value))
    return out


@op("Pointwise", shape="broadcast", arity=3)
def addcmul(input, tensor1, tensor2, *, value=1):
    _check_shapes(input, tensor1, tensor2)
    data = input._data + value * tensor1._data * tensor2._data
    return _combine(AddcmulBackward0, input, tensor1, tensor2, value, data)


@op("Pointwise", shape="broadcast", arity=3)
def addcdiv(input, tensor1, tensor2, *, value=1):
    if tensor1._data.dtype.kind in "biu" and tensor2._data.dtype.kind in "biu":
        raise RuntimeError(
            "Integer division with addcdiv is no longer supported, and in a future release "
            "addcdiv will perform a true division of tensor1 and tensor2. The historic addcdiv "
            "behavior can be implemented as (input + value * torch.trunc(tensor1 / tensor2))."
            "to(input.dtype) for integer inputs and as (input + value * tensor1 / tensor2) for "
            "float inputs. The future addcdiv behavior is just the latter implementation: "
            "(input + value * tensor1 / tensor2), for all dtypes.")
    _check_shapes(input, tensor1, tensor2)
    data = input._data + quietly(np.true_divide, value * tensor1._data, tensor2._data)
    return _combine(AddcdivBackward0, input, tensor1, tensor2, value, data)


for _fn in (lerp, addcmul, addcdiv):
    method(_fn.__name__ + "_")(inplace_variant(_fn))
