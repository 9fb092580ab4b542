# Origin: https://github.com/pytorch/pytorch/blob/3b5cdd4f472f28ef44038ccee2007539f7624abf/docs/source/notes/autograd.md (Autograd mechanics, 'Division by Zero in Autograd')
# Author/licence: PyTorch contributors, BSD-3-Clause licence
# changed: the section's first two snippets joined (the third needs torch.masked); added 'import torch' and print(x.grad) after the second, whose comment gives the value
import torch

x = torch.tensor([1., 1.], requires_grad=True)
div = torch.tensor([0., 1.])

y = x / div          # Results in [inf, 1]
mask = div != 0      # [False, True]
loss = y[mask].sum()
loss.backward()
print(x.grad)        # [nan, 1], not [0, 1]

x = torch.tensor([1., 1.], requires_grad=True)
div = torch.tensor([0., 1.])

mask = div != 0
safe = torch.zeros_like(x)
safe[mask] = x[mask] / div[mask]
loss = safe.sum()
loss.backward()      # Produces safe gradients [0, 1]
print(x.grad)
