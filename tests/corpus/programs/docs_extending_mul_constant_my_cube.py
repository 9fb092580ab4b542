# Origin: https://github.com/pytorch/pytorch/blob/104998231faa0a9ded5a7bf46960d9aa64cde1f2/docs/source/notes/extending.md (MulConstant with set_materialize_grads(False), MyCube returning dx as an output)
# Author/licence: PyTorch contributors, BSD-3-Clause licence
# changed: the snippets joined; added the imports and the calls after the classes (apply, backward, double backward, gradcheck, gradgradcheck) with prints
import torch
from torch.autograd import Function


class MulConstant(Function):
    @staticmethod
    def forward(tensor, constant):
        return tensor * constant

    @staticmethod
    def setup_context(ctx, inputs, output):
        tensor, constant = inputs
        ctx.set_materialize_grads(False)
        ctx.constant = constant

    @staticmethod
    def backward(ctx, grad_output):
        # Here we must handle None grad_output tensor. In this case we
        # can skip unnecessary computations and just return None.
        if grad_output is None:
            return None, None

        # We return as many input gradients as there were arguments.
        # Gradients of non-Tensor arguments to forward must be None.
        return grad_output * ctx.constant, None


class MyCube(torch.autograd.Function):
    @staticmethod
    def forward(x):
        # We wish to save dx for backward. In order to do so, it must
        # be returned as an output.
        dx = 3 * x ** 2
        result = x ** 3
        return result, dx

    @staticmethod
    def setup_context(ctx, inputs, output):
        x, = inputs
        result, dx = output
        ctx.save_for_backward(x, dx)

    @staticmethod
    def backward(ctx, grad_output, grad_dx):
        x, dx = ctx.saved_tensors
        # In order for the autograd.Function to work with higher-order
        # gradients, we must add the gradient contribution of `dx`,
        # which is grad_dx * 6 * x.
        result = grad_output * dx + grad_dx * 6 * x
        return result

# Wrap MyCube in a function so that it is clearer what the output is
def my_cube(x):
    result, dx = MyCube.apply(x)
    return result


x = torch.tensor([1., 2., 3.], requires_grad=True)
y = MulConstant.apply(x, 5.0)
print(y)
y.sum().backward()
print(x.grad)

x = torch.tensor([1., 2., 3.], dtype=torch.double, requires_grad=True)
out = my_cube(x)
print(out)
grad_x, = torch.autograd.grad(out.sum(), x, create_graph=True)
print(grad_x)
grad2_x, = torch.autograd.grad(grad_x.sum(), x)
print(grad2_x)
print(torch.autograd.gradcheck(my_cube, (x,)))
print(torch.autograd.gradgradcheck(my_cube, (x,)))
