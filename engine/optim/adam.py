"""``Adam`` and ``AdamW``: PyTorch's single-tensor update, AMSGrad, weight decay (coupled
or decoupled), maximize.

Our square root is numpy's, correctly rounded; PyTorch's CPU ``sqrt`` (MKL's
vectorised one) can be one unit in the last place off, so after such an
element the trajectories may differ in the last bits.
"""
import numpy as np

from ..tensor import Tensor
from . import kernels
from ._checks import check_learning_rate, check_not_negative
from ._state import advance, number, params_with_grad, signed_grad, step_counter, zeros_like
from .optimizer import Optimizer, bump_version, step_without_grad


class Adam(Optimizer):
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 amsgrad=False, *, foreach=None, maximize=False, capturable=False,
                 differentiable=False, fused=None, decoupled_weight_decay=False):
        check_learning_rate(lr)
        check_not_negative(eps=eps)
        if not 0.0 <= betas[0] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 0: {betas[0]}")
        if not 0.0 <= betas[1] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 1: {betas[1]}")
        check_not_negative(weight_decay=weight_decay)
        if not ((isinstance(betas[0], float) and isinstance(betas[1], float))
                or (isinstance(betas[0], Tensor) and isinstance(betas[1], Tensor))):
            raise ValueError("betas must be either both floats or both Tensors")
        betas = tuple(number(b) for b in betas)
        defaults = {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay,
                    "amsgrad": amsgrad, "maximize": maximize, "foreach": foreach,
                    "capturable": capturable, "differentiable": differentiable, "fused": fused,
                    "decoupled_weight_decay": decoupled_weight_decay}
        super().__init__(params, defaults)

    def _state_of(self, p, amsgrad):
        state = self.state[p]
        if len(state) == 0:
            state["step"] = step_counter()
            state["exp_avg"] = zeros_like(p)
            state["exp_avg_sq"] = zeros_like(p)
            if amsgrad:
                state["max_exp_avg_sq"] = zeros_like(p)
        return state

    @step_without_grad
    def step(self):
        for group in self.param_groups:
            beta1, beta2 = group["betas"]
            lr = number(group["lr"])
            for p in params_with_grad(group):
                state = self._state_of(p, group["amsgrad"])
                self._update(p, state, group, lr, beta1, beta2)

    @staticmethod
    def _update(p, state, group, lr, beta1, beta2):
        param = p._data
        grad = signed_grad(p, group["maximize"])
        step = advance(state["step"])
        weight_decay = group["weight_decay"]
        if weight_decay != 0:
            if group["decoupled_weight_decay"]:
                param *= kernels.scalar(1 - lr * weight_decay, param)
                bump_version(p)
            else:
                grad = kernels.add(grad, param, weight_decay)
        exp_avg, exp_avg_sq = state["exp_avg"], state["exp_avg_sq"]
        kernels.lerp_(exp_avg._data, grad, 1 - beta1)
        bump_version(exp_avg)
        exp_avg_sq._data *= kernels.scalar(beta2, param)
        kernels.addcmul_(exp_avg_sq._data, grad, grad, 1 - beta2)
        bump_version(exp_avg_sq)
        bump_version(exp_avg_sq)

        bias_correction1 = 1 - beta1 ** step
        bias_correction2 = 1 - beta2 ** step
        step_size = lr / bias_correction1
        bias_correction2_sqrt = bias_correction2 ** 0.5
        second_moment = exp_avg_sq._data
        if group["amsgrad"]:
            max_exp_avg_sq = state["max_exp_avg_sq"]
            np.maximum(max_exp_avg_sq._data, second_moment, out=max_exp_avg_sq._data)
            bump_version(max_exp_avg_sq)
            second_moment = max_exp_avg_sq._data
        denom = np.sqrt(second_moment)
        denom /= kernels.scalar(bias_correction2_sqrt, param)
        denom += kernels.scalar(group["eps"], param)
        kernels.addcdiv_(param, exp_avg._data, denom, -step_size)
        bump_version(p)


class AdamW(Adam):
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2,
                 amsgrad=False, *, maximize=False, foreach=None, capturable=False,
                 differentiable=False, fused=None):
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, foreach=foreach,
                         maximize=maximize, capturable=capturable,
                         differentiable=differentiable, fused=fused,
                         decoupled_weight_decay=True)

    def __setstate__(self, state):
        super().__setstate__(state)
        for group in self.param_groups:
            group["decoupled_weight_decay"] = True
