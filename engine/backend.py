"""Array backends: numpy always, cupy when asked for and usable.

Op code never names numpy directly for math on tensor data; it asks
``array_module(array)`` for the module that owns the array (Chainer's
``get_array_module`` idea), so one code path serves CPU and GPU.
"""
import numpy

_cupy = None
_default = "numpy"


class BackendUnavailable(RuntimeError):
    pass


# The device types PyTorch 2.x parses, in the order its error message lists them.
_TORCH_DEVICE_TYPES = ("cpu", "cuda", "ipu", "xpu", "mkldnn", "opengl", "opencl", "ideep", "hip",
                       "ve", "fpga", "maia", "xla", "lazy", "vulkan", "mps", "meta", "hpu", "mtia",
                       "privateuseone")


class device:
    """``torch.device``: ``cpu`` or ``cuda[:index]``."""

    __slots__ = ("type", "index")

    def __init__(self, spec, index=None):
        if isinstance(spec, device):
            spec, index = spec.type, spec.index
        kind, _, idx = str(spec).partition(":")
        if kind not in ("cpu", "cuda"):
            if kind in _TORCH_DEVICE_TYPES:
                raise RuntimeError(f"device type '{kind}' is not available in this engine: it runs "
                                   "on 'cpu' (numpy) and 'cuda' (cupy)")
            raise RuntimeError(f"Expected one of {', '.join(_TORCH_DEVICE_TYPES)} device type at "
                               f"start of device string: {spec}")
        self.type = kind
        self.index = int(idx) if idx else index

    def __eq__(self, other):
        if isinstance(other, str):
            other = device(other)
        return isinstance(other, device) and (self.type, self.index) == (other.type, other.index)

    def __hash__(self):
        return hash((self.type, self.index))

    def __str__(self):
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __repr__(self):
        if self.index is None:
            return f"device(type='{self.type}')"
        return f"device(type='{self.type}', index={self.index})"


CPU = device("cpu")


def cupy_module():
    """Import cupy and prove a GPU answers; a clear error otherwise."""
    global _cupy
    if _cupy is not None:
        return _cupy
    try:
        import cupy  # noqa: PLC0415 - optional, imported on first use only
    except ImportError as exc:
        raise BackendUnavailable(
            "The cupy backend needs the 'gpu' extra: pip install 'autograd-explorer[gpu]' "
            f"(cupy-cuda12x). Import failed: {exc}") from None
    try:
        cupy.cuda.runtime.getDeviceCount()
        cupy.zeros(1).sum().item()
    except Exception as exc:  # cupy imports without a GPU and fails on first use
        raise BackendUnavailable(f"cupy is installed but no usable CUDA GPU was found: {exc}") from None
    _cupy = cupy
    return cupy


def is_cuda_available():
    try:
        cupy_module()
    except BackendUnavailable:
        return False
    return True


def set_default_backend(name):
    """Choose where new tensors live: ``"numpy"`` (CPU) or ``"cupy"`` (CUDA)."""
    global _default
    if name not in ("numpy", "cupy"):
        raise ValueError(f"unknown backend {name!r}; expected 'numpy' or 'cupy'")
    if name == "cupy":
        cupy_module()
    _default = name


def get_default_backend():
    return _default


def set_default_device(dev):
    """``torch.set_default_device``: where creation functions put new tensors."""
    set_default_backend("numpy" if dev is None or device(dev).type == "cpu" else "cupy")


def get_default_device():
    return CPU if _default == "numpy" else device("cuda", 0)


def module_for_device(dev):
    """The array module that stores tensors on ``dev`` (None: the default backend)."""
    if dev is None:
        return numpy if _default == "numpy" else cupy_module()
    dev = device(dev)
    return numpy if dev.type == "cpu" else cupy_module()


def array_module(array):
    """numpy or cupy: whichever owns ``array``."""
    if type(array) is numpy.ndarray or _cupy is None:
        return numpy
    return _cupy if isinstance(array, _cupy.ndarray) else numpy


def device_of(array):
    if type(array) is numpy.ndarray or _cupy is None or not isinstance(array, _cupy.ndarray):
        return CPU
    return device("cuda", array.device.id)


def to_module(array, xp):
    """Move ``array`` to the array module ``xp`` (a copy when it changes device)."""
    if array_module(array) is xp:
        return array
    if xp is numpy:
        return array.get()
    return xp.asarray(array)
