"""``Adagrad``: PyTorch's single-tensor update, learning-rate decay, weight decay, maximize.

As in adam.py, our square root is correctly rounded where PyTorch's CPU one
may be a unit in the last place off.
"""
import numpy as np

from ..tensor import Tensor
from . import kernels
from ._checks import check_learning_rate, check_not_negative
from ._state import advance, number, params_with_grad, signed_grad, step_counter
from .optimizer import Optimizer, bump_version, step_without_grad


class Adagrad(Optimizer):
    def __init__(self, params, lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0,
                 eps=1e-10, foreach=None, *, maximize=False, differentiable=False, fused=None):
        check_learning_rate(lr)
        check_not_negative(lr_decay=lr_decay, weight_decay=weight_decay,
                           initial_accumulator_value=initial_accumulator_value, eps=eps)
        defaults = {"lr": lr, "lr_decay": lr_decay, "eps": eps, "weight_decay": weight_decay,
                    "initial_accumulator_value": initial_accumulator_value, "foreach": foreach,
                    "maximize": maximize, "differentiable": differentiable, "fused": fused}
        super().__init__(params, defaults)
        # Adagrad makes its state up front, for every parameter.
        for group in self.param_groups:
            for p in group["params"]:
                state = self.state[p]
                state["step"] = step_counter()
                state["sum"] = Tensor._make(
                    np.full_like(p._data, group["initial_accumulator_value"]))

    @step_without_grad
    def step(self):
        for group in self.param_groups:
            lr = number(group["lr"])
            for p in params_with_grad(group):
                state = self.state[p]
                step = advance(state["step"])
                grad = signed_grad(p, group["maximize"])
                if group["weight_decay"] != 0:
                    grad = kernels.add(grad, p._data, group["weight_decay"])
                clr = lr / (1 + (step - 1) * group["lr_decay"])
                total = state["sum"]
                kernels.addcmul_(total._data, grad, grad, 1)
                bump_version(total)
                std = np.sqrt(total._data)
                std += kernels.scalar(group["eps"], std)
                kernels.addcdiv_(p._data, grad, std, -clr)
                bump_version(p)
