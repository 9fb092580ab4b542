"""``engine.autograd.graph``: hooks on the graph, as ``torch.autograd.graph`` has them.

``saved_tensors_hooks(pack, unpack)``: every tensor a node saves while the
block is active is handed to ``pack``, and what ``pack`` returned is handed to
``unpack`` whenever backward (or ``grad_fn._saved_*``) needs the tensor back;
``save_on_cpu``, ``disable_saved_tensors_hooks`` and ``grad_fn._raw_saved_*``
handles build on it. ``register_multi_grad_hook`` waits for the gradients of
several tensors in one backward pass.

Ops save their tensors on the hot path of every recorded op, so the hooks are
not looked up there: while any hooks are active a graph listener (see
``engine.observe``) packs the saved tensors of each node as it is created.
Custom Functions pack theirs at ``apply`` (``function.py``).
"""
import threading
import weakref

from .. import observe
from .node import FREED_MESSAGE, AccumulateGrad, Node, SavedTensor, _tensor_class, edge_of

UNPACK_TYPE_MESSAGE = "Output of saved tensor unpack_hook expected to be a Tensor but got result of type {}"
HOOKS_ALREADY_SET_MESSAGE = (
    "Calling register_hooks on a saved tensor whose hooks have already been set. Hint: only one "
    "pair of hooks is allowed at a time.")


class _Stack(threading.local):
    def __init__(self):
        self.hooks = []
        self.disabled = None  # the error message while disable_saved_tensors_hooks is active


_STACK = _Stack()
_LISTENING = {"threads": 0}  # how many threads have hooks active: the packer listens while any do
_LISTENING_LOCK = threading.Lock()


def _listen(change):
    with _LISTENING_LOCK:
        before = _LISTENING["threads"]
        _LISTENING["threads"] = before + change
        if before == 0 and change > 0:
            observe.add_listener(_PACKER)
        elif before + change == 0:
            observe.remove_listener(_PACKER)


def current_hooks():
    """The innermost active ``(pack, unpack)`` pair, or None."""
    hooks = _STACK.hooks
    return hooks[-1] if hooks else None


class HookedSavedTensor(SavedTensor):
    """A saved tensor kept as whatever ``pack`` returned; ``unpack`` rebuilds it on each use.

    As in PyTorch, what ``unpack`` returns gets the saved tensor's place in the
    graph: a saved output has the node as its grad_fn, a saved input the edge
    the input had (its grad_fn, or its leaf's AccumulateGrad).
    """

    __slots__ = ("packed", "unpack_hook", "edge", "output_nr")

    def __init__(self, saved, packed, unpack_hook, edge):
        self.tensor = None
        self.data = None
        self.counter = saved.version_counter()  # the tensor itself is not kept
        self.version = saved.version
        # only a saved output has the flag (an input is kept as the tensor itself)
        self.requires_grad = saved.tensor is None and saved.requires_grad
        self.packed = packed
        self.unpack_hook = unpack_hook
        self.edge = edge
        self.output_nr = getattr(saved, "output_nr", 0)  # see function.SavedOutput

    def unpack(self, node):
        if self.data is not None:  # freed (release_saved marks data)
            raise RuntimeError(FREED_MESSAGE)
        Tensor = _tensor_class()
        value = self.unpack_hook(self.packed)
        if not isinstance(value, Tensor):
            raise TypeError(UNPACK_TYPE_MESSAGE.format(type(value).__name__))
        out = Tensor._make(value._data)
        if self.requires_grad:
            out._grad_fn = node
            out._output_nr = self.output_nr
        elif self.edge is not None:
            fn, output_nr = self.edge
            if type(fn) is AccumulateGrad:
                out._requires_grad = True
                out._grad_acc = weakref.ref(fn)
            else:
                out._grad_fn, out._output_nr = fn, output_nr
        return out

    def unpack_data(self, node):
        return self.unpack(node)._data

    unpack_unchecked = unpack

    def free(self):
        super().free()
        self.packed = None


def pack(saved, node, hooks, detached=False):
    """``saved`` handed to the pack hook (``detached``: without its history, as
    ``register_hooks`` hands it); the HookedSavedTensor that replaces it."""
    pack_hook, unpack_hook = hooks
    tensor = saved.unpack_unchecked(node)
    edge = None
    if saved.tensor is not None and tensor.requires_grad:
        edge = edge_of(tensor)
    packed = pack_hook(tensor.detach() if detached else tensor)
    return HookedSavedTensor(saved, packed, unpack_hook, edge)


def _pack_saved(node, hooks):
    """Pack every saved tensor of a just-created op node (Python numbers stay as they are)."""
    saved = node._saved
    if not saved:
        return
    node._saved = tuple(
        pack(value, node, hooks) if type(value) is SavedTensor else value for value in saved)


class _Packer:
    """The graph listener that packs saved tensors while hooks are active."""

    @staticmethod
    def node_created(node, inputs, outputs):
        hooks = current_hooks()
        if hooks is not None:
            _pack_saved(node, hooks)


_PACKER = _Packer()


class saved_tensors_hooks:  # noqa: N801 - PyTorch's name
    """Context manager: ``pack``/``unpack`` hooks for tensors saved inside it."""

    def __init__(self, pack_hook, unpack_hook):
        self.pack_hook = pack_hook
        self.unpack_hook = unpack_hook

    def __enter__(self):
        if _STACK.disabled is not None:
            raise RuntimeError(_STACK.disabled)
        stack = _STACK.hooks
        if not stack:
            _listen(+1)
        stack.append((self.pack_hook, self.unpack_hook))

    def __exit__(self, *exc):
        stack = _STACK.hooks
        stack.pop()
        if not stack:
            _listen(-1)
        return False


class disable_saved_tensors_hooks:  # noqa: N801 - PyTorch's name
    """Context manager in which entering ``saved_tensors_hooks`` raises ``error_message``
    (entering it while hooks are active raises the message too, as PyTorch does)."""

    def __init__(self, error_message):
        self.error_message = error_message

    def __enter__(self):
        if _STACK.hooks:
            raise RuntimeError(self.error_message)
        self.previous = _STACK.disabled
        _STACK.disabled = self.error_message

    def __exit__(self, *exc):
        _STACK.disabled = self.previous
        return False


def increment_version(tensor):
    """Bump the version counter of ``tensor`` (or of each tensor of an iterable), as an
    in-place change would, for changes made behind autograd's back."""
    tensors = (tensor,) if isinstance(tensor, _tensor_class()) else tuple(tensor)
    for t in tensors:
        t._version_counter.value += 1


class save_on_cpu(saved_tensors_hooks):  # noqa: N801 - PyTorch's name
    """Keep saved tensors in host memory until backward needs them.

    As PyTorch does, a saved tensor is packed as a copy on the CPU and moved
    back to its device on unpack; for a tensor already on the CPU that is a
    detached copy of the same values.
    """

    def __init__(self, pin_memory=False, device_type="cuda"):
        def pack_to_cpu(tensor):
            return tensor.device, tensor.detach().cpu().clone()

        def unpack_from_cpu(packed):
            device, tensor = packed
            return tensor.to(device)

        super().__init__(pack_to_cpu, unpack_from_cpu)


class RawSavedTensor:
    """``grad_fn._raw_saved_<name>``: a handle on one saved tensor (``torch._C._autograd.SavedTensor``)."""

    __slots__ = ("_node", "_index")

    def __init__(self, node, index):
        self._node = node
        self._index = index

    def __repr__(self):
        return f"<torch._C._autograd.SavedTensor object at {hex(id(self))}>"

    def register_hooks(self, pack_hook, unpack_hook):
        """Pack the saved tensor now; ``unpack_hook`` rebuilds it whenever it is used."""
        if not callable(pack_hook) or not callable(unpack_hook):
            raise TypeError("register_hooks(): incompatible function arguments.")
        saved = list(self._node._saved)
        value = saved[self._index]
        if type(value) is not SavedTensor:
            raise RuntimeError(HOOKS_ALREADY_SET_MESSAGE)
        if value.is_freed:
            raise RuntimeError(FREED_MESSAGE)
        saved[self._index] = pack(value, self._node, (pack_hook, unpack_hook), detached=True)
        self._node._saved = tuple(saved)

    def unpack(self):
        return self._node.saved(self._index)


MULTI_GRAD_MODES = ("all", "any")


class _MultiHandle:
    """What ``register_multi_grad_hook`` returns: ``remove()`` removes the hook from every tensor."""

    def __init__(self, handles):
        self.handles = handles

    def remove(self):
        for handle in self.handles:
            handle.remove()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()


def register_multi_grad_hook(tensors, fn, *, mode="all"):
    """Call ``fn`` once the gradients of ``tensors`` in a backward pass are computed.

    ``mode="all"``: ``fn(grads)`` with one entry per tensor, None for those the
    pass does not reach; ``mode="any"``: ``fn(grad)`` with the first one computed.
    """
    from . import engine
    if mode not in MULTI_GRAD_MODES:
        raise ValueError(f"Expects mode to be one of {MULTI_GRAD_MODES} but got {mode}")
    tensors = tuple(tensors)
    # The pass the gradients belong to, weakly: a finished pass must not keep its graph alive.
    state = {"task": lambda: None, "grads": None, "left": 0}

    def new_pass():
        task = engine.current_task()
        if state["task"]() is task:
            return False
        state["task"] = weakref.ref(task)
        return True

    def all_hook(index):
        def hook(grad):
            if new_pass():
                state["grads"] = [None] * len(tensors)
                state["left"] = sum(engine.will_execute(t) for t in tensors)
            state["grads"][index] = grad
            state["left"] -= 1
            if state["left"] == 0:
                grads, state["grads"] = state["grads"], None  # a list, as PyTorch passes it
                fn(grads)
        return hook

    def any_hook(grad):
        if new_pass():
            fn(grad)

    handles = [t.register_hook(all_hook(i) if mode == "all" else any_hook)
               for i, t in enumerate(tensors) if t.requires_grad]
    return _MultiHandle(handles)


__all__ = ["Node", "saved_tensors_hooks", "save_on_cpu", "disable_saved_tensors_hooks",
           "register_multi_grad_hook", "increment_version"]
