# Origin: docstring of torch.Tensor.register_hook in PyTorch 2.13.0, torch/_tensor.py (https://docs.pytorch.org/docs/stable/generated/torch.Tensor.register_hook.html)
# Author/licence: PyTorch contributors, BSD-3-Clause licence
# changed: the docstring's doctest example run as a script: 'v.grad', whose value the docstring shows (in the old FloatTensor format), is wrapped in print(...)
# changed: added 'import torch'
import torch
v = torch.tensor([0., 0., 0.], requires_grad=True)
h = v.register_hook(lambda grad: grad * 2)  # double the gradient
v.backward(torch.tensor([1., 2., 3.]))
print(v.grad)
h.remove()  # removes the hook
