# Origin: docstring of torch.Tensor.register_post_accumulate_grad_hook in PyTorch 2.13.0, torch/_tensor.py (https://docs.pytorch.org/docs/stable/generated/torch.Tensor.register_post_accumulate_grad_hook.html)
# Author/licence: PyTorch contributors, BSD-3-Clause licence
# changed: added torch.manual_seed(0) after the imports (the original prints random numbers without a seed)
# changed: the docstring's doctest examples run as a script: an example whose value the docstring shows is wrapped in print(...)
# changed: added 'import torch'
import torch
torch.manual_seed(0)
v = torch.tensor([0., 0., 0.], requires_grad=True)
lr = 0.01
h = v.register_post_accumulate_grad_hook(lambda p: p.add_(p.grad, alpha=-lr))
v.backward(torch.tensor([1., 2., 3.]))
print(v)
h.remove()  # removes the hook
