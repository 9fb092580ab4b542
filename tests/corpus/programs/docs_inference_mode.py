# Origin: docstring of torch.autograd.grad_mode.inference_mode in PyTorch 2.13.0, torch/autograd/grad_mode.py (https://docs.pytorch.org/docs/stable/generated/torch.autograd.grad_mode.inference_mode.html)
# Author/licence: PyTorch contributors, BSD-3-Clause licence
# changed: added torch.manual_seed(0) after the imports (the original prints random numbers without a seed)
# changed: the docstring's doctest examples run as a script: an example whose value the docstring shows is wrapped in print(...)
# changed: added 'import torch'
import torch
import torch
torch.manual_seed(0)
x = torch.ones(1, 2, 3, requires_grad=True)
with torch.inference_mode():
    y = x * x
print(y.requires_grad)
print(y._version)
@torch.inference_mode()
def func(x):
    return x * x
out = func(x)
print(out.requires_grad)
@torch.inference_mode()
def doubler(x):
    return x * 2
out = doubler(x)
print(out.requires_grad)
