"""Reading one engine tensor into a TensorInfo, reusing the last one when unchanged.

Reads engine internals: ``_data``, ``_grad``, ``_grad_fn``, ``_output_nr``,
``_version``, ``_extra`` ("origin", "retains_grad") and ``_requires_grad``.
"""
import numpy as np

from .identity import WeakIdMap
from .snapshot import TensorInfo


def host_copy(data):
    """A read-only numpy copy of a backend array (numpy or cupy)."""
    if hasattr(data, "get") and not isinstance(data, np.ndarray):
        data = data.get()  # cupy -> host
    array = np.array(data, copy=True)
    array.setflags(write=False)
    return array


def version_of(tensor):
    try:
        version = tensor._version
    except RuntimeError:  # an inference tensor tracks no version (reading it raises, as in PyTorch)
        return 0
    return version if isinstance(version, int) else version.value


def origin_of(tensor):
    extra = tensor._extra
    return None if extra is None else extra.get("origin")


def dtype_name(tensor):
    dtype = tensor.dtype
    return getattr(dtype, "name", None) or str(dtype).replace("torch.", "")


def retains_grad(tensor):
    extra = tensor._extra
    return bool(extra is not None and extra.get("retains_grad", False))


def same_array(cached, data):
    if cached is None:
        return False
    if cached.shape != data.shape or cached.dtype != data.dtype:
        return False
    return bool(np.array_equal(cached, np.asarray(data), equal_nan=cached.dtype.kind in "fc"))


class TensorReader:
    """Turns tensors into TensorInfos (without names), sharing arrays that did not change.

    The identities a TensorInfo was made from (storage array, grad tensor and
    its array, grad_fn) and its flags are remembered per tensor; when they
    match, the previous info is returned as is. Arrays are compared only when
    ``storage_touched`` says some storage may have changed without a version
    bump (a ``.data`` edit, a gradient accumulated in place).
    """

    def __init__(self, ids):
        self.ids = ids
        self.cache = WeakIdMap()   # tensor -> (identities, flags, TensorInfo)
        # Tensors first seen while grad mode was off. The engine marks "detach" and "data"
        # origins itself; where it leaves a result made under no_grad unmarked, this fills in.
        self.made_without_grad = WeakIdMap()

    def creation_info(self, tensor):
        """The info of a node's output as created (kept for when it is freed)."""
        node = tensor._grad_fn
        return TensorInfo(
            id=self.ids.tensor(tensor), names=(), shape=tuple(tensor._data.shape),
            dtype=dtype_name(tensor), values=host_copy(tensor._data), grad=None,
            requires_grad=bool(tensor.requires_grad), is_leaf=node is None, retains_grad=False,
            version=version_of(tensor), origin=origin_of(tensor),
            grad_fn=None if node is None else self.ids.function(node),
            output_nr=tensor._output_nr)

    def origin(self, tensor):
        origin = origin_of(tensor)
        if origin is None and not tensor.requires_grad and tensor in self.made_without_grad:
            return "no_grad"
        return origin

    def read(self, tensor, storage_touched, grad_enabled=True, previous=None):
        """The tensor's TensorInfo now; ``previous`` (its last recorded info) is reused if equal."""
        if not grad_enabled and tensor not in self.cache:
            self.made_without_grad[tensor] = True
        grad = tensor._grad
        identities = (tensor._data, grad, None if grad is None else grad._data, tensor._grad_fn)
        flags = (version_of(tensor), None if grad is None else version_of(grad),
                 bool(tensor._requires_grad), tensor._output_nr, retains_grad(tensor),
                 self.origin(tensor))
        cached = self.cache.get(tensor)
        values = grad_values = None
        if cached is not None:
            old_identities, old_flags, old = cached
            same_objects = all(a is b for a, b in zip(old_identities, identities, strict=True))
            if same_objects and old_flags == flags and (not storage_touched or (
                    same_array(old.values, tensor._data)
                    and (grad is None or same_array(old.grad, grad._data)))):
                return old
            if old_identities[0] is identities[0] and old_flags[0] == flags[0] and \
                    same_array(old.values, tensor._data):
                values = old.values
            if grad is not None and same_array(old.grad, grad._data):
                grad_values = old.grad
        elif previous is not None and same_array(previous.values, tensor._data):
            values = previous.values
        if values is None:
            values = host_copy(tensor._data)
        if grad is not None and grad_values is None:
            grad_values = host_copy(grad._data)
        node = tensor._grad_fn
        info = TensorInfo(
            id=self.ids.tensor(tensor), names=(), shape=tuple(tensor._data.shape),
            dtype=dtype_name(tensor), values=values, grad=grad_values,
            requires_grad=bool(tensor.requires_grad), is_leaf=node is None,
            retains_grad=retains_grad(tensor), version=flags[0], origin=flags[5],
            grad_fn=None if node is None else self.ids.function(node),
            output_nr=tensor._output_nr)
        self.cache[tensor] = (identities, flags, info)
        return info
