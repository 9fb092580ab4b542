"""The parts of Python's standard library and numpy a program may import.

Each table maps a public name to what the program gets. Functions that could
allocate or loop without bound are wrapped so the run's guard checks the size
*before* the work is done (``math.factorial(10**9)``, ``random.choices(k=...)``,
``numpy.zeros(10**12)``); iterators are counted so C code cannot consume an
endless one. Functions a program hands to C (``reduce``'s, ``accumulate``'s)
are called through the sandbox's checks and counted as loop steps; numpy's
object arrays are refused. Nothing here opens a file, a socket or a process.
"""
import collections
import copy
import functools
import itertools
import math
import operator
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


def as_count(value):
    """``value`` as the int Python would take from it (``__index__``), taken once.

    A count checked and then used must be the same number: an object whose
    ``__index__`` answered 1 to the check could answer 10**10 to the op.
    """
    return value if type(value) is int else operator.index(value)


def checked_callable(function, call):
    """``function`` as C code (map, sorted's key, reduce ...) will call it: through the
    sandbox's ``call``, with its class, size and result checks, which a call from C
    would skip (``map(torch.ones, [10**10])``). A program's own functions check
    themselves and pass as they are.
    """
    from .functions import SandboxFunction

    if function is None or call is None or isinstance(function, SandboxFunction):
        return function

    def through_the_sandbox(*args, **kwargs):
        return call(function, args, kwargs)
    through_the_sandbox.__name__ = getattr(function, "__name__", "function")
    return through_the_sandbox


def counted_steps(function, guard):
    """``function`` with each call counted as a loop iteration (reduce, accumulate).

    Feeding each result back in, in C, nests objects as deep as there are steps
    (``reduce(slice, range(10**6))``), and freeing such a chain overflows C's
    stack: the steps are bounded as a loop's are.
    """
    def step(*args):
        guard.count_iteration()
        return function(*args)
    return step


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
        n = as_count(n)
        if n > 20:
            check_bits(math.lgamma(n + 1) / math.log(2), f"factorial({n})")
        return math.factorial(n)

    def comb(n, k):
        n, k = as_count(n), as_count(k)
        if 0 <= k <= n and n > 60:
            bits = (math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)) / math.log(2)
            check_bits(bits, f"comb({n}, {k})")
        return math.comb(n, k)

    def perm(n, k=None):
        n, k = as_count(n), None if k is None else as_count(k)
        if n > 20:
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
        k = as_count(k)
        guard.check_length(k)
        return rng.choices(population, weights, cum_weights=cum_weights, k=k)

    def sample(population, k, *, counts=None):
        k = as_count(k)
        guard.check_length(k)
        return rng.sample(population, k, counts=counts)

    def getrandbits(k):
        k = as_count(k)
        if k > guard.limits.max_int_bits:
            guard.check_int(1 << (guard.limits.max_int_bits + 1))
        return rng.getrandbits(k)

    def randbytes(n):
        n = as_count(n)
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


def element_weight(dtype):
    """Elements of 8 bytes one element of ``dtype`` is worth (``'S1000000000'`` is many)."""
    if dtype is None:
        return 1
    try:
        dtype = np.dtype(dtype)
    except (TypeError, ValueError):
        return 1  # numpy itself refuses it
    refuse_objects(dtype)
    return max(dtype.itemsize // 8, 1)


def refuse_objects(dtype):
    """numpy's object arrays run Python's operators per element, in C, past every check
    (``np.array([10**30] * 10) ** 10**6``): a program's arrays hold numbers and text."""
    if dtype.kind == "O":
        raise TypeError("numpy arrays of Python objects are not available in a program")


def _plain_operand(value):
    """An elementwise operand as numpy will see it, refusing what becomes an object array."""
    if isinstance(value, (list, tuple)):
        value = np.asarray(value)
    if isinstance(value, np.ndarray):
        refuse_objects(value.dtype)
    elif type(value) is int and not -2 ** 63 <= value < 2 ** 64:
        refuse_objects(np.dtype(object))  # numpy would compute it as a Python int
    return value


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

    def creator(function, shape_position=0, shape_keyword="shape", dtype_position=None):
        def create(*args, **kwargs):
            shape = kwargs.get(shape_keyword, args[shape_position] if len(args) > shape_position
                               else ())
            dtype = kwargs.get("dtype", args[dtype_position] if dtype_position is not None
                               and len(args) > dtype_position else None)
            check(_shape_count(shape) * element_weight(dtype), f"numpy.{function.__name__}")
            return function(*args, **kwargs)
        create.__name__ = function.__name__
        return create

    def like(function):
        # zeros_like(a, dtype='S1000000000'): a's size, in elements of the new dtype.
        def make(prototype, *args, **kwargs):
            dtype = kwargs.get("dtype", args[1 if function.__name__ == "full_like" else 0]
                               if len(args) > (1 if function.__name__ == "full_like" else 0)
                               else None)
            shape = kwargs.get("shape")
            count = _shape_count(shape) if shape is not None else np.size(prototype)
            check(count * element_weight(dtype), f"numpy.{function.__name__}")
            return function(prototype, *args, **kwargs)
        make.__name__ = function.__name__
        return make

    def joined(function):
        # stack/concatenate of one array many times: the sum of the parts, before the copy.
        def join(arrays, *args, **kwargs):
            parts = consume(arrays, guard)
            check(sum(np.size(part) for part in parts), f"numpy.{function.__name__}")
            return guard.check_array(function(parts, *args, **kwargs))
        join.__name__ = function.__name__
        return join

    def diag(v, k=0):
        if np.ndim(v) == 1:  # a vector becomes a square matrix
            check((np.size(v) + abs(int(k))) ** 2, "numpy.diag")
        return np.diag(v, k)

    def elementwise(function):
        def call(*args, **kwargs):
            args = tuple(_plain_operand(a) for a in args)
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
        weight = element_weight(kwargs.get("dtype", args[0] if args else None))
        if weight > 1:
            from ..sizecheck import count_data_elements
            count = count_data_elements(obj, limit, lambda v: getattr(v, "shape", None))
            check(count * weight, "numpy.array")
        result = np.array(obj, *args, **kwargs)
        refuse_objects(result.dtype)
        return guard.check_array(result)

    def arange(*args, **kwargs):
        # The count of a float step (arange(0, 1, 1e-9)), from the bounds as numbers.
        try:
            bounds = [float(a) for a in args[:3]]
            start, stop, step = ([0.0] + bounds + [1.0])[-3:] if len(bounds) == 1 else \
                (bounds + [1.0])[:3]
            count = max(math.ceil((stop - start) / step), 0) if step else 0
        except (TypeError, ValueError, OverflowError, ZeroDivisionError):
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
        table[name] = creator(getattr(np, name), dtype_position=1)
    table["empty"] = creator(np.zeros, dtype_position=1)
    table["full"] = creator(np.full, dtype_position=2)
    for name in ("stack", "concatenate", "vstack", "hstack"):
        table[name] = joined(getattr(np, name))
    table["diag"] = diag
    table["eye"] = lambda n, m=None, *args, **kwargs: (
        check(n * (n if m is None else m), "numpy.eye"), np.eye(n, m, *args, **kwargs))[1]
    for name in ("zeros_like", "ones_like", "empty_like", "full_like"):
        table[name] = like(getattr(np, name))
    for name in ("float32", "float64"):
        table.setdefault(name, getattr(np, name))
    table.update(array=array, asarray=array, arange=arange, linspace=linspace, outer=outer)
    return table


# Where ``size`` sits among each function's positional arguments.
_SIZE_POSITION = {"randint": 2, "normal": 2, "uniform": 2, "random": 0, "random_sample": 0,
                  "choice": 1, "binomial": 2, "poisson": 1, "exponential": 1,
                  "standard_normal": 0}


def numpy_random_table(guard):
    """``numpy.random``: the legacy global functions, on a generator of the run's own."""
    state = np.random.RandomState()

    def sized(function, position):
        def call(*args, **kwargs):
            size = kwargs.get("size")
            if size is None and position is not None and len(args) > position:
                size = args[position]
            if size is None and function.__name__ in ("rand", "randn"):
                size = args
            if size is not None:
                guard.check_elements(_shape_count(size), f"numpy.random.{function.__name__}")
            if function.__name__ == "choice" and not kwargs.get("replace", len(args) < 3 or
                                                              args[2]):
                # Without replacement numpy shuffles the whole population first.
                population = args[0] if args else kwargs.get("a")
                count = population if isinstance(population, (int, np.integer)) \
                    else np.size(population)
                guard.check_elements(int(count), "numpy.random.choice")
            return function(*args, **kwargs)
        call.__name__ = function.__name__
        return call

    table = {"seed": state.seed}
    for name in ("rand", "randn", "randint", "normal", "uniform", "random", "random_sample",
                 "choice", "binomial", "poisson", "exponential", "standard_normal"):
        table[name] = sized(getattr(state, name), _SIZE_POSITION.get(name))
    table["shuffle"] = state.shuffle
    table["permutation"] = lambda x: (bounded_length(range(x) if isinstance(x, int) else x, guard),
                                      state.permutation(x))[1]
    return table


# ------------------------------------------------------------ small modules
def collections_table(guard):
    from .safe_builtins import type_stand_in

    def filled(cls):
        # deque(range(10**9)) and Counter(...) walk their argument in C or
        # without the guard: hand them a list the limits have already bounded.
        def make(iterable=None, *args, **kwargs):
            if iterable is not None and not isinstance(iterable, dict):
                iterable = consume(iterable, guard)
            elif iterable is not None:
                bounded_length(iterable, guard)
            return cls(*(() if iterable is None else (iterable,)), *args, **kwargs)
        make.__name__ = cls.__name__
        return type_stand_in(cls, make)  # isinstance(d, collections.deque) still works

    return {"OrderedDict": collections.OrderedDict, "defaultdict": collections.defaultdict,
            "deque": filled(collections.deque), "Counter": filled(collections.Counter)}


def time_table():
    return {"time": time.time, "perf_counter": time.perf_counter, "monotonic": time.monotonic}


def functools_table(guard, call=None):
    def reduce(function, iterable, *initial):
        return functools.reduce(counted_steps(checked_callable(function, call), guard),
                                consume(iterable, guard), *initial)

    def wraps(wrapped):
        # functools.wraps(x, assigned=(name,)) copies any attribute by name, dunders
        # included, onto anything (an engine class): only the default copy is offered.
        return functools.wraps(wrapped, assigned=("__name__", "__qualname__", "__doc__"),
                               updated=())

    def lru_cache(maxsize=128, typed=False):
        if callable(maxsize):  # @lru_cache on a function
            return functools.lru_cache(checked_callable(maxsize, call))
        decorate = functools.lru_cache(maxsize, typed)
        return lambda function: decorate(checked_callable(function, call))

    def cache(function):
        return functools.cache(checked_callable(function, call))

    return {"reduce": reduce, "partial": functools.partial, "wraps": wraps,
            "lru_cache": lru_cache, "cache": cache}


# These copy their whole input into a tuple, in C, before yielding anything.
_ITERTOOLS_POOLING = frozenset({"product", "combinations", "permutations"})


# Where each takes a function (C calls it): argument position and keyword.
_ITERTOOLS_FUNCTION = {"accumulate": (1, "func"), "starmap": (0, None), "takewhile": (0, None),
                       "dropwhile": (0, None), "groupby": (1, "key")}


def itertools_table(guard, call=None):
    def counted(function):
        pooling = function.__name__ in _ITERTOOLS_POOLING

        def start(*args, **kwargs):
            position, keyword = _ITERTOOLS_FUNCTION.get(function.__name__, (None, None))
            if keyword in kwargs:
                kwargs[keyword] = checked_callable(kwargs[keyword], call)
            elif position is not None and len(args) > position:
                args = args[:position] + (checked_callable(args[position], call),) + \
                    args[position + 1:]
            if function is itertools.accumulate:
                step = kwargs.get("func", args[1] if len(args) > 1 else None)
                if step is not None:
                    args = args[:1] + (counted_steps(step, guard),) + args[2:]
                    kwargs.pop("func", None)
            if pooling:
                args = tuple(consume(a, guard) if i == 0 or function.__name__ == "product"
                             else a for i, a in enumerate(args))
                repeat = kwargs.get("repeat", 1)
                if type(repeat) is int:
                    guard.check_length(repeat)  # product keeps ``repeat`` copies of its pools
            return CountedIterator(function(*args, **kwargs), guard)
        start.__name__ = function.__name__
        return start
    return {name: counted(getattr(itertools, name)) for name in (
        "product", "chain", "count", "cycle", "repeat", "islice", "accumulate", "combinations",
        "permutations", "zip_longest", "starmap", "takewhile", "dropwhile", "groupby")}


def copy_table(guard):
    return {"copy": copy.copy, "deepcopy": copy.deepcopy}
