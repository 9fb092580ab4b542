# Origin: a "# %%" cell script written for these tests in the style of VS Code /
# Jupytext percent scripts, following "A Gentle Introduction to torch.autograd"
# (pytorch/tutorials beginner_source/blitz/autograd_tutorial.py).

# %% [markdown]
# # Differentiation in Autograd
# We create two tensors `a` and `b` with `requires_grad=True`.

# %%
import torch

a = torch.tensor([2.0, 3.0], requires_grad=True)
b = torch.tensor([6.0, 4.0], requires_grad=True)

#%% Q is a function of a and b
Q = 3 * a ** 3 - b ** 2
print(Q.grad_fn)

# %%
!pip install torch
Q.backward(gradient=torch.tensor([1.0, 1.0]))
print(9 * a ** 2 == a.grad)
