# Origin: docstring of torch.autograd.functional.vjp in PyTorch 2.13.0, torch/autograd/functional.py (https://docs.pytorch.org/docs/stable/generated/torch.autograd.functional.vjp.html)
# Author/licence: PyTorch contributors, BSD-3-Clause licence
# changed: added torch.manual_seed(0) after the imports (the original prints random numbers without a seed)
# changed: the docstring's doctest examples run as a script: an example whose value the docstring shows is wrapped in print(...)
# changed: added 'import torch' and the doctest namespace (from torch.autograd.functional import vjp)
import torch
from torch.autograd.functional import vjp
torch.manual_seed(0)
def exp_reducer(x):
    return x.exp().sum(dim=1)
inputs = torch.rand(4, 4)
v = torch.ones(4)
print(vjp(exp_reducer, inputs, v))
print(vjp(exp_reducer, inputs, v, create_graph=True))
def adder(x, y):
    return 2 * x + 3 * y
inputs = (torch.rand(2), torch.rand(2))
v = torch.ones(2)
print(vjp(adder, inputs, v))
