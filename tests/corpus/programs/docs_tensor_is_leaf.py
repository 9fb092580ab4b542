# Origin: docstring of torch.Tensor.is_leaf in PyTorch 2.13.0, torch/_tensor_docs.py (https://docs.pytorch.org/docs/stable/generated/torch.Tensor.is_leaf.html)
# Author/licence: PyTorch contributors, BSD-3-Clause licence
# changed: the docstring's doctest examples run as a script: an example whose value the docstring shows is wrapped in print(...)
# changed: added 'import torch'; the .cuda() calls and device="cuda" dropped (no GPU here), so b, d, e and f stay on the CPU
import torch
a = torch.rand(10, requires_grad=True)
print(a.is_leaf)
b = torch.rand(10, requires_grad=True)
print(b.is_leaf)
c = torch.rand(10, requires_grad=True) + 2
print(c.is_leaf)
d = torch.rand(10)
print(d.is_leaf)
e = torch.rand(10).requires_grad_()
print(e.is_leaf)
f = torch.rand(10, requires_grad=True)
print(f.is_leaf)
