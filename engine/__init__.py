"""A PyTorch-faithful define-by-run autograd engine on numpy (cupy optional).

``import engine as torch`` runs autograd tutorial code unchanged: same node
names, flags, printing and error texts as PyTorch 2.x.
"""
from . import accelerator, autograd, nn, observe, optim
from . import dtypes as _dtypes
from . import ops as _ops  # registers every op (and Tensor methods)
from . import sampling as _sampling  # registers normal, randperm and the in-place fills
from ._printing import get_printoptions, set_printoptions
from .autograd.anomaly_mode import is_anomaly_check_nan_enabled, is_anomaly_enabled, set_anomaly_enabled
from .autograd.grad_mode import (
    enable_grad,
    inference_mode,
    is_grad_enabled,
    is_inference_mode_enabled,
    no_grad,
    set_grad_enabled,
)
from .backend import device, get_default_backend, get_default_device, set_default_backend, set_default_device
from .creation import as_tensor, from_numpy
from .dtypes import (  # noqa: A004
    bool,
    double,
    dtype,
    float,
    float16,
    float32,
    float64,
    get_default_dtype,
    half,
    int,
    int8,
    int16,
    int32,
    int64,
    long,
    set_default_dtype,
    short,
    uint8,
)
from .legacy import TYPED_CLASSES as _TYPED_CLASSES
from .memory_layout import layout, sparse_coo, strided
from .ops.extrema import RETURN_TYPES as _RETURN_TYPES
from .ops.registry import FUNCTIONS as _FUNCTIONS
from .random import Generator, default_generator, initial_seed, manual_seed, seed
from .tensor import Size, Tensor, is_tensor
from .type_info import finfo, iinfo


class return_types:  # noqa: N801 - torch.return_types
    """Named tuples returned by ops like ``max(dim)``: ``torch.return_types.max``."""


for _name, _cls in _RETURN_TYPES.items():
    setattr(return_types, _name, _cls)

globals().update(_FUNCTIONS)
globals().update(_TYPED_CLASSES)  # FloatTensor, LongTensor, ...


class _Cuda:
    """``torch.cuda``: backed by cupy when it is installed and finds a GPU."""

    @staticmethod
    def is_available():
        from .backend import is_cuda_available
        return is_cuda_available()

    @staticmethod
    def device_count():
        return 1 if _Cuda.is_available() else 0

    @staticmethod
    def manual_seed(seed_value):
        return None

    manual_seed_all = manual_seed


cuda = _Cuda()
__version__ = "2.13.0+engine"


def numel(input):
    return input.numel()


def is_floating_point(input):
    return input.is_floating_point()
