# Origin: docstring of torch.autograd.graph.register_multi_grad_hook in PyTorch 2.13.0, torch/autograd/graph.py (https://docs.pytorch.org/docs/stable/generated/torch.autograd.graph.register_multi_grad_hook.html)
# Author/licence: PyTorch contributors, BSD-3-Clause licence
# changed: added torch.manual_seed(0) after the imports (the original prints random numbers without a seed)
# changed: the docstring's doctest examples run as a script: an example whose value the docstring shows is wrapped in print(...)
# changed: added 'import torch'
import torch
import torch
torch.manual_seed(0)
a = torch.rand(2, 3, requires_grad=True)
b = torch.rand(2, 3, requires_grad=True)
c = a * b
d = a * b
def fn(grads):
    print([g is not None for g in grads])
torch.autograd.graph.register_multi_grad_hook((a, b, c, d), fn)
c.sum().backward(retain_graph=True)
c.sum().backward(inputs=(a,), retain_graph=True)
