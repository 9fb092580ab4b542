"""PyTorch's legacy spellings: the typed tensor classes (``torch.FloatTensor([1, 2])``,
``torch.LongTensor(3)``), the ``torch.Tensor(...)`` constructor and
``x.type(torch.DoubleTensor)``.

A typed class is a constructor and an ``isinstance`` test at once, as in
PyTorch: ``isinstance(x, torch.FloatTensor)`` asks for a float32 tensor. Sizes
give uninitialised memory in PyTorch; here that memory is zeros.
"""
import builtins

import numpy as np

from . import dtypes
from .tensor import Size, Tensor

_NEW_OVERLOADS = (
    "new() received an invalid combination of arguments - got ({got}), but expected one of:\n"
    " * (*, torch.device device = None)\n"
    "      didn't match because some of the keywords were incorrect: {keywords}\n"
    " * (torch.Storage storage)\n"
    " * (Tensor other)\n"
    " * (tuple of ints size, *, torch.device device = None)\n"
    " * (object data, *, torch.device device = None)\n")


def legacy_new(dtype, *args, device=None, **kwargs):
    """``torch.<Type>Tensor(...)`` / ``torch.Tensor(...)`` in ``dtype``: no argument (an empty
    tensor), sizes (zeros), a ``torch.Size`` (sizes), a tensor of that dtype (itself), or data."""
    from .creation import tensor, zeros
    if kwargs:
        got = ", ".join([type(a).__name__ for a in args] +
                        [f"{k}={type(v).__name__}" for k, v in kwargs.items()])
        raise TypeError(_NEW_OVERLOADS.format(got=got, keywords=", ".join(kwargs)))
    if not args:
        return zeros(0, dtype=dtype, device=device)
    if len(args) == 1:
        (data,) = args
        if isinstance(data, Tensor):
            if data.dtype is not dtype:
                raise TypeError(f"expected {_options(dtype)} (got {_options(data.dtype)})")
            return data
        if isinstance(data, Size):
            return zeros(*data, dtype=dtype, device=device)
        if isinstance(data, (list, tuple, np.ndarray)):
            return tensor(data, dtype=dtype, device=device)
        if isinstance(data, str):
            raise TypeError("new(): invalid data type 'str'")
        if isinstance(data, builtins.float):
            raise TypeError("new(): data must be a sequence (got float)")
    return zeros(*args, dtype=dtype, device=device)


_C_NAMES = {"float32": "float", "float64": "double", "float16": "c10::Half", "int64": "long int",
            "int32": "int", "int16": "short int", "int8": "signed char", "uint8": "unsigned char",
            "bool": "bool"}


def _options(dtype):
    return (f"TensorOptions(dtype={_C_NAMES[dtype.name]}, device=cpu, layout=Strided, "
            "requires_grad=false (default), pinned_memory=false (default), "
            "memory_format=(nullopt))")


class tensortype(type):  # noqa: N801 - torch.tensortype, the metaclass of torch.FloatTensor
    """A typed tensor class: calling it constructs, ``isinstance`` checks the dtype."""

    def __call__(cls, *args, **kwargs):
        return legacy_new(cls.dtype, *args, **kwargs)

    def __instancecheck__(cls, obj):
        return isinstance(obj, Tensor) and obj.dtype is cls.dtype

    def __repr__(cls):
        return f"<class 'torch.{cls.__name__}'>"


TYPED_CLASSES = {}
for _name, _dtype in (("FloatTensor", dtypes.float32), ("DoubleTensor", dtypes.float64),
                      ("HalfTensor", dtypes.float16), ("LongTensor", dtypes.int64),
                      ("IntTensor", dtypes.int32), ("ShortTensor", dtypes.int16),
                      ("CharTensor", dtypes.int8), ("ByteTensor", dtypes.uint8),
                      ("BoolTensor", dtypes.bool)):
    TYPED_CLASSES[_name] = tensortype(_name, (), {"dtype": _dtype, "__module__": "torch"})


def as_dtype(type_or_name):
    """The dtype named by ``x.type(...)``'s argument: a dtype, a typed class or its name."""
    if isinstance(type_or_name, tensortype):
        return type_or_name.dtype
    if isinstance(type_or_name, str):
        cls = TYPED_CLASSES.get(type_or_name.removeprefix("torch."))
        if cls is None:
            raise ValueError(f"invalid type: '{type_or_name}'")
        return cls.dtype
    return type_or_name
