"""Module backward hooks (``register_full_backward_hook``, ``..._pre_hook``), built as
PyTorch builds them: the module's input tensors and its output tensors each pass
through an identity node, ``BackwardHookFunctionBackward``. The output node's
hook records the gradients of the outputs (after the pre-hooks); the input
node's hook then calls the user hooks with ``(module, grad_input, grad_output)``
and may replace ``grad_input``. So ``model(x).grad_fn`` prints as it does in
PyTorch when a module carries such a hook.
"""
import warnings

from ... import observe
from ...autograd.grad_mode import is_grad_enabled
from ...autograd.node import Node, edge_of
from ...tensor import Tensor


class BackwardHookFunctionBackward(Node):
    """Identity on each tensor; absent gradients become zeros (a custom Function's
    materialised gradients)."""

    __slots__ = ("num_outputs",)
    formula = "identity: each gradient passes through unchanged"

    def apply(self, grads):
        out = []
        for grad, meta in zip(grads, self._input_meta):
            if grad is None and meta is not None:
                from ...creation import zeros
                grad = zeros(meta[0], dtype=_engine_dtype(meta[1]))
            out.append(grad)
        return tuple(out)


def _engine_dtype(numpy_dtype):
    from ... import dtypes
    return dtypes.from_numpy(numpy_dtype)


def _identity_node(tensors):
    """New tensors aliasing ``tensors``, those that require grad under one identity node."""
    node = BackwardHookFunctionBackward(tuple(edge_of(t) for t in tensors))
    node.num_outputs = len(tensors)
    node._input_meta = tuple((t._data.shape, t._data.dtype) for t in tensors)
    outputs = []
    for nr, t in enumerate(tensors):
        out = Tensor._make(t._data)
        out._version_counter = t._version_counter
        if t.requires_grad:
            out._grad_fn = node
            out._output_nr = nr
        outputs.append(out)
    if observe.LISTENERS:
        observe.emit("node_created", node, tuple(tensors), tuple(outputs))
    return node, outputs


def _pack_with_none(indices, values, size):
    packed = [None] * size
    for index, value in zip(indices, values):
        packed[index] = value
    return tuple(packed)


class BackwardHook:
    """Joins a module call's input and output gradients for its backward hooks."""

    def __init__(self, module, user_hooks, user_pre_hooks):
        self.module = module
        self.user_hooks = user_hooks
        self.user_pre_hooks = user_pre_hooks
        self.grad_outputs = None
        self.n_outputs = -1
        self.output_tensors_index = None
        self.n_inputs = -1
        self.input_tensors_index = None

    def _apply_on_tensors(self, register, args):
        indices = [i for i, arg in enumerate(args) if isinstance(arg, Tensor)]
        tensors = [args[i] for i in indices]
        if not (any(t.requires_grad for t in tensors) and is_grad_enabled()):
            return args, None
        node, new_tensors = _identity_node(tensors)
        register(node)
        replaced = list(args)
        for index, value in zip(indices, new_tensors):
            replaced[index] = value
        return tuple(replaced), indices

    def _input_hook(self, grad_input, _grad_output):
        if self.grad_outputs is None:
            return None  # the gradient reached the inputs without passing the outputs
        result = _pack_with_none(self.input_tensors_index, grad_input, self.n_inputs)
        for hook in self.user_hooks:
            out = hook(self.module, result, self.grad_outputs)
            if out is None:
                continue
            if len(out) != len(result):
                raise RuntimeError("Backward hook returned an invalid number of grad_input, "
                                   f"got {len(out)}, but expected {len(result)}")
            result = out
        self.grad_outputs = None
        return tuple(result[i] for i in self.input_tensors_index)

    def setup_input_hook(self, args):
        result, indices = self._apply_on_tensors(
            lambda node: node.register_hook(self._input_hook), args)
        self.n_inputs = len(args)
        self.input_tensors_index = indices
        return result

    def _output_hook(self, _grad_input, grad_output):
        self.grad_outputs = _pack_with_none(self.output_tensors_index, grad_output,
                                            self.n_outputs)
        for pre_hook in self.user_pre_hooks:
            replaced = pre_hook(self.module, self.grad_outputs)
            if replaced is None:
                continue
            if len(replaced) != len(self.grad_outputs):
                raise RuntimeError("Backward pre hook returned an invalid number of grad_output, "
                                   f"got {len(replaced)}, but expected {len(self.grad_outputs)}")
            self.grad_outputs = replaced
        local_grad_outputs = self.grad_outputs
        if self.input_tensors_index is None:
            # No input requires grad: the user hooks fire here, with no grad_input.
            warnings.warn(
                "Full backward hook is firing when gradients are computed with respect to module "
                "outputs since no inputs require gradients. See https://docs.pytorch.org/docs/"
                "main/generated/torch.nn.Module.html#torch.nn.Module.register_full_backward_hook "
                "for more details.", UserWarning, stacklevel=2)
            grad_inputs = (None,) * self.n_inputs
            for user_hook in self.user_hooks:
                result = user_hook(self.module, grad_inputs, self.grad_outputs)
                if result is not None and not (isinstance(result, tuple)
                                               and all(el is None for el in result)):
                    raise RuntimeError("Backward hook for Modules where no input requires "
                                       "gradient should always return None or None for all "
                                       "gradients.")
            self.grad_outputs = None
        return tuple(local_grad_outputs[i] for i in self.output_tensors_index)

    def setup_output_hook(self, outputs):
        single = not isinstance(outputs, tuple)
        if single:
            outputs = (outputs,)
        result, indices = self._apply_on_tensors(
            lambda node: node.register_hook(self._output_hook), outputs)
        self.n_outputs = len(outputs)
        self.output_tensors_index = indices
        return result[0] if single else result


_NON_FULL_HOOK_ADVICE = "Please use register_full_backward_hook to get the documented behavior."


def warn_non_full_backward_hook(inputs, result, grad_fn):
    """PyTorch's FutureWarnings where a deprecated backward hook will miss gradients."""
    def warn(message):
        warnings.warn(message, FutureWarning, stacklevel=4)

    if isinstance(result, Tensor):
        result = (result,)
    elif not (isinstance(result, tuple) and all(isinstance(r, Tensor) for r in result)):
        return warn("Using non-full backward hooks on a Module that does not return a single "
                    "Tensor or a tuple of Tensors is deprecated and will be removed in future "
                    "versions. This hook will be missing some of the grad_output. "
                    + _NON_FULL_HOOK_ADVICE)
    if isinstance(inputs, Tensor):
        inputs = (inputs,)
    elif not (isinstance(inputs, tuple) and all(isinstance(i, Tensor) for i in inputs)):
        return warn("Using non-full backward hooks on a Module that does not take as input a "
                    "single Tensor or a tuple of Tensors is deprecated and will be removed in "
                    "future versions. This hook will be missing some of the grad_input. "
                    + _NON_FULL_HOOK_ADVICE)
    out_grad_fns = {r.grad_fn for r in result if r.grad_fn is not None}
    if not out_grad_fns or (len(out_grad_fns) == 1 and grad_fn not in out_grad_fns):
        warn("Using a non-full backward hook when outputs are nested in python data structure is "
             "deprecated and will be removed in future versions. This hook will be missing some "
             "grad_output.")
    elif len(out_grad_fns) > 1:
        warn("Using a non-full backward hook when outputs are generated by different autograd "
             "Nodes is deprecated and will be removed in future versions. This hook will be "
             "missing some grad_output. " + _NON_FULL_HOOK_ADVICE)
    elif {i.grad_fn for i in inputs if i.grad_fn is not None} != \
            {n[0] for n in grad_fn.next_functions}:
        warn("Using a non-full backward hook when the forward contains multiple autograd Nodes is "
             "deprecated and will be removed in future versions. This hook will be missing some "
             "grad_input. " + _NON_FULL_HOOK_ADVICE)
