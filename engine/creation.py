"""Tensor creation: ``tensor``, ``ones``, ``randn``, ``arange``, ... and the RNG."""
import builtins
import math
import warnings

import numpy as np

from . import backend, dtypes
from .autograd.grad_mode import STATE
from .ops.registry import op
from .random import default_generator
from .tensor import Tensor

MAX_LITERAL_DEPTH = 64


# ------------------------------------------------------------------ helpers
def _sizes_or_keyword(sizes, size, name):
    """The shape given as positional sizes (``ones(2, 3)``) or as ``size=`` (``ones(size=(2, 3))``)."""
    if size is None:
        return sizes
    if sizes:
        raise TypeError(f"{name}() got multiple values for argument 'size'")
    return (size,)


def _size(args):
    """``ones(2, 3)``, ``ones((2, 3))`` and ``ones([2, 3])`` all mean shape (2, 3)."""
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        args = tuple(args[0])
    shape = []
    for s in args:
        if isinstance(s, Tensor):
            s = s.item()
        if isinstance(s, builtins.bool) or not isinstance(s, (int, np.integer)):
            raise TypeError(
                f"expected a sequence of integers or a single integer, got '{type(s).__name__}'")
        if s < 0:
            raise RuntimeError(
                f"Trying to create tensor with negative dimension {s}: {list(args)}")
        shape.append(int(s))
    return tuple(shape)


def _finish(data, requires_grad, xp=np):
    """Wrap a fresh array; applies requires_grad with PyTorch's checks."""
    out = Tensor._make(data)
    if requires_grad:
        if data.dtype.kind != "f":  # a factory words it with a capital, as PyTorch's factories do
            raise RuntimeError("Only Tensors of floating point and complex dtype can require "
                               "gradients")
        out.requires_grad_(True)
    return out


def _float_dtype(dtype):
    d = dtypes.to_numpy(dtype)
    return d if d is not None else dtypes.get_default_dtype().numpy


def _xp(device):
    return backend.module_for_device(device)


# --------------------------------------------------------- tensor(data, ...)
def _infer_dtype(data, depth=0):
    """The PyTorch dtype for nested Python data: bool < int64 < default float."""
    if depth > MAX_LITERAL_DEPTH:
        raise ValueError("tensor literal is nested too deeply")
    if isinstance(data, Tensor):
        return data.dtype
    if isinstance(data, np.ndarray):
        return dtypes.from_numpy(data.dtype)
    if isinstance(data, (list, tuple)):
        best = None
        for item in data:
            d = _infer_dtype(item, depth + 1)
            if best is None or d._category > best._category:
                best = d
        return best if best is not None else dtypes.get_default_dtype()
    if isinstance(data, builtins.bool) or isinstance(data, np.bool_):
        return dtypes.bool
    if isinstance(data, (int, np.integer)):
        return dtypes.int64
    if isinstance(data, (float, np.floating)):
        return dtypes.get_default_dtype()
    if isinstance(data, str):
        raise TypeError("new(): invalid data type 'str'")
    raise RuntimeError(f"Could not infer dtype of {type(data).__name__}")


def _literal_error_or_empty(data, dtype, exc):
    """PyTorch's error for a literal numpy refused, or the empty array PyTorch makes of one
    with a zero length (``[[], [1]]`` is a 2 x 0 tensor: nothing past the empty list is read)."""
    sizes = _literal_sizes(data)
    if 0 in sizes:
        target = dtypes.to_numpy(dtype) if dtype is not None else dtypes.get_default_dtype().numpy
        return np.zeros(sizes, dtype=target)
    try:
        floating = (dtypes.to_numpy(dtype) if dtype is not None else _infer_dtype(data).numpy).kind
    except (TypeError, RuntimeError):
        floating = "f"
    _check_literal(data, sizes, 0, floating == "f")
    raise exc  # numpy refused something the checks let through


def _literal_sizes(data):
    """The shape PyTorch reads off a literal: the lengths down its first elements."""
    sizes = []
    while isinstance(data, (list, tuple)):
        sizes.append(len(data))
        if not data:
            break
        data = data[0]
    if isinstance(data, str) and sizes:
        raise ValueError("too many dimensions 'str'")
    return sizes


def _check_literal(data, sizes, dim, floating):
    """Raise PyTorch's error for the first element of a literal that does not fit ``sizes``."""
    if dim == len(sizes):
        if isinstance(data, (list, tuple)):
            name = type(data).__name__
            raise TypeError(f"must be real number, not {name}" if floating else
                            f"'{name}' object cannot be interpreted as an integer")
        if isinstance(data, str):
            raise TypeError("new(): invalid data type 'str'")
        return
    if not isinstance(data, (list, tuple)):
        raise TypeError("not a sequence")
    if len(data) != sizes[dim]:
        raise ValueError(f"expected sequence of length {sizes[dim]} at dim {dim} (got {len(data)})")
    for item in data:
        _check_literal(item, sizes, dim + 1, floating)


def _plain(data):
    if isinstance(data, Tensor):
        return backend.to_module(data._data, np)
    if isinstance(data, (list, tuple)):
        return [_plain(item) for item in data]
    return data


@op("Create", method=False, arity=0, basic=True)
def tensor(data, *, dtype=None, device=None, requires_grad=False, pin_memory=False):
    if isinstance(data, Tensor):
        warnings.warn(
            "To copy construct from a tensor, it is recommended to use sourceTensor.detach().clone() "
            "or sourceTensor.detach().clone().requires_grad_(True), rather than "
            "torch.tensor(sourceTensor).", UserWarning, stacklevel=2)
    try:
        target = dtypes.to_numpy(dtype) if dtype is not None else _infer_dtype(data).numpy
        array = np.array(_plain(data), dtype=target)
    except (ValueError, TypeError) as exc:
        array = _literal_error_or_empty(data, dtype, exc)
    xp = _xp(device)
    return _finish(backend.to_module(array, xp), requires_grad)


def as_tensor(data, dtype=None, device=None):
    if isinstance(data, Tensor) and dtype is None:
        return data
    if isinstance(data, np.ndarray) and dtype is None:
        return Tensor._make(data)
    return tensor(data, dtype=dtype, device=device)


def from_numpy(array):
    dtypes.from_numpy(array.dtype)
    return Tensor._make(array)


def legacy_constructor(cls, *args, **kwargs):
    """``torch.Tensor(2, 3)`` (uninitialised float) and ``torch.Tensor([1, 2])`` (data)."""
    from .legacy import legacy_new
    return legacy_new(dtypes.get_default_dtype(), *args, **kwargs)


# -------------------------------------------------------------- constants
def _filled(fill, args, dtype, device, requires_grad, default=None):
    shape = _size(args)
    xp = _xp(device)
    np_dtype = dtypes.to_numpy(dtype) or default or dtypes.get_default_dtype().numpy
    return _finish(xp.full(shape, fill, dtype=np_dtype), requires_grad)


@op("Create", method=False, shape="sizes", arity=0, basic=True)
def ones(*sizes, size=None, dtype=None, device=None, requires_grad=False, out=None):
    return _filled(1, _sizes_or_keyword(sizes, size, "ones"), dtype, device, requires_grad)


@op("Create", method=False, shape="sizes", arity=0, basic=True)
def zeros(*sizes, size=None, dtype=None, device=None, requires_grad=False, out=None):
    return _filled(0, _sizes_or_keyword(sizes, size, "zeros"), dtype, device, requires_grad)


@op("Create", method=False, shape="sizes", arity=0)
def empty(*sizes, size=None, dtype=None, device=None, requires_grad=False, out=None):
    return _filled(0, _sizes_or_keyword(sizes, size, "empty"), dtype, device, requires_grad)


@op("Create", method=False)
def full(size, fill_value, *, dtype=None, device=None, requires_grad=False):
    default = None
    if dtype is None:
        default = _infer_dtype(fill_value).numpy
    return _filled(fill_value, (size,), dtype, device, requires_grad, default)


@op("Create", method=False)
def eye(n, m=None, *, dtype=None, device=None, requires_grad=False):
    xp = _xp(device)
    data = xp.eye(n, m if m is not None else n, dtype=_float_dtype(dtype))
    return _finish(data, requires_grad)


@op("Create", method=False, arity=0, basic=True)
def arange(start, end=None, step=1, *, dtype=None, device=None, requires_grad=False):
    if end is None:
        start, end = 0, start
    values = (start, end, step)
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if dtype is None:
        is_float = any(isinstance(v, float) for v in values)
        np_dtype = dtypes.get_default_dtype().numpy if is_float else np.dtype(np.int64)
    else:
        np_dtype = dtypes.to_numpy(dtype)
    count = max(0, math.ceil((end - start) / step))
    if np_dtype in _ARANGE_VECTOR_LANES:
        data = _float_arange(float(start), float(step), count, np_dtype)
    else:
        data = (start + np.arange(count, dtype=np.float64) * step).astype(np_dtype)
    return _finish(backend.to_module(data, _xp(device)), requires_grad)


# Lanes of PyTorch's vectorised arange kernel (AVX2: 8 floats, 4 doubles, 16 halves).
_ARANGE_VECTOR_LANES = {np.dtype(np.float32): 8, np.dtype(np.float64): 4, np.dtype(np.float16): 16}


def _float_arange(start, step, count, np_dtype):
    """PyTorch's values: its kernel fills two vectors at a time, each from a base
    ``start + step·i`` (fused, rounded to the dtype) plus ``lane·step`` (fused again); the
    elements left after the last pair of vectors are ``start + step·i``. It computes in
    double, or in float for float16."""
    from .optim.fma import fma
    if np_dtype == np.float16:
        start, step = float(np.float32(start)), float(np.float32(step))

        def fused(a, b, c):  # float's fma: the product is exact in double
            return (np.multiply(a, b, dtype=np.float64) + c).astype(np.float32)
    else:
        fused = fma
    lanes = _ARANGE_VECTOR_LANES[np_dtype]
    vectorised = count - count % (2 * lanes)
    firsts = np.arange(0, vectorised, lanes, dtype=np.float64)
    bases = fused(np.float64(step), firsts, np.float64(start)).astype(np_dtype).astype(np.float64)
    offsets = np.arange(lanes, dtype=np.float64)
    body = fused(offsets[None, :], np.float64(step), bases[:, None]).astype(np_dtype).reshape(-1)
    rest = fused(np.float64(step), np.arange(vectorised, count, dtype=np.float64),
                 np.float64(start))
    return np.concatenate([body, rest]).astype(np_dtype)


_RANGE_WARNING = (
    "torch.range is deprecated and will be removed in a future release because its behavior is "
    "inconsistent with Python's range builtin. Instead, use torch.arange, which produces values "
    "in [start, end).")


@op("Create", method=False, name="range")
def range_(start, end, step=1, *, dtype=None, device=None, requires_grad=False):
    """``torch.range``: like ``arange`` but ``end`` included, float by default; deprecated."""
    warnings.warn(_RANGE_WARNING, UserWarning, stacklevel=2)
    count = builtins.int(math.floor((end - start) / step)) + 1
    np_dtype = _float_dtype(dtype)
    data = (start + np.arange(max(count, 0), dtype=np.float64) * step).astype(np_dtype)
    return _finish(backend.to_module(data, _xp(device)), requires_grad)


@op("Create", method=False)
def linspace(start, end, steps, *, dtype=None, device=None, requires_grad=False):
    np_dtype = _float_dtype(dtype)
    if steps > 1 and np_dtype != np.bool_:
        data = _linspace_values(start, end, steps, np_dtype)
    else:
        data = np.linspace(start, end, steps, dtype=np.float64).astype(np_dtype)
    return _finish(backend.to_module(data, _xp(device)), requires_grad)


def _linspace_values(start, end, steps, np_dtype):
    """PyTorch's kernel: ``step = (end − start) / (steps − 1)``, then value i is
    ``start + step·i`` for the first half and ``end − step·(steps − 1 − i)`` for the rest.

    float32, float64 and integers (bounds truncated, step in double) fuse the multiply-add
    (one rounding); float16 rounds the step and each product to float16 first."""
    from .sampling import fused_multiply_add
    integral = np_dtype.kind in "iu"
    kind = np.float64 if integral else np_dtype.type
    first = kind(int(start)) if integral else kind(start)
    last = kind(int(end)) if integral else kind(end)
    step = kind((last - first) / kind(steps - 1))
    positions = np.arange(steps, dtype=np.float64)
    from_start = positions < steps // 2
    counts = np.where(from_start, positions, steps - 1 - positions)
    scale = np.where(from_start, np.float64(step), -np.float64(step))
    origin = np.where(from_start, np.float64(first), np.float64(last))
    if np_dtype == np.float16:
        products = (scale.astype(np.float32) * counts.astype(np.float32)).astype(np.float16)
        return (origin.astype(np.float32) + products.astype(np.float32)).astype(np.float16)
    if np_dtype == np.float32:  # the product is exact in double: only the sum rounds
        return (scale * counts + origin).astype(np.float32)
    return fused_multiply_add(scale, counts, origin).astype(np_dtype)


@op("Create", method=False)
def logspace(start, end, steps, base=10.0, *, dtype=None, device=None, requires_grad=False):
    exponents = np.linspace(start, end, steps, dtype=np.float64)
    data = np.power(float(base), exponents).astype(_float_dtype(dtype))
    return _finish(backend.to_module(data, _xp(device)), requires_grad)


# ----------------------------------------------------------------- random
@op("Create", method=False, shape="sizes", arity=0)
def rand(*sizes, size=None, dtype=None, device=None, requires_grad=False, generator=None):
    shape = _size(_sizes_or_keyword(sizes, size, "rand"))
    data = (generator or default_generator).uniform(math.prod(shape), _float_dtype(dtype))
    return _finish(backend.to_module(data.reshape(shape), _xp(device)), requires_grad)


@op("Create", method=False, shape="sizes", arity=0, basic=True)
def randn(*sizes, size=None, dtype=None, device=None, requires_grad=False, generator=None):
    shape = _size(_sizes_or_keyword(sizes, size, "randn"))
    data = (generator or default_generator).normal(math.prod(shape), _float_dtype(dtype))
    return _finish(backend.to_module(data.reshape(shape), _xp(device)), requires_grad)


@op("Create", method=False)
def randint(low, high=None, size=None, *, dtype=None, device=None, requires_grad=False,
            generator=None):
    if size is None:
        low, high, size = 0, low, high
    shape = _size((size,))
    np_dtype = dtypes.to_numpy(dtype) or np.dtype(np.int64)
    data = (generator or default_generator).integers(int(low), int(high), math.prod(shape))
    return _finish(backend.to_module(data.astype(np_dtype).reshape(shape), _xp(device)),
                   requires_grad)


# ------------------------------------------------------------------ *_like
def _like(fill_fn, input, dtype, device, requires_grad):
    return fill_fn(*input.shape, dtype=dtype or input.dtype,
                   device=device or input.device, requires_grad=requires_grad)


@op("Create", method=False)
def ones_like(input, *, dtype=None, device=None, requires_grad=False):
    return _like(ones, input, dtype, device, requires_grad)


@op("Create", method=False)
def zeros_like(input, *, dtype=None, device=None, requires_grad=False):
    return _like(zeros, input, dtype, device, requires_grad)


@op("Create", method=False)
def empty_like(input, *, dtype=None, device=None, requires_grad=False):
    return _like(zeros, input, dtype, device, requires_grad)


@op("Create", method=False)
def full_like(input, fill_value, *, dtype=None, device=None, requires_grad=False):
    return full(tuple(input.shape), fill_value, dtype=dtype or input.dtype,
                device=device or input.device, requires_grad=requires_grad)


@op("Create", method=False)
def rand_like(input, *, dtype=None, device=None, requires_grad=False):
    return _like(rand, input, dtype, device, requires_grad)


@op("Create", method=False)
def randn_like(input, *, dtype=None, device=None, requires_grad=False):
    return _like(randn, input, dtype, device, requires_grad)


def is_grad_recording():
    return STATE.enabled
