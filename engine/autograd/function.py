"""Custom differentiable functions: ``engine.autograd.Function``.

Same contract as ``torch.autograd.Function``: subclass with static
``forward(ctx, *args)`` and ``backward(ctx, *grads)``, call ``apply``. The
node recorded for it is named ``<ClassName>Backward``, as in PyTorch.
"""
from .. import observe
from .grad_mode import STATE, no_grad
from .node import Node, SavedTensor, edge_of


class FunctionCtx:
    """The ``ctx`` passed to forward and backward."""

    def __init__(self):
        self._to_save = ()
        self._saved = None
        self._node = None
        self._dirty = ()
        self._non_differentiable = ()
        self.needs_input_grad = ()
        self.materialize_grads = True

    def save_for_backward(self, *tensors):
        self._to_save = tensors

    def mark_dirty(self, *tensors):
        self._dirty = tensors

    def mark_non_differentiable(self, *tensors):
        self._non_differentiable = tensors

    def set_materialize_grads(self, value):
        self.materialize_grads = bool(value)

    @property
    def saved_tensors(self):
        if self._saved is None:
            return tuple(self._to_save)
        return tuple(s.unpack(self._node) if isinstance(s, SavedTensor) else s
                     for s in self._saved)


class BackwardCFunction(Node):
    """The node of a custom Function: calls the user's ``backward``."""

    __slots__ = ("ctx", "function_cls", "input_positions", "num_inputs", "num_outputs")

    def backward(self, grad):
        ctx = self.ctx
        if grad is None and ctx.materialize_grads:
            return (None,) * len(self.next_functions)
        with no_grad() if not STATE.enabled else _nullcontext():
            result = self.function_cls.backward(ctx, grad)
        if not isinstance(result, tuple):
            result = (result,)
        if len(result) < self.num_inputs:
            raise RuntimeError(
                f"function {type(self).__name__} returned an incorrect number of gradients "
                f"(expected {self.num_inputs}, got {len(result)})")
        return tuple(result[i] for i in self.input_positions)

    def release_saved(self):
        if self.ctx._saved is not None:
            for s in self.ctx._saved:
                if isinstance(s, SavedTensor):
                    s.free()

    def name(self):
        return type(self).__name__

    def __getattr__(self, name):
        # In PyTorch the node *is* the ctx: grad_fn.saved_tensors, grad_fn.needs_input_grad.
        if name == "ctx":
            raise AttributeError(name)
        return getattr(self.ctx, name)


class _nullcontext:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


class _FunctionMeta(type):
    def __init__(cls, name, bases, namespace):
        super().__init__(name, bases, namespace)
        cls._backward_cls = type(name + "Backward", (BackwardCFunction,), {"__slots__": ()})


class Function(metaclass=_FunctionMeta):
    """Base for user-defined ops with a hand-written backward."""

    @staticmethod
    def forward(ctx, *args, **kwargs):
        raise NotImplementedError("You must implement the forward function for custom autograd.Function.")

    @staticmethod
    def backward(ctx, *grads):
        raise NotImplementedError("You must implement either the backward or vjp method for your custom "
                                  "autograd.Function to use it with backward mode AD.")

    @classmethod
    def apply(cls, *args, **kwargs):
        from ..tensor import Tensor
        ctx = FunctionCtx()
        tensor_positions = [i for i, a in enumerate(args) if isinstance(a, Tensor)]
        ctx.needs_input_grad = tuple(isinstance(a, Tensor) and a.requires_grad for a in args)
        record = STATE.enabled and any(ctx.needs_input_grad)
        with no_grad():
            outputs = cls.forward(ctx, *args, **kwargs)
        if not record:
            return outputs
        single = not isinstance(outputs, tuple)
        outs = (outputs,) if single else outputs
        differentiable = tensor_positions  # PyTorch keeps an edge for every tensor argument
        node = cls._backward_cls(tuple(edge_of(args[i]) for i in differentiable))
        node.ctx = ctx
        node.function_cls = cls
        node.input_positions = differentiable
        node.num_inputs = len(args)
        node.num_outputs = len(outs)
        ctx._node = node
        ctx._saved = tuple(
            SavedTensor(t, is_output=any(t is o for o in outs)) if isinstance(t, Tensor) else t
            for t in ctx._to_save)
        results = []
        for nr, out in enumerate(outs):
            if not isinstance(out, Tensor) or any(out is t for t in ctx._non_differentiable):
                results.append(out)
                continue
            if any(out is a for a in args) and not any(out is d for d in ctx._dirty):
                out = out.view_as(out) if hasattr(out, "view_as") else out.detach()
            if any(out is d for d in ctx._dirty):
                out._version_counter.value += 1
            out._grad_fn = node
            out._output_nr = nr
            results.append(out)
        if observe.LISTENERS:
            observe.emit("node_created", node, tuple(args[i] for i in differentiable), tuple(results))
        return results[0] if single else tuple(results)
