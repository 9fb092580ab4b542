# Origin: https://github.com/pytorch/pytorch/blob/3b5cdd4f472f28ef44038ccee2007539f7624abf/docs/source/notes/autograd.md (Autograd mechanics, 'Behavior of Tensor hooks when Tensor is modified in-place' and 'Registering hooks for a saved tensor')
# Author/licence: PyTorch contributors, BSD-3-Clause licence
# changed: added torch.manual_seed(0) after the imports (the original prints random numbers without a seed)
# changed: the two snippets joined; added 'import torch' and the hooks they name (fn prints the gradient; pack_hook and unpack_hook print their tensor, as in the saved-tensors hooks tutorial)
import torch
torch.manual_seed(0)

def fn(grad):
    print(grad)

t = torch.tensor(1., requires_grad=True).sin()
t.cos_()
t.register_hook(fn)
t.backward()

def pack_hook(x):
    print("Packing", x)
    return x

def unpack_hook(x):
    print("Unpacking", x)
    return x

x = torch.randn(5, requires_grad=True)
y = x.pow(2)
y.grad_fn._raw_saved_self.register_hooks(pack_hook, unpack_hook)
