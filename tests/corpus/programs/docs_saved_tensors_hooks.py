# Origin: docstring of torch.autograd.graph.saved_tensors_hooks in PyTorch 2.13.0, torch/autograd/graph.py (https://docs.pytorch.org/docs/stable/generated/torch.autograd.graph.saved_tensors_hooks.html)
# Author/licence: PyTorch contributors, BSD-3-Clause licence
# changed: added torch.manual_seed(0) after the imports (the original prints random numbers without a seed)
# changed: the docstring's doctest examples run as a script: an example whose value the docstring shows is wrapped in print(...)
# changed: added 'import torch'
import torch
torch.manual_seed(0)
def pack_hook(x):
    print("Packing", x)
    return x.detach()
def unpack_hook(x):
    print("Unpacking", x)
    return x
a = torch.ones(5, requires_grad=True)
b = torch.ones(5, requires_grad=True) * 2
with torch.autograd.graph.saved_tensors_hooks(pack_hook, unpack_hook):
    y = a * b
y.sum().backward()
