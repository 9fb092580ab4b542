# Origin: docstring of torch.autograd.graph.Node.register_hook in PyTorch 2.13.0, torch/autograd/graph.py (https://docs.pytorch.org/docs/stable/generated/torch.autograd.graph.Node.register_hook.html)
# Author/licence: PyTorch contributors, BSD-3-Clause licence
# changed: added torch.manual_seed(0) after the imports (the original prints random numbers without a seed)
# changed: the docstring's doctest examples run as a script: an example whose value the docstring shows is wrapped in print(...)
# changed: added 'import torch'
import torch
import torch
torch.manual_seed(0)
a = torch.tensor([0., 0., 0.], requires_grad=True)
b = a.clone()
assert isinstance(b.grad_fn, torch.autograd.graph.Node)
handle = b.grad_fn.register_hook(lambda gI, gO: (gO[0] * 2,))
b.sum().backward(retain_graph=True)
print(a.grad)
handle.remove() # Removes the hook
a.grad = None
b.sum().backward(retain_graph=True)
print(a.grad)
