"""Function nodes (``grad_fn``), saved tensors, and recording ops into the graph.

A node holds only what backward needs: ``next_functions`` (edges to the nodes
of its inputs, in argument order) and saved values. It never holds its own
output tensor strongly; a saved output keeps its array and is rebuilt on
unpack (see NOTE [saved outputs]). So tensors and nodes form no reference
cycles and a dropped graph is freed by reference counting alone.
"""
import itertools
import re
import weakref

import numpy as np

from . import derivative
from .grad_mode import STATE

_sequence = itertools.count()

FREED_MESSAGE = (
    "Trying to backward through the graph a second time (or directly access saved tensors after "
    "they have already been freed). Saved intermediate values of the graph are freed when you call "
    ".backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the "
    "graph a second time or if you need to access saved tensors after calling backward.")

_TYPE_NAMES = {
    "float32": "FloatTensor", "float64": "DoubleTensor", "float16": "HalfTensor",
    "int64": "LongTensor", "int32": "IntTensor", "int16": "ShortTensor", "int8": "CharTensor",
    "uint8": "ByteTensor", "bool": "BoolTensor",
}


def legacy_type_name(tensor):
    """PyTorch's legacy type string, e.g. ``torch.FloatTensor``."""
    prefix = "torch.cuda." if tensor.device.type == "cuda" else "torch."
    return prefix + _TYPE_NAMES[tensor.dtype.name]


class VersionCounter:
    """Counts in-place changes of one storage; shared by views and ``detach()`` aliases."""

    __slots__ = ("value",)

    def __init__(self):
        self.value = 0


_FREED = object()


def _tensor_class():
    """Tensor, imported on first use (tensor.py imports this module)."""
    global _Tensor
    if _Tensor is None:
        from ..tensor import Tensor
        _Tensor = Tensor
    return _Tensor


_Tensor = None
_NO_VERSION = VersionCounter()


# NOTE [saved outputs]
# A node that saves its own result (ExpBackward0's ``_saved_result``) must not
# hold the output tensor: the tensor holds the node through ``grad_fn``, and the
# pair would be a cycle that only the cyclic garbage collector can free. Like
# PyTorch's SavedVariable we keep the output's array and version counter and
# rebuild a tensor (with this node as its grad_fn) whenever it is unpacked.
# NOTE [lazy version counters]
# A saved input is kept as the tensor itself, so its version can be read from
# the tensor when it is unpacked: a tensor with no VersionCounter yet is saved
# with ``counter`` None and version 0, and none is made for it. Whatever changes
# it later (an in-place op, a view sharing its storage) gives it a counter that
# starts at 0, so the check at unpacking sees every change. (A counter is only
# ever handed over to a tensor just made: a view, ``detach()``, a Parameter.)
# Most saved tensors are results in a chain, never changed in place: they need
# no counter at all. A saved output keeps no tensor, so it gets its counter.
class SavedTensor:
    """A tensor saved for backward, checked against in-place changes when unpacked."""

    __slots__ = ("tensor", "data", "version", "counter", "requires_grad")

    def __init__(self, tensor, is_output=False):
        counter = tensor._counter  # the _version_counter property, inlined: every op saves
        if is_output:
            if counter is None:
                counter = tensor._counter = VersionCounter()
            self.tensor = None
            self.data = tensor._data
            # Saved before the node is attached, so the tensor does not require grad yet;
            # an output of a recorded node always has that node as its grad_fn.
            self.requires_grad = True
        else:
            self.tensor = tensor
            self.data = None
        self.counter = counter  # None: NOTE [lazy version counters]
        self.version = counter.value if counter is not None else 0

    def current_version(self):
        """The saved tensor's version now (NOTE [lazy version counters])."""
        counter = self.counter
        if counter is None:
            counter = self.tensor._counter if self.tensor is not None else None
            if counter is None:
                return 0
        return counter.value

    def version_counter(self):
        """The saved tensor's VersionCounter, made now if it has none yet."""
        if self.counter is None and self.tensor is not None:
            return self.tensor._version_counter
        return self.counter

    def layout_data(self):
        """The saved array without the checks of unpacking, None once freed: for its shape
        and strides only, which PyTorch keeps apart from the values (a product's backward
        lays out one operand's gradient as that operand was, whether or not it needs its
        values)."""
        if self.data is _FREED:
            return None
        return self.data if self.tensor is None else self.tensor._data

    def unpack_data(self, node):
        """The saved array, checked as ``unpack`` checks it, without building a tensor."""
        if self.data is _FREED:
            raise RuntimeError(FREED_MESSAGE)
        counter = self.counter
        if counter is None:  # NOTE [lazy version counters]: the tensor's own, if it has one now
            counter = self.tensor._counter
            if counter is not None and counter.value:
                raise RuntimeError(self._version_message(node))
            return self.tensor._data
        if counter.value != self.version:
            raise RuntimeError(self._version_message(node))
        return self.data if self.tensor is None else self.tensor._data

    def unpack(self, node):
        if self.data is _FREED:
            raise RuntimeError(FREED_MESSAGE)
        if self.current_version() != self.version:
            raise RuntimeError(self._version_message(node))
        if self.tensor is not None:
            return self.tensor
        out = _tensor_class()._make(self.data)
        out._version_counter = self.version_counter()
        if self.requires_grad:
            out._grad_fn = node
        return out

    def _version_message(self, node):
        tensor = self.tensor if self.tensor is not None else self.unpack_unchecked(node)
        shape = ", ".join(str(s) for s in tensor.shape)
        where = ""
        if tensor.grad_fn is not None:
            short = re.sub(r"Backward\d*$", "", tensor.grad_fn.name())
            where = f", which is output {tensor._output_nr} of {short},"
        return (
            "one of the variables needed for gradient computation has been modified by an inplace "
            f"operation: [{legacy_type_name(tensor)} [{shape}]]{where} is at version "
            f"{self.current_version()}; expected version {self.version} instead. "
            f"Hint: {_version_hint()}")

    def unpack_unchecked(self, node):
        if self.tensor is not None:
            return self.tensor
        out = _tensor_class()._make(self.data)
        out._grad_fn = node if self.requires_grad else None
        return out

    def free(self):
        self.tensor = None
        self.data = _FREED

    @property
    def is_freed(self):
        return self.data is _FREED


def _version_hint():
    """PyTorch's hint after a version mismatch, which knows whether anomaly mode is on."""
    from .anomaly_mode import is_anomaly_enabled
    if is_anomaly_enabled():
        return ("the backtrace further above shows the operation that failed to compute its "
                "gradient. The variable in question was changed in there or anywhere later. "
                "Good luck!")
    return ("enable anomaly detection to find the operation that failed to compute its gradient, "
            "with torch.autograd.set_detect_anomaly(True, check_nan=False).")


class SavedNumber(SavedTensor):
    """A Python number PyTorch keeps as a saved (wrapped) tensor, e.g. ``2`` in ``x * 2``.

    It is freed after backward like any saved tensor, which is why a second
    backward through ``x * 2`` raises in PyTorch too.
    """

    __slots__ = ()

    def __init__(self, value):
        self.tensor = None
        self.data = value
        self.counter = _NO_VERSION
        self.version = 0
        self.requires_grad = False

    def unpack(self, node):
        if self.data is _FREED:
            raise RuntimeError(FREED_MESSAGE)
        return self.data

    unpack_data = unpack


class Node:
    """Base of every ``grad_fn``. Subclasses are named exactly as PyTorch names them.

    Subclass contract:
    - ``saved_fields``: names of saved values; each is exposed as ``_saved_<name>``.
      A value that is a SavedTensor is unpacked (and version-checked); other
      values (exponents, dims, sizes) are returned as stored.
    - ``gradients``: the derivative, written once as data, ``{input name:
      expression}`` (engine/autograd/derivative.py); ``backward``,
      ``backward_arrays`` and ``formula`` are generated from it. A node whose
      derivative cannot be written so states the three below by hand.
    - ``backward(self, grad)``: given the gradient of the output, return one
      gradient (or None) per entry of ``next_functions``. It computes with
      engine tensors so that ``create_graph=True`` records it like any op.
    - ``formula``: the backward formula as the inspector shows it.
    - optionally ``backward_arrays(self, grad)``: the same formula on backend
      arrays (``grad`` is the gradient's array; read saved values with
      ``saved_data``), returning arrays or None in ``backward``'s layout, or
      NotImplemented to decline (say, operands whose dtypes numpy would promote
      differently). The engine uses it when it records nothing
      (``create_graph=False``): one numpy expression instead of several engine
      ops, each a tensor with dtype checks. It must compute exactly what
      ``backward`` computes, in the same order, so results are bit for bit
      equal; ``backward`` stays the reference.
    """

    __slots__ = ("next_functions", "_seq", "_saved", "_extra", "_input_meta", "__weakref__")

    saved_fields = ()
    formula = ""
    num_outputs = 1
    backward_arrays = None  # see the class docstring
    runs_without_grads = False  # True: run even when no gradient reached it (custom Functions)

    def __init__(self, next_functions, saved=()):
        self.next_functions = next_functions
        self._seq = next(_sequence)
        self._saved = saved
        self._extra = None  # NodeExtras once a hook or metadata is attached
        self._input_meta = None  # (shape, numpy dtype) per edge: grads are reduced to these

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        derivative.register(cls)
        for index, field in enumerate(cls.__dict__.get("saved_fields", ())):
            setattr(cls, "_saved_" + field, _saved_property(index))
            setattr(cls, "_raw_saved_" + field, _raw_saved_property(index, field))

    def name(self):
        return type(self).__name__

    def __repr__(self):
        return f"<{type(self).__name__} object at {hex(id(self))}>"

    def _extras(self):
        if self._extra is None:
            self._extra = NodeExtras()
        return self._extra

    @property
    def metadata(self):
        return self._extras().metadata

    def needs_input_grad(self, index):
        return self.next_functions[index][0] is not None

    def saved(self, index):
        """The saved value at ``index``, unpacked and version-checked."""
        value = self._saved[index]
        if isinstance(value, SavedTensor):
            return value.unpack(self)
        return value

    def saved_data(self, index):
        """Like ``saved(index)``, but a saved tensor comes back as its array (for ``backward_arrays``)."""
        value = self._saved[index]
        if isinstance(value, SavedTensor):
            return value.unpack_data(self)
        return value

    def apply(self, grads):
        """Run backward on a list of output gradients; one result per next function."""
        result = self.backward(grads[0])
        return result if type(result) is tuple else (result,)

    def backward(self, grad):
        raise NotImplementedError

    def __call__(self, *grads):
        return self.apply(list(grads))

    def release_saved(self):
        for value in self._saved:
            if isinstance(value, SavedTensor):  # SavedTensor.free, inlined: once per node
                value.tensor = None
                value.data = _FREED

    # Hooks, with PyTorch's signatures.
    def register_hook(self, fn):
        """``fn(grad_inputs, grad_outputs)`` runs after the node; may return new grad_inputs."""
        return _add_hook(self._extras().hooks, fn)

    def register_prehook(self, fn):
        """``fn(grad_outputs)`` runs before the node; may return new grad_outputs."""
        return _add_hook(self._extras().pre_hooks, fn)

    def _register_tensor_hook(self, output_nr, fn):
        return _add_hook(self._extras().tensor_pre_hooks.setdefault(output_nr, {}), fn)

    def _retain_grad_of(self, tensor):
        self._extras().retains_grad[tensor._output_nr] = weakref.ref(tensor)


class NodeExtras:
    """What few nodes carry: hooks, retain_grad targets, metadata (kept off the hot path)."""

    __slots__ = ("hooks", "pre_hooks", "tensor_pre_hooks", "retains_grad", "metadata")

    def __init__(self):
        self.hooks = {}
        self.pre_hooks = {}
        self.tensor_pre_hooks = {}
        self.retains_grad = {}
        self.metadata = {}


def _saved_property(index):
    """``_saved_<field>``. A saved Python number comes back as PyTorch shows it, a 0-d tensor
    (int64, float64 or bool); backward formulas read the number itself through ``saved``."""
    def getter(self):
        value = self.saved(index)
        if type(self._saved[index]) is SavedNumber:
            value = _tensor_class()._make(np.asarray(value, dtype=_NUMBER_DTYPES[type(value)]))
        return value
    return property(getter)


_NUMBER_DTYPES = {bool: "bool", int: "int64", float: "float64"}


def _raw_saved_property(index, field):
    """``_raw_saved_<field>``: a handle on a saved tensor (PyTorch has none for saved numbers
    and sizes, so neither do we)."""
    def getter(self):
        if not isinstance(self._saved[index], SavedTensor):
            raise AttributeError(
                f"'{type(self).__name__}' object has no attribute '_raw_saved_{field}'")
        from .graph import RawSavedTensor  # on use: graph.py imports this module
        return RawSavedTensor(self, index)
    return property(getter)


class RemovableHandle:
    """Returned by ``register_hook``; ``remove()`` unregisters."""

    __slots__ = ("_hooks", "id")
    _next_id = itertools.count()

    def __init__(self, hooks):
        self._hooks = hooks
        self.id = next(RemovableHandle._next_id)

    def remove(self):
        self._hooks.pop(self.id, None)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()


def _add_hook(hooks, fn):
    handle = RemovableHandle(hooks)
    hooks[handle.id] = fn
    return handle


_INFINITY = float("inf")


class AccumulateGrad(Node):
    """Sink of a leaf that requires grad: adds incoming gradients into ``variable.grad``."""

    __slots__ = ("variable",)
    formula = "adds the incoming gradient into .grad"

    def __init__(self, variable):
        # Node.__init__, spelled out: a leaf's accumulator is made anew for every graph.
        self.next_functions = ()
        self._seq = _INFINITY  # runs as soon as it is ready, like PyTorch's
        self._saved = ()
        self._extra = None
        self._input_meta = None
        self.variable = variable

    def name(self):
        return "torch::autograd::AccumulateGrad"

    def apply(self, grads):
        from .engine import accumulate_into_leaf  # on use: engine.py imports this module
        accumulate_into_leaf(self.variable, grads[0])
        return ()


def edge_of(tensor):
    """The edge a new node keeps to ``tensor``: ``(grad_fn or AccumulateGrad or None, output_nr)``."""
    fn = tensor._grad_fn
    if fn is not None:
        return (fn, tensor._output_nr)
    if tensor._requires_grad:
        return (tensor._grad_accumulator(), 0)
    return (None, 0)


def recording(*tensors):
    """True when an op on ``tensors`` must be recorded (grad mode on, some input requires grad)."""
    if not STATE.enabled:
        return False
    for t in tensors:
        if t._grad_fn is not None or t._requires_grad:
            return True
    return False
