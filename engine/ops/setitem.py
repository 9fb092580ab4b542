"""``tensor[key] = value``: an in-place write, recorded on the written storage's base.

PyTorch writes through a view of the indexed region and records the write on
the *base* tensor: ``CopySlices`` for a region picked by basic indexing,
``IndexPutBackward0`` for advanced indexing of the tensor itself and
``CopyBackwards`` when the key selects everything (``x[...] = v``).

NOTE [setitem positions]
All three nodes need the same thing in backward: which elements of the base
were overwritten. We record those as integer indices into the base (one array
per base dim), found from memory addresses, so that any chain of views
(``y[0][1] = 3``) works alike. Backward then is ``index_put`` of zeros into the
base's gradient (an overwritten element does not reach the old value) and
``index`` of the same positions for the value's gradient. Both are engine ops,
so ``create_graph=True`` records them.
"""
import numpy as np

from ..autograd.grad_mode import STATE, no_grad
from ..autograd.node import Node, legacy_type_name
from ..backend import array_module
from ..tensor import Tensor
from .indexing import IndexPutBackward0, apply_slicing, index_put, numpy_key
from .inplace_checks import check_inplace
from .registry import method, record, wrap
from .views import expand, sizes_text, view

OVERLAP_MESSAGE = (
    "unsupported operation: more than one element of the written-to tensor refers to a single "
    "memory location. Please clone() the tensor before performing the operation.")


class CopySlices(IndexPutBackward0):
    """The base's node after a write through a view of it (see NOTE [setitem positions])."""

    __slots__ = ()
    formula = ("a region was overwritten: it gets no gradient from the old value, and its "
               "gradient goes to the written value")


class CopyBackwards(IndexPutBackward0):
    __slots__ = ()
    formula = "overwritten by a copy: the gradient goes to the source"


class AsStridedBackward0(Node):
    """A view's node after its base was written: scatters the view's gradient into the base."""

    __slots__ = ()
    saved_fields = ("base_sizes", "indices")
    formula = "a window onto its base: the gradient is placed back at the window's positions"

    def backward(self, grad):
        sizes, indices = self._saved
        zeros = wrap(array_module(grad._data).zeros(sizes, dtype=grad._data.dtype))
        return index_put(zeros, indices, grad, accumulate=True)


def _address(array):
    interface = getattr(array, "__array_interface__", None)
    return interface["data"][0] if interface is not None else array.data.ptr


def _addresses(array):
    """The memory address of every element of ``array``, in its shape."""
    total = np.zeros(array.shape, dtype=np.int64) + _address(array)
    for d, (size, stride) in enumerate(zip(array.shape, array.strides, strict=True)):
        shape = [1] * array.ndim
        shape[d] = size
        total = total + (np.arange(size, dtype=np.int64) * stride).reshape(shape)
    return total


def base_positions(base_data, view_data):
    """For each element of ``view_data`` (a view into ``base_data``) its index in the base."""
    base_addresses = _addresses(np.asarray(base_data)).reshape(-1)
    order = np.argsort(base_addresses, kind="stable")
    found = np.searchsorted(base_addresses[order], _addresses(np.asarray(view_data)))
    flat = order[found]
    return np.unravel_index(flat, base_data.shape) if base_data.ndim else ()


def _strip_leading_ones(shape):
    shape = tuple(shape)
    while shape and shape[0] == 1:
        shape = shape[1:]
    return shape


def _value_tensor(self, value):
    if isinstance(value, Tensor):
        return value
    if isinstance(value, (bool, int, float)):
        return wrap(array_module(self._data).asarray(value, dtype=self._data.dtype))
    raise TypeError(f"can't assign a {type(value).__name__} to a {legacy_type_name(self)}")


@method("__setitem__")
def setitem(self, key, value):
    value = _value_tensor(self, value)
    with no_grad():
        region, advanced = apply_slicing(self, key)
    check_inplace(region, self, key)  # PyTorch writes through the region: x[0] = 1 is a view's write
    needs_grad = STATE.enabled and (self.requires_grad or value.requires_grad)
    if advanced is None:
        # PyTorch's copy_to: equal shapes copy, a 0-d value fills, anything else is viewed
        # without leading ones and expanded to the region (both recorded when tracked).
        target_key = Ellipsis
        if value._data.shape != region._data.shape and value._data.ndim:
            value = expand(view(value, _strip_leading_ones(value._data.shape)), region._data.shape)
    else:
        target_key = numpy_key(region._data.shape, advanced)
        stripped = _strip_leading_ones(value._data.shape)
        if stripped != value._data.shape:
            value = view(value, stripped)
        result_shape = region._data[target_key].shape
        try:
            np.broadcast_shapes(value._data.shape, result_shape)
        except ValueError:
            raise RuntimeError(
                f"shape mismatch: value tensor of shape {sizes_text(value._data.shape)} cannot be "
                f"broadcast to indexing result of shape {sizes_text(result_shape)}") from None
    if not region._data.flags.writeable:
        raise RuntimeError(OVERLAP_MESSAGE)
    region._data[target_key] = value._data
    self._version_counter.value += 1
    if needs_grad:
        _record_write(self, region, advanced, target_key, value)


def _record_write(self, region, advanced, target_key, value):
    """Give the base its CopySlices / IndexPutBackward0 / CopyBackwards node."""
    base = self._base if self._base is not None else self
    if base is self and region is self:
        node_cls = CopyBackwards if advanced is None else IndexPutBackward0
    else:
        node_cls = CopySlices
    positions = base_positions(base._data, region._data)
    if advanced is not None:
        positions = tuple(p[target_key] for p in positions)
    record(node_cls, base, (base, value), (False, positions))
    base._output_nr = 0
    if self is not base:
        # The written view now reads its gradient out of the base's (PyTorch regenerates
        # the view's grad_fn the same way, as an AsStridedBackward0).
        own_positions = base_positions(base._data, self._data)
        node = AsStridedBackward0(((base._grad_fn, 0),), (base._data.shape, own_positions))
        node._input_meta = ((base._data.shape, base._data.dtype),)
        self._grad_fn = node
        self._output_nr = 0

