"""Custom differentiable functions: ``engine.autograd.Function``.

Same contract as ``torch.autograd.Function``: subclass with static
``forward(ctx, *args)`` (or ``forward(*args)`` plus ``setup_context(ctx,
inputs, output)``) and ``backward(ctx, *grads)`` (or ``vjp``), call ``apply``.
As in PyTorch the ``ctx`` *is* the node recorded for the call, named
``<ClassName>Backward``; every check PyTorch makes on a custom Function runs
here, at ``apply`` and when the node runs, never on the path of a plain op.
"""
import functools
import inspect
import warnings

from .. import observe
from ..backend import array_module
from . import graph
from .grad_mode import STATE, no_grad
from .node import Node, SavedTensor, _tensor_class, edge_of

LEAF_DIRTY_MESSAGE = "a leaf Variable that requires grad has been used in an in-place operation."
VIEW_OF_LEAF_DIRTY_MESSAGE = ("a view of a leaf Variable that requires grad is being used in an "
                              "in-place operation.")
DIRTY_NOT_RETURNED_MESSAGE = (
    "Some elements marked as dirty during the forward method were not returned as output. The "
    "inputs that are modified inplace must all be outputs of the Function.")
ONCE_DIFFERENTIABLE_MESSAGE = (
    "trying to differentiate twice a function that was marked with @once_differentiable")
BOTH_BACKWARD_AND_VJP_MESSAGE = (
    "Implementing both 'backward' and 'vjp' for a custom Function is not allowed. You should "
    "only implement one of them.")


class FunctionCtx:
    """What ``forward`` (or ``setup_context``) tells ``backward`` through ``ctx``."""

    def save_for_backward(self, *tensors):
        self.to_save = tensors

    def mark_dirty(self, *tensors):
        self.dirty_tensors = tensors

    def mark_non_differentiable(self, *tensors):
        self.non_differentiable = tensors

    def set_materialize_grads(self, value):
        self.materialize_grads = bool(value)

    @property
    def saved_tensors(self):
        saved = self._saved_values
        if saved is None:  # not saved yet (inside forward), as PyTorch answers then
            return ()
        return tuple(s.unpack(self) if isinstance(s, SavedTensor) else s for s in saved)


class BackwardCFunction(Node, FunctionCtx):
    """The node (and ctx) of one call of a custom Function: runs the user's ``backward``."""

    _forward_cls = None  # set on each generated subclass
    # PyTorch calls a Function's backward even when no output got a gradient (with zeros,
    # or Nones after set_materialize_grads(False)); built-in nodes are skipped then.
    runs_without_grads = True

    def __init__(self):
        Node.__init__(self, ())
        self.to_save = None
        self.dirty_tensors = ()
        self.non_differentiable = ()
        self.materialize_grads = True
        self.needs_input_grad = ()
        self._saved_values = None
        self._is_tensor_input = ()
        self._output_meta = ()

    def name(self):
        return type(self).__name__

    def __repr__(self):  # PyTorch's node classes for Functions live in torch.autograd.function
        return f"<torch.autograd.function.{type(self).__name__} object at {hex(id(self))}>"

    def apply(self, grads):
        name = type(self).__name__
        if self.materialize_grads:
            grads = [_zeros(meta) if g is None and meta is not None else g
                     for g, meta in zip(grads, self._output_meta)]
        function_cls = self._forward_cls
        backward_fn = function_cls.backward
        vjp_fn = function_cls.vjp
        if backward_fn is not Function.backward and vjp_fn is not Function.vjp:
            raise RuntimeError(BOTH_BACKWARD_AND_VJP_MESSAGE)
        user_fn = vjp_fn if vjp_fn is not Function.vjp else backward_fn
        result = user_fn(self, *grads)
        if not isinstance(result, tuple):
            result = (result,)
        expected = len(self._is_tensor_input)
        if len(result) > expected and all(g is None for g in result[expected:]):
            result = result[:expected]
        if len(result) != expected:
            raise RuntimeError(
                f"function {name} returned an incorrect number of gradients (expected {expected}, "
                f"got {len(result)})")
        Tensor = _tensor_class()
        grads_out = []
        for position, (grad, is_tensor) in enumerate(zip(result, self._is_tensor_input)):
            if not is_tensor:
                if grad is not None:
                    raise RuntimeError(
                        f"function {name} returned a gradient different than None at position "
                        f"{position + 1}, but the corresponding forward input was not a Variable")
                continue
            if grad is not None and not isinstance(grad, Tensor):
                raise RuntimeError(f"expected Variable or None (got {type(grad).__name__})")
            grads_out.append(grad)
        for index, (grad, meta) in enumerate(zip(grads_out, self._input_meta)):
            if grad is not None and not _expandable_to(meta[0], grad._data.shape):
                raise RuntimeError(
                    f"Function {name} returned an invalid gradient at index {index} - got "
                    f"{_shape_str(grad._data.shape)} but expected shape compatible with "
                    f"{_shape_str(meta[0])}")
        return tuple(grads_out)

    def backward(self, grad):
        return self.apply([grad])

    def release_saved(self):
        for value in self._saved_values or ():
            if isinstance(value, SavedTensor):
                value.free()


def _zeros(meta):
    """The gradient PyTorch materializes for an output that got none: zeros like the output."""
    shape, dtype, xp = meta
    return _tensor_class()._make(xp.zeros(shape, dtype=dtype))


def _expandable_to(shape, grad_shape):
    """True when ``shape`` broadcasts to ``grad_shape`` (the gradient is then summed back)."""
    if len(shape) > len(grad_shape):
        return False
    for size, target in zip(reversed(shape), reversed(grad_shape)):
        if size != target and size != 1:
            return False
    return True


def _shape_str(shape):
    return "[" + ", ".join(str(s) for s in shape) + "]"


class _FunctionMeta(type):
    """Gives every Function subclass its node class, ``<Name>Backward``."""

    def __init__(cls, name, bases, namespace):
        super().__init__(name, bases, namespace)
        cls._backward_cls = type(name + "Backward", (BackwardCFunction,), {"_forward_cls": cls})


class Function(FunctionCtx, metaclass=_FunctionMeta):
    """Base for user-defined ops with a hand-written backward."""

    @staticmethod
    def forward(*args, **kwargs):
        raise NotImplementedError(
            "You must implement the forward function for custom autograd.Function.")

    @staticmethod
    def setup_context(ctx, inputs, output):
        raise NotImplementedError("setup_context is not implemented.")

    @staticmethod
    def backward(ctx, *grad_outputs):
        raise NotImplementedError(
            "You must implement either the backward or vjp method for your custom "
            "autograd.Function to use it with backward mode AD.")

    vjp = backward

    def __init__(self, *args, **kwargs):
        warnings.warn(
            f"{self.__class__} should not be instantiated. Methods on autograd functions are all "
            "static, so you should invoke them on the class itself. Instantiating an autograd "
            "function will raise an error in a future version of PyTorch.", DeprecationWarning,
            stacklevel=2)

    @classmethod
    def apply(cls, *args, **kwargs):
        ctx = cls._backward_cls()
        separate_setup = cls.setup_context is not Function.setup_context
        if kwargs or separate_setup:  # setup_context sees defaults filled in, as in PyTorch
            args = _bind(cls.forward, args, kwargs, with_ctx=not separate_setup)
        Tensor = _tensor_class()
        is_tensor = tuple(isinstance(a, Tensor) for a in args)
        ctx.needs_input_grad = tuple(t and a.requires_grad for a, t in zip(args, is_tensor))
        ctx._is_tensor_input = is_tensor
        with no_grad():
            if separate_setup:
                outputs = cls.forward(*args)
                cls.setup_context(ctx, args, outputs)
            else:
                outputs = cls.forward(ctx, *args)
        if not (STATE.enabled and any(ctx.needs_input_grad)):
            return outputs
        return _record(ctx, args, outputs)


def _bind(forward, args, kwargs, with_ctx):
    """Keyword arguments of ``apply`` as positional ones (PyTorch binds them the same way)."""
    signature = inspect.signature(forward)
    try:
        bound = signature.bind(*((None,) if with_ctx else ()), *args, **kwargs)
    except TypeError as exc:
        raise TypeError(f"forward() {exc}") from None
    bound.apply_defaults()
    return bound.args[1:] if with_ctx else bound.args


def _record(ctx, args, outputs):
    """Make ``ctx`` the grad_fn of the outputs: PyTorch's checks, edges, saved tensors."""
    Tensor = _tensor_class()
    single = not isinstance(outputs, tuple)
    outs = (outputs,) if single else outputs
    to_save = ctx.to_save or ()
    for i, t in enumerate(to_save):
        if t is not None and not isinstance(t, Tensor):
            raise TypeError(
                f"save_for_backward can only save variables, but argument {i} is of type "
                f"{type(t).__name__}")
    dirty = ctx.dirty_tensors
    for t in dirty:
        if not any(t is o for o in outs):
            raise RuntimeError(DIRTY_NOT_RETURNED_MESSAGE)
        if t._grad_fn is None and t._requires_grad:
            raise RuntimeError(LEAF_DIRTY_MESSAGE)
        base = t._base
        if base is not None and base._grad_fn is None and base._requires_grad:
            raise RuntimeError(VIEW_OF_LEAF_DIRTY_MESSAGE)
    inputs = tuple(a for a in args if isinstance(a, Tensor))
    ctx.next_functions = tuple(edge_of(t) for t in inputs)
    ctx._input_meta = tuple((t._data.shape, t._data.dtype) for t in inputs)
    ctx.num_outputs = len(outs)
    non_differentiable = ctx.non_differentiable
    results, meta = [], []
    for nr, out in enumerate(outs):
        if not isinstance(out, Tensor):
            results.append(out)
            meta.append(None)
            continue
        meta.append((out._data.shape, out._data.dtype, array_module(out._data)))
        if any(out is t for t in non_differentiable):
            results.append(out)
            continue
        is_dirty = any(out is d for d in dirty)
        if is_dirty and out._base is not None and (out._base.requires_grad or out.requires_grad):
            results.append(_rebase_view(out, ctx, nr))
            continue
        if not is_dirty and any(out is a for a in args):
            out = out.view_as(out)  # an input returned as is: a view of it gets the history
        if is_dirty:
            out._version_counter.value += 1
        elif out._base is not None:
            # PyTorch's creation meta: an in-place change would bypass this Function's backward.
            out._extra["created_in"] = "custom_function"
        out._grad_fn = ctx
        out._output_nr = nr
        results.append(out)
    ctx._output_meta = tuple(meta)
    ctx._saved_values = tuple(_save(ctx, t, results) for t in to_save)
    # Held by the node, these would tie the outputs to their own grad_fn in a cycle; PyTorch
    # drops them once used, and so do we (a dropped graph is then freed by reference counts).
    ctx.to_save = None
    ctx.dirty_tensors = ctx.non_differentiable = ()
    if observe.LISTENERS:
        observe.emit("node_created", ctx, inputs, tuple(results))
    return results[0] if single else tuple(results)


def _rebase_view(view, ctx, output_nr):
    """A view changed in place by the Function: its base records the write (CopySlices) and
    the view reads its gradient out of the base's, as after any in-place op on a view."""
    from ..ops.setitem import setitem  # on use: every op module imports autograd
    result = _tensor_class()._make(view._data.copy())
    result._grad_fn = ctx
    result._output_nr = output_nr
    setitem(view, Ellipsis, result)  # writes the same values, bumps the version once
    return view


def _save(ctx, tensor, results):
    """One entry of ``save_for_backward`` as a SavedTensor (an output keeps only its array)."""
    if tensor is None:
        return None
    output_nr = next((nr for nr, r in enumerate(results) if tensor is r), None)
    if output_nr:
        saved = SavedOutput(tensor, output_nr)
    else:
        saved = SavedTensor(tensor, is_output=output_nr == 0)
    if output_nr is not None:
        saved.requires_grad = tensor.requires_grad
    hooks = graph.current_hooks()
    if hooks is not None:
        saved = graph.pack(saved, ctx, hooks)
    return saved


class SavedOutput(SavedTensor):
    """A saved output other than the first: unpacked as that output of the node (a plain
    SavedTensor rebuilds output 0, all a built-in op ever saves)."""

    __slots__ = ("output_nr",)

    def __init__(self, tensor, output_nr):
        super().__init__(tensor, is_output=True)
        self.output_nr = output_nr

    def unpack(self, node):
        out = super().unpack(node)
        out._output_nr = self.output_nr
        return out

    def unpack_unchecked(self, node):
        out = super().unpack_unchecked(node)
        out._output_nr = self.output_nr
        return out


class DelayedError(Node):
    """A node whose backward raises: what ``once_differentiable`` puts on a gradient it returns
    while grad mode records, so that only differentiating it a second time fails."""

    __slots__ = ("message", "num_outputs")
    formula = "raises: a once_differentiable Function cannot be differentiated twice"

    def name(self):
        return "torch::autograd::Error"

    def apply(self, grads):
        raise RuntimeError(self.message)


DelayedError.__name__ = DelayedError.__qualname__ = "Error"


def once_differentiable(fn):
    """Decorate a ``backward`` that is not itself differentiable (PyTorch's contract)."""
    @functools.wraps(fn)
    def wrapper(ctx, *args):
        with no_grad():
            outputs = fn(ctx, *args)
        if not STATE.enabled:
            return outputs
        Tensor = _tensor_class()
        if not any(isinstance(a, Tensor) and a.requires_grad for a in args):
            return outputs
        single = not isinstance(outputs, tuple)
        outs = (outputs,) if single else outputs
        leaves = [None if o is None else o.detach().requires_grad_() for o in outs]
        node = DelayedError(tuple(edge_of(t) for t in leaves if t is not None))
        node.message = ONCE_DIFFERENTIABLE_MESSAGE
        wrapped = []
        nr = 0
        for leaf in leaves:
            if leaf is None:
                wrapped.append(None)
                continue
            out = Tensor._make(leaf._data)
            out._grad_fn = node
            out._output_nr = nr
            nr += 1
            wrapped.append(out)
        node.num_outputs = nr
        return wrapped[0] if single else tuple(wrapped)
    return wrapper
