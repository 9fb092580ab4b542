"""Sampling beyond rand/randn/randint: ``normal``, ``randperm`` and the in-place
fills ``uniform_``, ``normal_``, ``random_``, drawing PyTorch's numbers after
``manual_seed`` (the generator's draws are in ``random.py``).

PyTorch's CPU kernels compute ``value * scale + shift`` with a fused
multiply-add (``uniform_`` of float64, ``normal_``), so these round once too;
``nn.init``'s fills use these. A sample's gradient
with respect to mean, std or the overwritten values is zero, as PyTorch
defines it (NormalBackward0..3, UniformBackward0, RandomBackward*).
"""
import math

import numpy as np

from . import backend, dtypes
from .autograd.node import Node
from .creation import _finish, _size, _xp
from .ops.comparison import scalar_type_name
from .ops.inplace import apply_inplace
from .ops.registry import method, op, record, recording, wrap
from .random import default_generator
from .tensor import Tensor


def fused_multiply_add(a, b, c):
    """``a · b + c`` rounded once, as PyTorch's kernels compute it (``engine.optim.fma``)."""
    from .optim.fma import fma
    return fma(a, b, c)


def _float_kind(tensor, kernel):
    """PyTorch's error for a sampling kernel asked to fill an integer or bool tensor."""
    if tensor._data.dtype.kind != "f":
        raise NotImplementedError(f'"{kernel}" not implemented for '
                                  f"'{scalar_type_name(tensor.dtype)}'")


# ------------------------------------------------------------ the values
def uniform_values(count, low, high, np_dtype, generator):
    """PyTorch's ``uniform_(low, high)`` values: bounds rounded to the dtype and their span
    taken in it; float64 as one fused multiply-add, the others scaled and shifted in double
    (PyTorch's accumulation type there), then rounded."""
    np_dtype = np.dtype(np_dtype)
    kind = np_dtype.type
    low, high = kind(low), kind(high)
    span = kind(high - low)
    if np_dtype == np.float64:
        return fused_multiply_add(generator.uniform(count, np.float64), span, low)
    unit = generator.uniform(count, np.float32)
    return (unit.astype(np.float64) * np.float64(span) + np.float64(low)).astype(np_dtype)


def normal_values(count, mean, std, np_dtype, generator):
    """PyTorch's ``normal_(mean, std)`` values: the standard normals scaled and shifted by
    one fused multiply-add, in double for fewer than 16 values (drawn one by one), else in
    the drawn precision with ``std`` and ``mean`` rounded to it (the block-of-16 kernel)."""
    np_dtype = np.dtype(np_dtype)
    if count < 16:
        values = generator.normal(count, np.float64)
        return fused_multiply_add(values, np.float64(std), np.float64(mean)).astype(np_dtype)
    # float16 is drawn as float32 and rounded at the end, as PyTorch's kernel does (its last
    # 16 values, redrawn when the count is not a multiple of 16, may still differ).
    drawn = np.dtype(np.float32 if np_dtype == np.float16 else np_dtype)
    values = generator.normal(count, drawn)
    return fused_multiply_add(values, drawn.type(std), drawn.type(mean)).astype(np_dtype)


# ---------------------------------------------------------------- randperm
@op("Create", method=False)
def randperm(n, *, generator=None, dtype=None, device=None, requires_grad=False,
             pin_memory=False, layout=None, out=None):
    """A random permutation of ``0..n-1``: PyTorch's swap loop for n below 2^32 / 20, each
    step ``i`` swapping with ``i + word % (n - i)``, one 32-bit draw per step."""
    (n,) = _size((n,))
    draws = (generator or default_generator)._words(max(n - 1, 0))
    order = np.arange(n, dtype=np.int64)
    spans = np.arange(n, 1, -1, dtype=np.uint64)
    offsets = (draws % spans).astype(np.int64).tolist() if n > 1 else []
    values = order.tolist()
    for i, z in enumerate(offsets):
        j = i + z
        values[i], values[j] = values[j], values[i]
    np_dtype = dtypes.to_numpy(dtype) or np.dtype(np.int64)
    data = np.asarray(values, dtype=np_dtype).reshape(n)
    return _finish(backend.to_module(data, _xp(device)), requires_grad)


# ------------------------------------------------------------------ normal
class NormalBackward0(Node):
    __slots__ = ()
    gradients = {"self": "zeros_like(grad)"}  # overwritten by samples: the old values do not matter
    local = {"self": "0"}


class NormalBackward1(Node):
    __slots__ = ()
    saved_fields = ("mean_sym_sizes",)
    gradients = {"mean": "zeros_like(grad)"}  # PyTorch defines a sample's gradients as zero
    local = {"mean": "0"}


class NormalBackward2(Node):
    __slots__ = ()
    saved_fields = ("std_sym_sizes",)
    gradients = {"std": "zeros_like(grad)"}
    local = {"std": "0"}


class NormalBackward3(Node):
    __slots__ = ()
    saved_fields = ("mean_sym_sizes", "std_sym_sizes")
    gradients = {"mean": "zeros_like(grad)", "std": "zeros_like(grad)"}
    local = {"mean": "0", "std": "0"}


_NORMAL_OVERLOADS = (
    "normal() received an invalid combination of arguments - got ({got}), but expected one of:\n"
    " * (Tensor mean, Tensor std, *, torch.Generator generator = None, Tensor out = None)\n"
    " * (Tensor mean, float std = 1, *, torch.Generator generator = None, Tensor out = None)\n"
    " * (float mean, Tensor std, *, torch.Generator generator = None, Tensor out = None)\n"
    " * (float mean, float std, tuple of ints size, *, torch.Generator generator = None, "
    "Tensor out = None, torch.dtype dtype = None, torch.layout layout = None, torch.device "
    "device = None, bool pin_memory = False, bool requires_grad = False)\n")


def _check_std(std):
    if std < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {printed_number(std)}")


def printed_number(value):
    """A bound as PyTorch's message prints it (C++'s ``<<``, six significant digits):
    ``-1`` for -1.0, ``0.123457`` for 0.123456789, ``1e+20``."""
    return f"{float(value):g}"


@op("Random", method=False)
def normal(mean=0.0, std=1.0, size=None, *, generator=None, out=None, dtype=None, layout=None,
           device=None, pin_memory=False, requires_grad=False):
    generator = generator or default_generator
    mean_is_tensor, std_is_tensor = isinstance(mean, Tensor), isinstance(std, Tensor)
    if not mean_is_tensor and not std_is_tensor:
        if size is None:
            got = ", ".join(type(v).__name__ for v in (mean, std))
            raise TypeError(_NORMAL_OVERLOADS.format(got=got))
        _check_std(std)
        shape = _size((size,))
        np_dtype = dtypes.to_numpy(dtype) or dtypes.get_default_dtype().numpy
        data = normal_values(math.prod(shape), mean, std, np_dtype, generator).reshape(shape)
        return _finish(backend.to_module(data, _xp(device)), requires_grad)
    like = mean if mean_is_tensor else std
    shape = np.broadcast_shapes(*(t._data.shape for t in (mean, std) if isinstance(t, Tensor)))
    np_dtype = like._data.dtype
    count = math.prod(shape)
    if mean_is_tensor and not std_is_tensor:
        _check_std(std)  # PyTorch draws normal_(0, std), then adds the mean
        data = normal_values(count, 0.0, std, np_dtype, generator).reshape(shape) + mean._data
    else:
        if mean_is_tensor and std._data.size and (std._data < 0).any() or \
                not mean_is_tensor and (std._data < 0).any():
            raise RuntimeError("normal expects all elements of std >= 0.0")
        unit = normal_values(count, 0.0, 1.0, np_dtype, generator).reshape(shape)
        data = unit * std._data + (mean._data if mean_is_tensor else mean)
    result = wrap(np.asarray(data, dtype=np_dtype))
    if mean_is_tensor and std_is_tensor:
        if recording(mean, std):
            record(NormalBackward3, result, (mean, std), (mean._data.shape, std._data.shape))
    elif mean_is_tensor:
        if recording(mean):
            record(NormalBackward1, result, (mean,), (mean._data.shape,))
    elif recording(std):
        record(NormalBackward2, result, (std,), (std._data.shape,))
    return result


# --------------------------------------------------------- in-place fills
class UniformBackward0(NormalBackward0):
    __slots__ = ()


class RandomBackward0(NormalBackward0):
    __slots__ = ()


class RandomBackward1(NormalBackward0):
    __slots__ = ()


class RandomBackward2(NormalBackward0):
    __slots__ = ()


def _fill_with(target, values, node_cls):
    """Write freshly drawn ``values`` into ``target`` in place, as the in-place op ``node_cls``."""
    def compute():
        out = wrap(values.astype(target._data.dtype).reshape(target._data.shape))
        if recording(target):
            record(node_cls, out, (target,))
        return out
    return apply_inplace(target, compute)


@method("uniform_")
def uniform_(self, from_=0.0, to=1.0, *, generator=None, **bounds):
    from_ = bounds.pop("from", from_)
    _float_kind(self, "check_uniform_bounds")
    if from_ > to:
        raise RuntimeError(f"uniform_ expects to return a [from, to) range, but found "
                           f"from={printed_number(from_)} > to={printed_number(to)}")
    values = uniform_values(self._data.size, from_, to, self._data.dtype,
                            generator or default_generator)
    return _fill_with(self, values, UniformBackward0)


@method("normal_")
def normal_(self, mean=0.0, std=1.0, *, generator=None):
    _float_kind(self, "normal_kernel_cpu")
    _check_std(std)
    values = normal_values(self._data.size, mean, std, self._data.dtype,
                           generator or default_generator)
    return _fill_with(self, values, NormalBackward0)


# The largest value ``random_()`` draws for each dtype: floats keep their mantissa's integers.
_FULL_RANGE = {"float16": 2 ** 11, "float32": 2 ** 24, "float64": 2 ** 53, "int64": 2 ** 63 - 1,
               "int32": 2 ** 31 - 1, "int16": 2 ** 15 - 1, "int8": 2 ** 7 - 1, "uint8": 2 ** 8 - 1,
               "bool": 1}


@method("random_")
def random_(self, from_=None, to=None, *, generator=None, **bounds):
    """``random_()``: integers in [0, the dtype's largest exact integer]; ``random_(to)``:
    [0, to); ``random_(from, to)``: [from, to)."""
    from_ = bounds.pop("from", from_)
    generator = generator or default_generator
    count = self._data.size
    if from_ is None and to is None:
        top = _FULL_RANGE[self._data.dtype.name]
        values = generator.integers(0, top + 1, count)
        node_cls = RandomBackward2
    elif to is None:
        values = generator.integers(0, int(from_), count)
        node_cls = RandomBackward1
    else:
        values = generator.integers(int(from_), int(to), count)
        node_cls = RandomBackward0
    return _fill_with(self, values, node_cls)


# ------------------------------------------------ exponential, bernoulli, multinomial
class ExponentialBackward0(NormalBackward0):
    __slots__ = ()


def exponential_values(count, rate, np_dtype, generator):
    """PyTorch's ``exponential_(rate)``: ``(−1 / rate) · log1p(−u)`` in double from a double
    uniform, then rounded to the dtype. The logarithm is libm's, value by value: numpy's
    vectorised log1p differs from it in the last bit now and then."""
    unit = generator.uniform(count, np.float64)
    logs = np.fromiter(map(math.log1p, (-unit).tolist()), np.float64, count)
    return ((-1.0 / rate) * logs).astype(np_dtype)


@method("exponential_")
def exponential_(self, lambd=1.0, *, generator=None):
    if self._data.dtype.kind != "f":
        raise RuntimeError("Exponential distribution is a continuous probability distribution. "
                           f"dtype must be a floating point but you specified "
                           f"{scalar_type_name(self.dtype)}")
    if lambd <= 0:
        raise RuntimeError(f"exponential_ expects lambda > 0.0, but found lambda={printed_number(lambd)}")
    values = exponential_values(self._data.size, lambd, self._data.dtype,
                                generator or default_generator)
    return _fill_with(self, values, ExponentialBackward0)


class BernoulliBackward0(Node):
    __slots__ = ()
    gradients = {"self": "zeros_like(grad)"}  # a draw's gradient, as PyTorch defines it
    local = {"self": "0"}


@op("Random")
def bernoulli(input, p=None, *, generator=None, out=None):
    """0 or 1 per element, 1 with the element's probability: a float32 uniform below it, as
    PyTorch's tensor kernel draws (one 32-bit word each)."""
    generator = generator or default_generator
    data = input._data
    if p is not None:
        unit = generator.uniform(data.size, np.float64)
        return wrap((unit < p).astype(data.dtype).reshape(data.shape))
    if data.dtype.kind == "f" and ((data < 0) | (data > 1)).any():
        raise RuntimeError("Expected p_in >= 0 && p_in <= 1 to be true, but got false.  (Could "
                           "this error message be improved?  If so, please report an enhancement "
                           "request to PyTorch.)")
    unit = generator.uniform(data.size, np.float32).reshape(data.shape)
    result = wrap((unit < data).astype(data.dtype))
    if recording(input):
        record(BernoulliBackward0, result, (input,))
    return result


@op("Random")
def multinomial(input, num_samples, replacement=False, *, generator=None, out=None):
    """Category indices drawn by probability (weights need not sum to 1), PyTorch's way:
    without replacement the largest ``p / q`` with ``q ~ Exp(1)`` (one exponential per
    category); with it, a double uniform per sample looked up in the cumulative weights."""
    generator = generator or default_generator
    data = input._data
    if data.ndim not in (1, 2):
        raise RuntimeError("prob_dist must be 1 or 2 dim")
    if data.dtype.kind != "f":
        raise RuntimeError(f"multinomial only supports floating-point dtypes for input, got: "
                           f"{scalar_type_name(input.dtype)}")
    if num_samples <= 0:
        raise RuntimeError("cannot sample n_sample <= 0 samples")
    rows = data.reshape(-1, data.shape[-1])
    categories = rows.shape[1]
    if not replacement and num_samples > categories:
        raise RuntimeError("cannot sample n_sample > prob_dist.size(-1) samples without "
                           "replacement")
    if (rows < 0).any() or not np.isfinite(rows).all():
        raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
    if (rows.sum(axis=1) <= 0).any():
        raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
    if replacement:
        picks = np.empty((rows.shape[0], num_samples), dtype=np.int64)
        for r, row in enumerate(rows.astype(np.float64)):
            cumulative = np.cumsum(row) / row.sum()
            draws = generator.uniform(num_samples, np.float64)
            picks[r] = np.searchsorted(cumulative, draws, side="left")
    else:
        q = exponential_values(rows.size, 1.0, data.dtype, generator).reshape(rows.shape)
        with np.errstate(divide="ignore", invalid="ignore"):
            scores = rows / q
        order = np.argsort(-scores, axis=1, kind="stable")
        picks = order[:, :num_samples]
    return wrap(picks.reshape(data.shape[:-1] + (num_samples,)))


@op("Create", method=False)
def randint_like(input, low=0, high=None, *, dtype=None, device=None, requires_grad=False,
                 generator=None):
    from .creation import randint
    if high is None:
        low, high = 0, low
    return randint(low, high, tuple(input.shape), dtype=dtype or input.dtype,
                   device=device or input.device, requires_grad=requires_grad,
                   generator=generator)
