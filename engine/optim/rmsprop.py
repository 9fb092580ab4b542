"""``RMSprop``: PyTorch's single-tensor update, centered, momentum, weight decay, maximize.

As in adam.py, our square root is correctly rounded where PyTorch's CPU one
may be a unit in the last place off.
"""
import numpy as np

from . import kernels
from ._checks import check_learning_rate, check_not_negative
from ._state import advance, number, params_with_grad, signed_grad, step_counter, zeros_like
from .optimizer import Optimizer, bump_version, step_without_grad


class RMSprop(Optimizer):
    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0,
                 centered=False, capturable=False, foreach=None, maximize=False,
                 differentiable=False):
        check_learning_rate(lr)
        check_not_negative(eps=eps, momentum=momentum, weight_decay=weight_decay, alpha=alpha)
        defaults = {"lr": lr, "momentum": momentum, "alpha": alpha, "eps": eps,
                    "centered": centered, "weight_decay": weight_decay,
                    "capturable": capturable, "foreach": foreach, "maximize": maximize,
                    "differentiable": differentiable}
        super().__init__(params, defaults)

    def _state_of(self, p, group):
        state = self.state[p]
        if len(state) == 0:
            state["step"] = step_counter()
            state["square_avg"] = zeros_like(p)
            if group["momentum"] > 0:
                state["momentum_buffer"] = zeros_like(p)
            if group["centered"]:
                state["grad_avg"] = zeros_like(p)
        return state

    @step_without_grad
    def step(self):
        for group in self.param_groups:
            lr = number(group["lr"])
            for p in params_with_grad(group):
                self._update(p, self._state_of(p, group), group, lr)

    @staticmethod
    def _update(p, state, group, lr):
        param = p._data
        alpha = group["alpha"]
        advance(state["step"])
        grad = signed_grad(p, group["maximize"])
        if group["weight_decay"] != 0:
            grad = kernels.add(grad, param, group["weight_decay"])
        square_avg = state["square_avg"]
        square_avg._data *= kernels.scalar(alpha, param)
        kernels.addcmul_(square_avg._data, grad, grad, 1 - alpha)
        bump_version(square_avg)
        bump_version(square_avg)
        if group["centered"]:
            grad_avg = state["grad_avg"]
            kernels.lerp_(grad_avg._data, grad, 1 - alpha)
            bump_version(grad_avg)
            avg = np.sqrt(kernels.addcmul(square_avg._data, grad_avg._data, grad_avg._data, -1))
        else:
            avg = np.sqrt(square_avg._data)
        avg += kernels.scalar(group["eps"], param)
        if group["momentum"] > 0:
            buf = state["momentum_buffer"]
            buf._data *= kernels.scalar(group["momentum"], param)
            kernels.addcdiv_(buf._data, grad, avg)
            bump_version(buf)
            bump_version(buf)
            kernels.add_(param, buf._data, -lr)
        else:
            kernels.addcdiv_(param, grad, avg, -lr)
        bump_version(p)
