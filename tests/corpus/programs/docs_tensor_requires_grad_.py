# Origin: docstring of torch.Tensor.requires_grad_ in PyTorch 2.13.0, torch/_tensor_docs.py (https://docs.pytorch.org/docs/stable/generated/torch.Tensor.requires_grad_.html)
# Author/licence: PyTorch contributors, BSD-3-Clause licence
# changed: the docstring's doctest examples run as a script: an example whose value the docstring shows is wrapped in print(...)
# changed: added 'import torch' and preprocess, which the docstring calls 'some function', as the identity
import torch
def preprocess(t):
    return t
saved_weights = [0.1, 0.2, 0.3, 0.25]
loaded_weights = torch.tensor(saved_weights)
weights = preprocess(loaded_weights)  # some function
print(weights)
weights.requires_grad_()
out = weights.pow(2).sum()
out.backward()
print(weights.grad)
