# Origin: https://github.com/pytorch/pytorch/blob/3b5cdd4f472f28ef44038ccee2007539f7624abf/docs/source/notes/autograd.md (Autograd mechanics, 'Saved tensors')
# Author/licence: PyTorch contributors, BSD-3-Clause licence
# changed: added torch.manual_seed(0) after the imports (the original prints random numbers without a seed)
# changed: the section's two snippets joined; added 'import torch'
import torch
torch.manual_seed(0)

x = torch.randn(5, requires_grad=True)
y = x.pow(2)
print(x.equal(y.grad_fn._saved_self))  # True
print(x is y.grad_fn._saved_self)  # True

x = torch.randn(5, requires_grad=True)
y = x.exp()
print(y.equal(y.grad_fn._saved_result))  # True
print(y is y.grad_fn._saved_result)  # False
