"""PyTorch's dtype objects and the type-promotion rules the engine follows."""
import builtins

import numpy as np


class dtype:
    """A tensor element type, printed as PyTorch prints it (``torch.float32``)."""

    __slots__ = ("name", "numpy", "is_floating_point", "is_signed", "itemsize", "_category")

    def __init__(self, name, numpy_type, category):
        self.name = name
        self.numpy = np.dtype(numpy_type)
        self.is_floating_point = category == 2
        self.is_signed = self.numpy.kind in "if"
        self.itemsize = self.numpy.itemsize
        self._category = category  # 0 bool, 1 integer, 2 floating

    def __repr__(self):
        return "torch." + self.name

    def __reduce__(self):
        return (_by_name, (self.name,))


bool = dtype("bool", np.bool_, 0)  # noqa: A001 - torch.bool
uint8 = dtype("uint8", np.uint8, 1)
int8 = dtype("int8", np.int8, 1)
int16 = dtype("int16", np.int16, 1)
int32 = dtype("int32", np.int32, 1)
int64 = dtype("int64", np.int64, 1)
float16 = dtype("float16", np.float16, 2)
float32 = dtype("float32", np.float32, 2)
float64 = dtype("float64", np.float64, 2)

ALL = (bool, uint8, int8, int16, int32, int64, float16, float32, float64)
_FROM_NUMPY = {d.numpy: d for d in ALL}
_BY_NAME = {d.name: d for d in ALL}

# PyTorch's aliases.
ALIASES = {
    "float": float32, "double": float64, "half": float16,
    "long": int64, "int": int32, "short": int16,
}

_default_float = float32


def _by_name(name):
    return _BY_NAME[name]


def get_default_dtype():
    return _default_float


def set_default_dtype(d):
    global _default_float
    if not isinstance(d, dtype) or not d.is_floating_point:
        raise TypeError("only floating-point types are supported as the default type")
    _default_float = d


def from_numpy(np_dtype):
    """The engine dtype for a numpy dtype (TypeError for ones PyTorch lacks)."""
    try:
        return _FROM_NUMPY[np_dtype]
    except KeyError:
        try:
            return _FROM_NUMPY[np.dtype(np_dtype)]
        except KeyError:
            raise TypeError(
                f"can't convert np.ndarray of type numpy.{np.dtype(np_dtype).name}. The only supported "
                "types are: float64, float32, float16, int64, int32, int16, int8, uint8, and bool."
            ) from None


def to_numpy(d):
    """A numpy dtype for an engine dtype, a Python type or None (None stays None)."""
    if d is None:
        return None
    if isinstance(d, dtype):
        return d.numpy
    if d is builtins.float:
        return _default_float.numpy
    if d is builtins.int:
        return np.dtype(np.int64)
    if d is builtins.bool:
        return np.dtype(np.bool_)
    raise TypeError(f"dtype must be a torch.dtype, not {type(d).__name__}")


def scalar_category(value):
    """0 for bool, 1 for int, 2 for float: the category of a Python number."""
    if isinstance(value, builtins.bool):
        return 0
    if isinstance(value, builtins.int):
        return 1
    if isinstance(value, builtins.float):
        return 2
    raise TypeError(f"unsupported scalar type {type(value).__name__}")


_CATEGORY_DEFAULT = {0: bool, 1: int64}


def default_for_category(category):
    return _CATEGORY_DEFAULT[category] if category < 2 else _default_float


def promote(a, b, a_dims=True, b_dims=True):
    """Result dtype of a binary op on two tensors, following PyTorch.

    A zero-dimensional tensor only decides the result when it is of a higher
    category (bool < integer < floating) than a dimensioned operand.
    """
    if a is b:
        return a
    if a_dims != b_dims:
        dim_t, zero_t = (a, b) if a_dims else (b, a)
        return zero_t if zero_t._category > dim_t._category else dim_t
    if a._category != b._category:
        return a if a._category > b._category else b
    return _promote_same(a, b)


def _promote_same(a, b):
    return _FROM_NUMPY[np.promote_types(a.numpy, b.numpy)]


def promote_scalar(t, value):
    """Result dtype of an op between a tensor of dtype ``t`` and a Python number."""
    category = scalar_category(value)
    if category > t._category:
        return default_for_category(category)
    return t

# PyTorch's aliases as module attributes (``torch.float`` is float32, ``torch.long`` int64, ...).
float = float32  # noqa: A001
double = float64
half = float16
long = int64
int = int32  # noqa: A001
short = int16
