"""``SGD``: PyTorch's single-tensor update, momentum, dampening, Nesterov, weight decay."""
import numpy as np

from ..tensor import Tensor
from . import kernels
from ._state import number, params_with_grad, signed_grad
from .optimizer import Optimizer, bump_version, step_without_grad


class SGD(Optimizer):
    def __init__(self, params, lr=1e-3, momentum=0, dampening=0, weight_decay=0,
                 nesterov=False, *, maximize=False, foreach=None, differentiable=False,
                 fused=None):
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if momentum < 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        defaults = {"lr": lr, "momentum": momentum, "dampening": dampening,
                    "weight_decay": weight_decay, "nesterov": nesterov, "maximize": maximize,
                    "foreach": foreach, "differentiable": differentiable, "fused": fused}
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        super().__init__(params, defaults)

    @step_without_grad
    def step(self):
        for group in self.param_groups:
            lr = number(group["lr"])
            weight_decay = group["weight_decay"]
            momentum = group["momentum"]
            for p in params_with_grad(group):
                grad = signed_grad(p, group["maximize"])
                if weight_decay != 0:
                    grad = kernels.add(grad, p._data, weight_decay)
                if momentum != 0:
                    grad = self._momentum(p, grad, momentum, group)
                kernels.add_(p._data, grad, -lr)
                bump_version(p)

    def _momentum(self, p, grad, momentum, group):
        state = self.state[p]
        buf = state.get("momentum_buffer")
        if buf is None:
            buf = state["momentum_buffer"] = Tensor._make(np.array(grad))
        else:
            buf._data *= kernels.scalar(momentum, buf._data)
            kernels.add_(buf._data, grad, 1 - group["dampening"])
            bump_version(buf)
            bump_version(buf)
        if group["nesterov"]:
            return kernels.add(grad, buf._data, momentum)
        return buf._data
