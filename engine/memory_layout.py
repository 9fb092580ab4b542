"""How a tensor lies in memory, as PyTorch reports it: ``layout`` (``torch.strided``),
``stride()`` in elements, ``storage_offset()`` of a view, ``is_contiguous()``,
``data_ptr()``.

The engine's arrays are numpy's, whose strides (in bytes) say the same thing.
"""
from .tensor import Tensor, _wrap_dim


class layout:  # noqa: N801 - torch.layout
    __slots__ = ("name",)

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return f"torch.{self.name}"

    def __reduce__(self):
        return self.name


strided = layout("strided")
sparse_coo = layout("sparse_coo")


def _layout(self):
    """Always ``torch.strided``: tensors are dense."""
    return strided


def stride(self, dim=None):
    data = self._data
    strides = tuple(s // data.itemsize for s in data.strides)
    if dim is None:
        return strides
    return strides[_wrap_dim(dim, data.ndim)]


def storage_offset(self):
    """Elements from the start of the base's storage to this view's first element."""
    base = self._base
    if base is None:
        return 0
    start = self._data.__array_interface__["data"][0]
    origin = base._data.__array_interface__["data"][0]
    return (start - origin) // self._data.itemsize


def data_ptr(self):
    """The address of the first element (views of one storage differ by their offset)."""
    return self._data.__array_interface__["data"][0]


def is_contiguous(self, memory_format=None):
    return bool(self._data.flags.c_contiguous)


Tensor.layout = property(_layout)
Tensor.stride = stride
Tensor.storage_offset = storage_offset
Tensor.is_contiguous = is_contiguous
Tensor.data_ptr = data_ptr
