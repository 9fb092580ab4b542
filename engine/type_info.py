"""``torch.finfo`` and ``torch.iinfo``: the limits of a dtype (``finfo().eps`` in
tutorials), printed as PyTorch prints them (C++'s six significant digits)."""
import math

import numpy as np

from . import dtypes


def _dtype_or_default(dtype):
    return dtypes.get_default_dtype() if dtype is None else dtype


class _Limits:
    """What finfo and iinfo share: two are equal (and hash alike) when they describe one dtype."""

    def __eq__(self, other):
        return isinstance(other, type(self)) and other.dtype == self.dtype

    def __hash__(self):
        return hash((type(self).__name__, self.dtype))


class finfo(_Limits):  # noqa: N801 - torch.finfo
    """Machine limits of a floating point dtype."""

    def __init__(self, type=None):  # noqa: A002 - PyTorch's parameter name
        dtype = _dtype_or_default(type)
        if not dtype.is_floating_point:
            raise TypeError("torch.finfo() requires a floating point input type. Use "
                            "torch.iinfo to handle 'torch.finfo'")
        info = np.finfo(dtype.numpy)
        self.bits = info.bits
        self.eps = float(info.eps)
        self.max = float(info.max)
        self.min = float(info.min)
        self.tiny = self.smallest_normal = float(info.smallest_normal)
        self.resolution = 10.0 ** -math.floor(-math.log10(self.eps))
        self.dtype = dtype.name

    def __repr__(self):
        return (f"finfo(resolution={self.resolution:g}, min={self.min:g}, max={self.max:g}, "
                f"eps={self.eps:g}, smallest_normal={self.smallest_normal:g}, "
                f"tiny={self.tiny:g}, dtype={self.dtype})")


class iinfo(_Limits):  # noqa: N801 - torch.iinfo
    """Limits of an integer dtype."""

    def __init__(self, type):  # noqa: A002 - PyTorch's parameter name
        if type is dtypes.bool:
            raise TypeError("torch.bool is not supported by torch.iinfo")
        if type.is_floating_point:
            raise TypeError("torch.iinfo() requires an integer input type. Use torch.finfo to "
                            "handle 'torch.iinfo'")
        info = np.iinfo(type.numpy)
        self.bits = info.bits
        self.max = int(info.max)
        self.min = int(info.min)
        self.dtype = type.name

    def __repr__(self):
        return f"iinfo(min={float(self.min):g}, max={float(self.max):g}, dtype={self.dtype})"
