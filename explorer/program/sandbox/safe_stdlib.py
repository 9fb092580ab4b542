"""The parts of Python's standard library and numpy a program may import.

Each table maps a public name to what the program gets. Functions that could
allocate or loop without bound are wrapped so the run's guard checks the size
*before* the work is done (``math.factorial(10**9)``, ``random.choices(k=...)``,
``numpy.zeros(10**12)``); iterators are counted so C code cannot consume an
endless one. Nothing here opens a file, a socket or a process.
"""
import collections
import copy
import functools
import itertools
import math
import random
import time

import numpy as np

from ..errors import LimitExceeded


class CountedIterator:
    """An iterator that ticks the guard and stops past the sequence limit."""

    __slots__ = ("_iterator", "_guard", "_count")

    def __init__(self, iterable, guard):
        self._iterator = iter(iterable)
        self._guard = guard
        self._count = 0

    def __iter__(self):
        return self

    def __next__(self):
        self._count += 1
        if self._count & 255 == 0:
            self._guard.tick()
        if self._count > self._guard.limits.max_sequence_length:
            self._guard.check_length(self._count)
        return next(self._iterator)

    def __repr__(self):
        return "<iterator>"


def bounded_length(value, guard):
    """Check a sized value against the sequence limit (ranges included)."""
    try:
        length = len(value)
    except (TypeError, OverflowError):
        if isinstance(value, range):
            raise LimitExceeded("a range of more than 2^63 items (sequence limit)",
                                "sequence") from None
        return None
    guard.check_length(length)
    return length


def consume(iterable, guard):
    """``list(iterable)`` within the limits."""
    if bounded_length(iterable, guard) is not None:
        return list(iterable)
    return list(CountedIterator(iterable, guard))


# --------------------------------------------------------------------- math
def math_table(guard):
    table = {name: getattr(math, name) for name in dir(math) if not name.startswith("_")}

    def check_bits(bits, what):
        if bits > guard.limits.max_int_bits:
            raise LimitExceeded(f"{what} would be larger than {guard.limits.max_int_bits} bits "
                                "(integer limit)", "integer")

    def factorial(n):
        if isinstance(n, int) and n > 20:
            check_bits(math.lgamma(n + 1) / math.log(2), f"factorial({n})")
        return math.factorial(n)

    def comb(n, k):
        if isinstance(n, int) and isinstance(k, int) and 0 <= k <= n and n > 60:
            bits = (math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)) / math.log(2)
            check_bits(bits, f"comb({n}, {k})")
        return math.comb(n, k)

    def perm(n, k=None):
        if isinstance(n, int) and n > 20:
            kk = n if k is None else k
            if isinstance(kk, int) and 0 <= kk <= n:
                check_bits((math.lgamma(n + 1) - math.lgamma(n - kk + 1)) / math.log(2),
                           f"perm({n}, {kk})")
        return math.perm(n, k)

    def prod(iterable, *, start=1):
        result = start
        for item in consume(iterable, guard):
            result = result * item
            if type(result) is int:
                guard.check_int(result)
        return result

    def fsum(iterable):
        return math.fsum(consume(iterable, guard))

    def pow_(x, y):
        return math.pow(x, y)

    def lcm(*integers):
        result = math.lcm(*integers)
        guard.check_int(result)
        return result

    table.update(factorial=factorial, comb=comb, perm=perm, prod=prod, fsum=fsum, pow=pow_,
                 lcm=lcm)
    return table


# ------------------------------------------------------------------- random
def random_table(guard):
    """A generator of the run's own: ``random.seed`` here never touches the app's."""
    rng = random.Random()

    def choices(population, weights=None, *, cum_weights=None, k=1):
        guard.check_length(k)
        return rng.choices(population, weights, cum_weights=cum_weights, k=k)

    def sample(population, k, *, counts=None):
        guard.check_length(k)
        return rng.sample(population, k, counts=counts)

    def getrandbits(k):
        if k > guard.limits.max_int_bits:
            guard.check_int(1 << (guard.limits.max_int_bits + 1))
        return rng.getrandbits(k)

    def randbytes(n):
        guard.check_length(n)
        return rng.randbytes(n)

    def shuffle(x):
        bounded_length(x, guard)
        return rng.shuffle(x)

    table = {name: getattr(rng, name) for name in (
        "seed", "random", "uniform", "randint", "randrange", "choice", "gauss", "normalvariate",
        "lognormvariate", "expovariate", "betavariate", "gammavariate", "triangular",
        "vonmisesvariate", "paretovariate", "weibullvariate", "getstate", "setstate")}
    table.update(choices=choices, sample=sample, getrandbits=getrandbits, randbytes=randbytes,
                 shuffle=shuffle)
    return table


# -------------------------------------------------------------------- numpy
_NUMPY_VALUES = ("pi", "e", "inf", "nan", "newaxis", "float16", "float32", "float64", "int8",
                 "int16", "int32", "int64", "uint8", "bool_", "ndarray", "dtype")
_NUMPY_ELEMENTWISE = """
    exp log log2 log10 log1p expm1 sqrt square abs absolute sign sin cos tan arcsin arccos arctan
    arctan2 sinh cosh tanh maximum minimum clip floor ceil round rint isnan isinf isfinite where
    add subtract multiply divide power mod negative reciprocal sum mean std var max min argmax
    argmin prod cumsum cumprod all any allclose isclose array_equal dot matmul transpose reshape
    squeeze expand_dims stack concatenate vstack hstack sort argsort unique mean median amax amin
    linalg_norm diag trace sort copy shape ndim size float_power heaviside
""".split()


def _shape_count(shape):
    if isinstance(shape, (int, np.integer)):
        return int(shape)
    count = 1
    for dim in shape:
        count *= max(int(dim), 0)
        if count > 10 ** 18:
            break
    return count


def _array_arguments(args, kwargs):
    for value in list(args) + list(kwargs.values()):
        if isinstance(value, np.ndarray):
            yield value.shape
        elif isinstance(value, (list, tuple)):
            for item in value[:64]:
                if isinstance(item, np.ndarray):
                    yield item.shape


def numpy_table(guard):
    from ..limits import broadcast_shape

    limit = guard.limits.max_elements

    def check(count, what):
        guard.check_elements(count, what)

    def creator(function, shape_position=0, shape_keyword="shape"):
        def create(*args, **kwargs):
            shape = kwargs.get(shape_keyword, args[shape_position] if len(args) > shape_position
                               else ())
            check(_shape_count(shape), f"numpy.{function.__name__}")
            return function(*args, **kwargs)
        create.__name__ = function.__name__
        return create

    def elementwise(function):
        def call(*args, **kwargs):
            shapes = list(_array_arguments(args, kwargs))
            if len(shapes) > 1:
                result = broadcast_shape(shapes)
                if result is not None:
                    check(_shape_count(result), f"numpy.{getattr(function, '__name__', 'op')}")
            return guard.check_array(function(*args, **kwargs))
        call.__name__ = getattr(function, "__name__", "function")
        return call

    def array(obj, *args, **kwargs):
        if not isinstance(obj, np.ndarray):
            bounded_length(obj, guard) if not isinstance(obj, (int, float)) else None
        return guard.check_array(np.array(obj, *args, **kwargs))

    def arange(*args, **kwargs):
        try:
            count = len(range(*(int(np.ceil(a)) for a in args[:3])))
        except (TypeError, ValueError, OverflowError):
            count = 0
        check(count, "numpy.arange")
        return np.arange(*args, **kwargs)

    def linspace(start, stop, num=50, *args, **kwargs):
        check(int(num), "numpy.linspace")
        return np.linspace(start, stop, num, *args, **kwargs)

    def outer(a, b):
        check(np.size(a) * np.size(b), "numpy.outer")
        return np.outer(a, b)

    table = {name: getattr(np, name) for name in _NUMPY_VALUES}
    for name in _NUMPY_ELEMENTWISE:
        if hasattr(np, name):
            table[name] = elementwise(getattr(np, name))
    for name in ("zeros", "ones", "empty"):
        table[name] = creator(getattr(np, name))
    table["empty"] = creator(np.zeros)
    table["full"] = creator(np.full)
    table["eye"] = lambda n, m=None, *args, **kwargs: (
        check(n * (n if m is None else m), "numpy.eye"), np.eye(n, m, *args, **kwargs))[1]
    for name in ("zeros_like", "ones_like", "empty_like", "full_like", "asarray", "float32",
                 "float64"):
        table.setdefault(name, getattr(np, name))
    table.update(array=array, asarray=array, arange=arange, linspace=linspace, outer=outer)
    _ = limit
    return table


def numpy_random_table(guard):
    """``numpy.random``: the legacy global functions, on a generator of the run's own."""
    state = np.random.RandomState()

    def sized(function):
        def call(*args, **kwargs):
            size = kwargs.get("size")
            if size is None and function.__name__ in ("rand", "randn"):
                size = args
            if size is not None:
                guard.check_elements(_shape_count(size), f"numpy.random.{function.__name__}")
            return function(*args, **kwargs)
        call.__name__ = function.__name__
        return call

    table = {"seed": state.seed}
    for name in ("rand", "randn", "randint", "normal", "uniform", "random", "random_sample",
                 "choice", "binomial", "poisson", "exponential", "standard_normal"):
        table[name] = sized(getattr(state, name))
    table["shuffle"] = state.shuffle
    table["permutation"] = lambda x: (bounded_length(range(x) if isinstance(x, int) else x, guard),
                                      state.permutation(x))[1]
    return table


# ------------------------------------------------------------ small modules
def collections_table():
    return {"OrderedDict": collections.OrderedDict, "defaultdict": collections.defaultdict,
            "deque": collections.deque,
            "Counter": collections.Counter}


def time_table():
    return {"time": time.time, "perf_counter": time.perf_counter, "monotonic": time.monotonic}


def functools_table(guard):
    def reduce(function, iterable, *initial):
        return functools.reduce(function, consume(iterable, guard), *initial)

    return {"reduce": reduce, "partial": functools.partial, "wraps": functools.wraps,
            "lru_cache": functools.lru_cache, "cache": functools.cache}


def itertools_table(guard):
    def counted(function):
        def call(*args, **kwargs):
            return CountedIterator(function(*args, **kwargs), guard)
        call.__name__ = function.__name__
        return call
    return {name: counted(getattr(itertools, name)) for name in (
        "product", "chain", "count", "cycle", "repeat", "islice", "accumulate", "combinations",
        "permutations", "zip_longest", "starmap", "takewhile", "dropwhile", "groupby")}


def copy_table(guard):
    return {"copy": copy.copy, "deepcopy": copy.deepcopy}
