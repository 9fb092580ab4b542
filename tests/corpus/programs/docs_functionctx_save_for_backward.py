# Origin: docstring of torch.autograd.function.FunctionCtx.save_for_backward in PyTorch 2.13.0, torch/autograd/function.py (https://docs.pytorch.org/docs/stable/generated/torch.autograd.function.FunctionCtx.save_for_backward.html)
# Author/licence: PyTorch contributors, BSD-3-Clause licence
# changed: the docstring's doctest examples run as a script: an example whose value the docstring shows is wrapped in print(...)
# changed: added 'import torch' and the doctest namespace (from torch.autograd.function import Function, once_differentiable)
import torch
from torch.autograd.function import Function, once_differentiable
class Func(Function):
    @staticmethod
    def forward(ctx, x: torch.Tensor, y: torch.Tensor, z: int):
        w = x * z
        out = x * y + y * z + w * y
        ctx.save_for_backward(x, y, w, out)
        ctx.z = z  # z is not a tensor
        return out
    @staticmethod
    @once_differentiable
    def backward(ctx, grad_out):
        x, y, w, out = ctx.saved_tensors
        z = ctx.z
        gx = grad_out * (y + y * z)
        gy = grad_out * (x + z + w)
        gz = None
        return gx, gy, gz
a = torch.tensor(1., requires_grad=True, dtype=torch.double)
b = torch.tensor(2., requires_grad=True, dtype=torch.double)
c = 4
d = Func.apply(a, b, c)
