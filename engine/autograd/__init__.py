"""``engine.autograd``: backward, grad, grad mode and custom Functions."""
import warnings

from ..backend import array_module
from . import engine as _engine
from . import function, graph  # torch.autograd.function.once_differentiable, graph.saved_tensors_hooks
from .anomaly_mode import detect_anomaly, set_detect_anomaly
from .grad_mode import enable_grad, inference_mode, is_grad_enabled, no_grad, set_grad_enabled
from .gradcheck import gradcheck, gradgradcheck
from .node import AccumulateGrad, Node, _tensor_class
from .variable import Variable

CREATE_GRAPH_WARNING = (
    "Using backward() with create_graph=True will create a reference cycle between the parameter "
    "and its gradient which can cause a memory leak. We recommend using autograd.grad when "
    "creating the graph to avoid this. If you have to use this function, make sure to reset the "
    ".grad fields of your parameters to None after use to break the cycle and avoid the leak. "
    "(Triggered internally at /__w/pytorch/pytorch/torch/csrc/autograd/engine.cpp:1307.)")


def _tensors(value):
    if isinstance(value, _tensor_class()):
        return (value,)
    return tuple(value)


def _creation():
    """``engine.creation``, looked up once (it imports this package; an import
    statement on every backward call would cost more than the seed gradient)."""
    global _creation_module
    if _creation_module is None:
        from .. import creation
        _creation_module = creation
    return _creation_module


_creation_module = None


def _make_grads(outputs, grad_outputs):
    """Seed gradients: ones for scalars, given tensors otherwise (with PyTorch's checks)."""
    Tensor = _tensor_class()
    grads = []
    for i, (out, grad) in enumerate(zip(outputs, grad_outputs)):
        if grad is None:
            # PyTorch checks only outputs that require grad here; the others fail in
            # _check_outputs ("element i of tensors does not require grad ...").
            if not out.requires_grad:
                pass
            elif out._data.size != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            elif out._data.dtype.kind != "f":
                raise RuntimeError(
                    f"grad can be implicitly created only for real scalar outputs but got "
                    f"{out.dtype}")
            # ones_like on the array: the seed of every backward, so without the
            # creation function's argument handling.
            grad = Tensor._make(array_module(out._data).ones_like(out._data))
        elif isinstance(grad, Tensor):
            if grad._data.shape != out._data.shape:  # the arrays' tuples: no Size built
                raise RuntimeError(
                    f"Mismatch in shape: grad_output[{i}] has a shape of {grad.shape} and "
                    f"output[{i}] has a shape of {out.shape}.")
        else:
            grad = _creation().tensor(grad, dtype=out.dtype)
        grads.append(grad)
    return grads


def _check_outputs(outputs):
    for i, out in enumerate(outputs):
        if not out.requires_grad:
            raise RuntimeError(
                f"element {i} of tensors does not require grad and does not have a grad_fn")


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, grad_variables=None,
             inputs=None):
    """Accumulate gradients of ``tensors`` into the leaves' ``.grad``."""
    tensors = _tensors(tensors)
    if grad_variables is not None:
        warnings.warn("`grad_variables` is deprecated. Use `grad_tensors` instead.",
                      FutureWarning, stacklevel=2)
        if grad_tensors is None:
            grad_tensors = grad_variables
        else:
            raise RuntimeError("`grad_tensors` and `grad_variables` (deprecated) arguments both "
                               "passed to `backward()`. Please only use `grad_tensors`.")
    if grad_tensors is None:
        grad_tensors = [None] * len(tensors)
    elif isinstance(grad_tensors, (list, tuple)):
        grad_tensors = list(grad_tensors)
    else:
        grad_tensors = [grad_tensors]
    if inputs is not None:
        inputs = _tensors(inputs)
        if len(inputs) == 0:
            raise RuntimeError("`inputs` argument to `backward()` cannot be empty.")
    grads = _make_grads(tensors, grad_tensors)
    _check_outputs(tensors)
    if create_graph and inputs is None:
        warnings.warn(CREATE_GRAPH_WARNING, UserWarning, stacklevel=3)
    _engine.run_backward(tensors, grads, retain_graph, create_graph, inputs=inputs)


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False,
         only_inputs=True, allow_unused=None, is_grads_batched=False, materialize_grads=False):
    """Return the gradients of ``outputs`` with respect to ``inputs`` (nothing accumulates)."""
    outputs = _tensors(outputs)
    inputs = _tensors(inputs)
    if not inputs:
        raise RuntimeError("`inputs` argument to `grad()` cannot be empty.")
    for value in inputs:
        if not isinstance(value, _tensor_class()):
            raise RuntimeError("all inputs have to be Tensors or GradientEdges, but got "
                               f"{type(value).__name__}")
    if grad_outputs is None:
        grad_outputs = [None] * len(outputs)
    else:
        grad_outputs = list(grad_outputs) if isinstance(grad_outputs, (list, tuple)) \
            else [grad_outputs]
    if allow_unused is None:
        allow_unused = materialize_grads
    grads = _make_grads(outputs, grad_outputs)
    _check_outputs(outputs)
    result = _engine.run_backward(outputs, grads, retain_graph, create_graph, inputs=inputs,
                                  capture=True, allow_unused=allow_unused)
    if materialize_grads:
        from ..creation import zeros_like
        result = tuple(g if g is not None else zeros_like(t) for g, t in zip(result, inputs))
    return result


def __getattr__(name):
    if name == "Function":
        from .function import Function
        return Function
    if name == "functional":  # imported on first use, as torch.autograd.functional is
        import importlib
        return importlib.import_module(".functional", __name__)
    raise AttributeError(f"module 'engine.autograd' has no attribute {name!r}")


__all__ = ["backward", "grad", "no_grad", "enable_grad", "set_grad_enabled", "is_grad_enabled",
           "inference_mode", "Node", "AccumulateGrad"]
