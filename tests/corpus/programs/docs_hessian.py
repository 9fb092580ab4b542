# Origin: docstring of torch.autograd.functional.hessian in PyTorch 2.13.0, torch/autograd/functional.py (https://docs.pytorch.org/docs/stable/generated/torch.autograd.functional.hessian.html)
# Author/licence: PyTorch contributors, BSD-3-Clause licence
# changed: added torch.manual_seed(0) after the imports (the original prints random numbers without a seed)
# changed: the docstring's doctest examples run as a script: an example whose value the docstring shows is wrapped in print(...)
# changed: added 'import torch' and the doctest namespace (from torch.autograd.functional import hessian)
import torch
from torch.autograd.functional import hessian
torch.manual_seed(0)
def pow_reducer(x):
    return x.pow(3).sum()
inputs = torch.rand(2, 2)
print(hessian(pow_reducer, inputs))
print(hessian(pow_reducer, inputs, create_graph=True))
def pow_adder_reducer(x, y):
    return (2 * x.pow(2) + 3 * y.pow(2)).sum()
inputs = (torch.rand(2), torch.rand(2))
print(hessian(pow_adder_reducer, inputs))
