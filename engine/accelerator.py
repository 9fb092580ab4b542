"""``torch.accelerator``: the one accelerator the engine knows is CUDA through cupy.

Tutorials start with ``torch.accelerator.current_accelerator().type if
torch.accelerator.is_available() else "cpu"``; on a machine without a usable
GPU this says "cpu", as PyTorch does.
"""
from .backend import device, is_cuda_available


def is_available():
    return is_cuda_available()


def current_accelerator(check_available=False):
    """``device('cuda')`` when cupy finds a GPU, else None (whatever ``check_available``)."""
    return device("cuda") if is_cuda_available() else None


def device_count():
    return 1 if is_cuda_available() else 0


def current_device_index():
    if not is_cuda_available():
        raise RuntimeError("Cannot access accelerator device when none is available.")
    return 0


current_device_idx = current_device_index


def synchronize(device=None):
    """Nothing to wait for: cupy's default stream runs in order with the host's reads."""
