# Origin: docstring of torch.autograd.function.FunctionCtx.set_materialize_grads in PyTorch 2.13.0, torch/autograd/function.py (https://docs.pytorch.org/docs/stable/generated/torch.autograd.function.FunctionCtx.set_materialize_grads.html)
# Author/licence: PyTorch contributors, BSD-3-Clause licence
# changed: the docstring's doctest examples run as a script: an example whose value the docstring shows is wrapped in print(...)
# changed: added 'import torch' and the doctest namespace (from torch.autograd.function import Function, once_differentiable)
import torch
from torch.autograd.function import Function, once_differentiable
class SimpleFunc(Function):
    @staticmethod
    def forward(ctx, x):
        return x.clone(), x.clone()
    @staticmethod
    @once_differentiable
    def backward(ctx, g1, g2):
        return g1 + g2  # No check for None necessary
class Func(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.set_materialize_grads(False)
        ctx.save_for_backward(x)
        return x.clone(), x.clone()
    @staticmethod
    @once_differentiable
    def backward(ctx, g1, g2):
        x, = ctx.saved_tensors
        grad_input = torch.zeros_like(x)
        if g1 is not None:  # We must check for None now
            grad_input += g1
        if g2 is not None:
            grad_input += g2
        return grad_input
a = torch.tensor(1., requires_grad=True)
b, _ = Func.apply(a)  # induces g2 to be undefined
