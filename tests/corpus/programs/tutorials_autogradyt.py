# Origin: https://github.com/pytorch/tutorials/blob/199e9530f4b72f57ba2dc222e1fd18db3efc49ed/beginner_source/introyt/autogradyt_tutorial.py
# Author/licence: PyTorch tutorials, BSD-3-Clause licence
# changed: added torch.manual_seed(0) after the imports (the original prints random numbers without a seed)
# changed: matplotlib imports and the two plt.plot lines dropped; the profiler's timing table print dropped (times vary); long prose comments shortened
"""
The Fundamentals of Autograd
============================

PyTorch’s *Autograd* feature is part of what make PyTorch flexible and
fast for building machine learning projects. It allows for the rapid and
easy computation of multiple partial derivatives (also referred to as
*gradients)* over a complex computation. This operation is central to
backpropagation-based neural network learning.
"""

###########################################################################
# A Simple Example
# ----------------
#
# That was a lot of theory - but what does it look like to use autograd in
# practice?
#
# Let’s start with a straightforward example. First, we’ll do some imports
# to let us graph our results:
#

# %matplotlib inline

import torch

import math
torch.manual_seed(0)


#########################################################################
# Next, we’ll create an input tensor full of evenly spaced values on the
# interval :math:`[0, 2{\pi}]`, and specify ``requires_grad=True``.
# 

a = torch.linspace(0., 2. * math.pi, steps=25, requires_grad=True)
print(a)


########################################################################
# Next, we’ll perform a computation, and plot its output in terms of its
# inputs:
# 

b = torch.sin(a)


########################################################################
# Let’s have a closer look at the tensor ``b``. When we print it, we see
# an indicator that it is tracking its computation history:
# 

print(b)


#######################################################################
# Let’s perform some more computations:
# 

c = 2 * b
print(c)

d = c + 1
print(d)


##########################################################################
# Finally, let’s compute a single-element output.
# 

out = d.sum()
print(out)


##########################################################################
# Each ``grad_fn`` stored with our tensors allows you to walk the
# computation all the way back to its inputs with its ``next_functions``
# property.
# 

print('d:')
print(d.grad_fn)
print(d.grad_fn.next_functions)
print(d.grad_fn.next_functions[0][0].next_functions)
print(d.grad_fn.next_functions[0][0].next_functions[0][0].next_functions)
print(d.grad_fn.next_functions[0][0].next_functions[0][0].next_functions[0][0].next_functions)
print('\nc:')
print(c.grad_fn)
print('\nb:')
print(b.grad_fn)
print('\na:')
print(a.grad_fn)


######################################################################
# With all this machinery in place, how do we get derivatives out? You
# call the ``backward()`` method on the output, and check the input’s
# ``grad`` property to inspect the gradients:
# 

out.backward()
print(a.grad)


#########################################################################
# Autograd in Training
# --------------------
# 
# Let’s define a small model and
# examine how it changes after a single training batch. First, define a
# few constants, our model, and some stand-ins for inputs and outputs:
# 

BATCH_SIZE = 16
DIM_IN = 1000
HIDDEN_SIZE = 100
DIM_OUT = 10

class TinyModel(torch.nn.Module):

    def __init__(self):
        super(TinyModel, self).__init__()
        
        self.layer1 = torch.nn.Linear(1000, 100)
        self.relu = torch.nn.ReLU()
        self.layer2 = torch.nn.Linear(100, 10)
    
    def forward(self, x):
        x = self.layer1(x)
        x = self.relu(x)
        x = self.layer2(x)
        return x
    
some_input = torch.randn(BATCH_SIZE, DIM_IN, requires_grad=False)
ideal_output = torch.randn(BATCH_SIZE, DIM_OUT, requires_grad=False)

model = TinyModel()


##########################################################################
# If we look at the layers of the model, we can examine the values of the
# weights, and verify that no gradients have been computed yet:
# 

print(model.layer2.weight[0][0:10]) # just a small slice
print(model.layer2.weight.grad)


##########################################################################
# Let’s see how this changes when we run through one training batch.
# 

optimizer = torch.optim.SGD(model.parameters(), lr=0.001)

prediction = model(some_input)

loss = (ideal_output - prediction).pow(2).sum()
print(loss)


######################################################################
# Now, let’s call ``loss.backward()`` and see what happens:
# 

loss.backward()
print(model.layer2.weight[0][0:10])
print(model.layer2.weight.grad[0][0:10])


########################################################################
# The optimizer is responsible for updating model weights
# based on the computed gradients.
# 

optimizer.step()
print(model.layer2.weight[0][0:10])
print(model.layer2.weight.grad[0][0:10])


######################################################################
# After calling
# ``optimizer.step()``, you need to call ``optimizer.zero_grad()``, or
# else every time you run ``loss.backward()``, the gradients on the
# learning weights will accumulate:
# 

print(model.layer2.weight.grad[0][0:10])

for i in range(0, 5):
    prediction = model(some_input)
    loss = (ideal_output - prediction).pow(2).sum()
    loss.backward()
    
print(model.layer2.weight.grad[0][0:10])

optimizer.zero_grad()

print(model.layer2.weight.grad[0][0:10])


#########################################################################
# Turning Autograd Off and On
# ---------------------------
# 
# The simplest is to change the ``requires_grad`` flag on a tensor
# directly:
# 

a = torch.ones(2, 3, requires_grad=True)
print(a)

b1 = 2 * a
print(b1)

a.requires_grad = False
b2 = 2 * a
print(b2)


##########################################################################
# If you only need autograd turned off temporarily, a better way is to use
# the ``torch.no_grad()``:
# 

a = torch.ones(2, 3, requires_grad=True) * 2
b = torch.ones(2, 3, requires_grad=True) * 3

c1 = a + b
print(c1)

with torch.no_grad():
    c2 = a + b

print(c2)

c3 = a * b
print(c3)


##########################################################################
# ``torch.no_grad()`` can also be used as a function or method decorator:
# 

def add_tensors1(x, y):
    return x + y

@torch.no_grad()
def add_tensors2(x, y):
    return x + y


a = torch.ones(2, 3, requires_grad=True) * 2
b = torch.ones(2, 3, requires_grad=True) * 3

c1 = add_tensors1(a, b)
print(c1)

c2 = add_tensors2(a, b)
print(c2)


##########################################################################
# Finally, you may have a tensor that requires gradient tracking, but you
# want a copy that does not. For this we have the ``Tensor`` object’s
# ``detach()`` method:
# 

x = torch.rand(5, requires_grad=True)
y = x.detach()

print(x)
print(y)


#########################################################################
# Autograd Profiler
# -----------------
# 

device = torch.device('cpu')
run_on_gpu = False
if torch.cuda.is_available():
    device = torch.device('cuda')
    run_on_gpu = True
    
x = torch.randn(2, 3, requires_grad=True)
y = torch.rand(2, 3, requires_grad=True)
z = torch.ones(2, 3, requires_grad=True)

with torch.autograd.profiler.profile(use_cuda=run_on_gpu) as prf:
    for _ in range(1000):
        z = (z / x) * y
        

##########################################################################
# Advanced Topic: More Autograd Detail and the High-Level API
# -----------------------------------------------------------
# 
# For this reason, the ``backward()`` call can *also* take an optional
# vector input. Let’s try a specific example with a small vector:
# 

x = torch.randn(3, requires_grad=True)

y = x * 2
while y.data.norm() < 1000:
    y = y * 2

print(y)


##########################################################################
# For a multi-dimensional output, autograd expects us to provide
# gradients for those three outputs that it can multiply into the
# Jacobian:
# 

v = torch.tensor([0.1, 1.0, 0.0001], dtype=torch.float) # stand-in for gradients
y.backward(v)

print(x.grad)


##########################################################################
# The High-Level API
# ~~~~~~~~~~~~~~~~~~
# 
# Let’s take the Jacobian of a simple function, evaluated for a 2
# single-element inputs:
# 

def exp_adder(x, y):
    return 2 * x.exp() + 3 * y

inputs = (torch.rand(1), torch.rand(1)) # arguments for the function
print(inputs)
torch.autograd.functional.jacobian(exp_adder, inputs)


#########################################################################
# You can, of course, do this with higher-order tensors:
# 

inputs = (torch.rand(3), torch.rand(3)) # arguments for the function
print(inputs)
torch.autograd.functional.jacobian(exp_adder, inputs)


#########################################################################
# There is also a function to directly compute the vector-Jacobian
# product, if you provide the vector:
# 

def do_some_doubling(x):
    y = x * 2
    while y.data.norm() < 1000:
        y = y * 2
    return y

inputs = torch.randn(3)
my_gradients = torch.tensor([0.1, 1.0, 0.0001])
torch.autograd.functional.vjp(do_some_doubling, inputs, v=my_gradients)
