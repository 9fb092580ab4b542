"""``F.bilinear``: ``y[b, o] = Σ_ij x1[b, i]·W[o, i, j]·x2[b, j] + bias[o]``.

Composed as PyTorch composes it, so the graph has the same nodes: both inputs
viewed as (batch, features), one ``_trilinear`` op (TrilinearBackward0), the
result viewed back to the inputs' batch shape, then the bias added.
"""
from ..autograd.node import Node
from ..backend import array_module
from ..ops.registry import record, recording, save, wrap

__all__ = ["bilinear"]

# What PyTorch's _trilinear saves for bilinear: the dims each operand is expanded along.
_EXPAND1, _EXPAND2, _EXPAND3, _SUMDIM = (1, 3), (0,), (1, 2), (2, 3)


def _outer_rows(a, b):
    """Per row, the outer product of ``a``'s and ``b``'s rows, flattened: (B, I·J)."""
    return (a.unsqueeze(2) * b.unsqueeze(1)).reshape(a.shape[0], -1)


class TrilinearBackward0(Node):
    __slots__ = ()
    saved_fields = ("expand1", "expand2", "expand3", "i1", "i2", "i3", "sumdim")
    formula = ("∂y/∂x1 = Σ_oj g[b,o]·W[o,i,j]·x2[b,j],  ∂y/∂W = Σ_b g[b,o]·x1[b,i]·x2[b,j],  "
               "∂y/∂x2 = Σ_oi g[b,o]·W[o,i,j]·x1[b,i]")

    def backward(self, grad):
        x1, weight, x2 = self.saved(3), self.saved(4), self.saved(5)
        out_features, in1, in2 = weight.shape
        grad_x1 = grad_weight = grad_x2 = None
        if self.needs_input_grad(0) or self.needs_input_grad(2):
            # g @ W, per row a matrix (I, J): the gradient of the bilinear form in each input.
            form = (grad @ weight.reshape(out_features, in1 * in2)).reshape(-1, in1, in2)
            if self.needs_input_grad(0):
                grad_x1 = (form * x2.unsqueeze(1)).sum(2)
            if self.needs_input_grad(2):
                grad_x2 = (form * x1.unsqueeze(2)).sum(1)
        if self.needs_input_grad(1):
            grad_weight = (grad.t() @ _outer_rows(x1, x2)).reshape(out_features, in1, in2)
        return grad_x1, grad_weight, grad_x2


def _trilinear(x1, weight, x2):
    xp = array_module(x1._data)
    a, w, b = x1._data, weight._data, x2._data
    outer = (a[:, :, None] * b[:, None, :]).reshape(a.shape[0], -1)
    out = wrap(xp.matmul(outer, w.reshape(w.shape[0], -1).T))
    if recording(x1, weight, x2):
        record(TrilinearBackward0, out, (x1, weight, x2),
               (_EXPAND1, _EXPAND2, _EXPAND3, save(x1), save(weight), save(x2), _SUMDIM))
    return out


def bilinear(input1, input2, weight, bias=None):
    if input1.dim() != input2.dim():
        raise RuntimeError(f"bilinear(): input dimensions do not match: got {input1.dim()} and "
                           f"{input2.dim()}")
    for dim in range(input1.dim() - 1):
        if input1.shape[dim] != input2.shape[dim]:
            raise RuntimeError(f"bilinear(): input batch dimensions do not match at dim {dim}: "
                               f"got {input1.shape[dim]} and {input2.shape[dim]}")
    if input1.shape[-1] != weight.shape[1]:
        raise RuntimeError(f"bilinear(): input1 size does not match weight size: got "
                           f"{input1.shape[-1]} but expected {weight.shape[1]}")
    if input2.shape[-1] != weight.shape[2]:
        raise RuntimeError(f"bilinear(): input2 size does not match weight size: got "
                           f"{input2.shape[-1]} but expected {weight.shape[2]}")
    flat = _trilinear(input1.reshape(-1, input1.shape[-1]), weight,
                      input2.reshape(-1, input2.shape[-1]))
    output = flat.view(*input1.shape[:-1], weight.shape[0])
    return output if bias is None else output + bias
