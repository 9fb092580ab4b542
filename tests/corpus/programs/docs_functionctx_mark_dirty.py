# Origin: docstring of torch.autograd.function.FunctionCtx.mark_dirty in PyTorch 2.13.0, torch/autograd/function.py (https://docs.pytorch.org/docs/stable/generated/torch.autograd.function.FunctionCtx.mark_dirty.html)
# Author/licence: PyTorch contributors, BSD-3-Clause licence
# changed: the docstring's doctest examples run as a script: an example whose value the docstring shows is wrapped in print(...)
# changed: added 'import torch' and the doctest namespace (from torch.autograd.function import Function, once_differentiable)
import torch
from torch.autograd.function import Function, once_differentiable
class Inplace(Function):
    @staticmethod
    def forward(ctx, x):
        x_npy = x.numpy() # x_npy shares storage with x
        x_npy += 1
        ctx.mark_dirty(x)
        return x
    @staticmethod
    @once_differentiable
    def backward(ctx, grad_output):
        return grad_output
a = torch.tensor(1., requires_grad=True, dtype=torch.double).clone()
b = a * a
Inplace.apply(a)  # This would lead to wrong gradients!
b.backward() # RuntimeError: one of the variables needed for gradient
