"""The builtins a program sees: Python's, checked, and none that reach outside.

There is no ``open``, ``eval``, ``exec``, ``compile``, ``__import__``,
``globals``, ``vars``, ``input`` or ``breakpoint``. Functions that walk an
iterable in C (``sum``, ``sorted``, ``list`` ...) take it through ``consume``,
so an endless or huge iterable stops at the sequence limit; ``print`` writes
to the frame's output; ``getattr``/``setattr``/``hasattr`` follow the same
rules as the dot; ``type`` takes one argument and answers the checked
stand-ins (``type([]) is list``); ``super`` is Python's. Functions given to
``map``, ``filter`` or a ``key=`` run from C, so they are called through the
sandbox's checks (``map(torch.ones, [10**10])`` is refused before it allocates).
"""
import ast
import builtins

from ..builtins import format_print
from . import formatting
from .safe_stdlib import CountedIterator, as_count, bounded_length, checked_callable, consume

_PLAIN = ("abs", "bool", "callable", "chr", "divmod", "float", "hash", "hex", "id", "isinstance",
          "issubclass", "len", "oct", "ord", "bin", "complex", "slice", "object", "staticmethod",
          "classmethod", "property", "NotImplemented", "Ellipsis")

_EXCEPTIONS = tuple(
    name for name, value in vars(builtins).items()
    if isinstance(value, type) and issubclass(value, BaseException)
    and not name.startswith("_"))


def make_builtins(sandbox):
    guard = sandbox.guard
    table = {name: getattr(builtins, name) for name in _PLAIN + _EXCEPTIONS}

    def items(iterable):
        return consume(iterable, guard)

    def print_(*args, sep=" ", end="\n", file=None, flush=False):
        if file is not None:
            raise TypeError("print() in a program writes to the output pane only (no file=)")
        for arg in args:
            formatting._sized_for_text(arg, guard)
        # The separators alone can be long: print(*range(10**4), sep='x' * 10**5).
        separators = (len(sep) if isinstance(sep, str) else 0) * max(len(args) - 1, 0) + \
            (len(end) if isinstance(end, str) else 0)
        guard.check_length(sandbox.printed_chars + separators)
        text = format_print(args, {"sep": sep, "end": end})
        sandbox.printed_chars += len(text)
        guard.check_length(sandbox.printed_chars)
        sandbox.write(text)

    def list_(iterable=()):
        return items(iterable)

    def tuple_(iterable=()):
        return tuple(items(iterable))

    def set_(iterable=()):
        return set(items(iterable))

    def frozenset_(iterable=()):
        return frozenset(items(iterable))

    def dict_(*args, **kwargs):
        if args and not isinstance(args[0], dict):
            args = (items(args[0]),) + args[1:]
        elif args:
            bounded_length(args[0], guard)
        return dict(*args, **kwargs)

    def checked(function):
        return checked_callable(function, sandbox.call)

    def sorted_(iterable, *, key=None, reverse=False):
        values = items(iterable)
        formatting.check_comparison(values, values, False, guard)  # items compared in C
        return sorted(values, key=checked(key), reverse=reverse)

    def reversed_(sequence):
        bounded_length(sequence, guard)
        return CountedIterator(reversed(sequence), guard)

    def sum_(iterable, start=0):
        values = items(iterable)
        if all(type(v) in (int, float, bool) for v in values) and type(start) in (int, float):
            result = sum(values, start)
            return sandbox.check_value(result)
        total = start
        for value in values:
            total = sandbox.binary(_ADD, total, value)
        return total

    def min_max(function):
        def pick(*args, **kwargs):
            if len(args) == 1:
                args = (items(args[0]),)
            if "key" in kwargs:
                kwargs["key"] = checked(kwargs["key"])
            return function(*args, **kwargs)
        pick.__name__ = function.__name__
        return pick

    def any_(iterable):
        return any(items(iterable))

    def all_(iterable):
        return all(items(iterable))

    def enumerate_(iterable, start=0):
        return CountedIterator(enumerate(sandbox.iterate(iterable), start), guard)

    def zip_(*iterables, strict=False):
        return CountedIterator(zip(*(sandbox.iterate(i) for i in iterables), strict=strict), guard)

    def map_(function, *iterables):
        return CountedIterator(map(checked(function), *(sandbox.iterate(i) for i in iterables)),
                               guard)

    def filter_(function, iterable):
        return CountedIterator(filter(checked(function), sandbox.iterate(iterable)), guard)

    def iter_(value, *sentinel):
        if sentinel:
            raise TypeError("iter(callable, sentinel) is not supported in a program")
        return sandbox.iterate(value)

    def next_(iterator, *default):
        return next(iterator, *default)

    def str_(value="", *args):
        if args:
            return str(value, *args)
        return formatting.safe_str(value, guard)

    def repr_(value):
        return formatting.safe_repr(value, guard)

    def ascii_(value):
        formatting._sized_for_text(value, guard)
        text = ascii(value)
        guard.check_length(len(text))
        return text

    def format_(value, spec=""):
        return formatting.safe_format(value, spec, guard)

    def int_(value=0, *args):
        result = int(value, *args)
        return sandbox.check_value(result)

    def round_(number, ndigits=None):
        if ndigits is not None and type(number) is int and type(ndigits) is int and \
                ndigits < -guard.limits.max_int_bits:
            return 0
        return round(number) if ndigits is None else round(number, ndigits)

    def pow_(base, exponent, modulus=None):
        if modulus is None:
            sandbox._precheck_binary(ast.Pow, base, exponent)  # the operator's class
            return sandbox.check_value(pow(base, exponent))
        return pow(base, exponent, modulus)

    def bytes_(source=b"", *args):
        if not isinstance(source, (str, bytes)) and hasattr(type(source), "__index__"):
            source = as_count(source)  # bytes(n) makes n zero bytes, n read once
            guard.check_length(source)
        elif not isinstance(source, (str, bytes)):
            source = items(source)
        return bytes(source, *args)

    def type_(*args):
        if len(args) != 1:
            raise TypeError("type() takes one argument in a program")
        return program_type(table, type(args[0]))

    def getattr_(value, name, *default):
        if not isinstance(name, str):
            raise TypeError("attribute name must be string")
        try:
            return sandbox.get_attribute(value, name)
        except AttributeError:
            if default:
                return default[0]
            raise

    def hasattr_(value, name):
        try:
            getattr_(value, name)
        except AttributeError:
            return False
        return True

    def setattr_(value, name, new_value):
        if not isinstance(name, str):
            raise TypeError("attribute name must be string")
        sandbox.set_attribute(value, name, new_value)

    def delattr_(value, name):
        if not sandbox.policy.may_write(value, name):
            raise AttributeError(f"cannot delete attribute '{name}'")
        delattr(value, name)

    def dir_(value):
        return sorted(name for name in dir(value) if not name.startswith("_")
                      and sandbox.policy.may_read(value, name))

    table.update({
        "print": print_, "range": range, "list": list_, "tuple": tuple_, "set": set_,
        "frozenset": frozenset_, "dict": dict_, "sorted": sorted_, "reversed": reversed_,
        "sum": sum_, "min": min_max(min), "max": min_max(max), "any": any_, "all": all_,
        "enumerate": enumerate_, "zip": zip_, "map": map_, "filter": filter_, "iter": iter_,
        "next": next_, "str": str_, "repr": repr_, "ascii": ascii_, "format": format_, "int": int_,
        "round": round_, "pow": pow_, "bytes": bytes_, "type": type_, "getattr": getattr_,
        "hasattr": hasattr_, "setattr": setattr_, "delattr": delattr_, "dir": dir_,
        "super": super,
        # A program runs as a script: ``if __name__ == "__main__":`` takes its branch.
        "__name__": "__main__", "__doc__": None,
    })
    # slice(slice(...)) and property(property(...)) chains are freed recursively in C,
    # unlike lists and tuples: one as long as the iteration limit allows (reduce(slice,
    # range(10**6))) would overflow C's stack. A program's slices hold numbers.
    for real in (slice, property):
        table[real.__name__] = _TypeStandIn(real, _flat_constructor(real))
    # isinstance(x, list) and friends must see the real types, not the wrappers.
    for name, real in (("list", list), ("tuple", tuple), ("set", set), ("dict", dict),
                       ("frozenset", frozenset), ("str", str), ("int", int), ("bytes", bytes),
                       ("range", range), ("type", type)):
        table[name] = _TypeStandIn(real, table[name])
    return table


class _TypeStandIn:
    """A builtin type as a program sees it: calls go through the checked constructor,
    ``isinstance``/``issubclass`` see the real type (via ``__instancecheck__``)."""

    __slots__ = ("real", "construct")

    def __init__(self, real, construct):
        self.real = real
        self.construct = construct

    def __call__(self, *args, **kwargs):
        return self.construct(*args, **kwargs)

    def __instancecheck__(self, instance):
        return isinstance(instance, self.real)

    def __subclasscheck__(self, cls):
        return issubclass(cls, self.real)

    def __eq__(self, other):
        return other is self.real or (type(other) is _TypeStandIn and other.real is self.real)

    def __hash__(self):
        return hash(self.real)

    def __repr__(self):
        return repr(self.real)

    @property
    def __name__(self):
        return self.real.__name__


_ADD = ast.Add()


def _flat_constructor(cls):
    def make(*args, **kwargs):
        for arg in args + tuple(kwargs.values()):
            if isinstance(arg, (slice, property)):
                raise TypeError(f"a {cls.__name__} of a {type(arg).__name__} is not available "
                                "in a program")
        return cls(*args, **kwargs)
    return make


def type_stand_in(real, construct):
    """``real`` as a program sees it: instances and subclasses are ``real``'s, calls
    go through ``construct`` (the checked constructor)."""
    return _TypeStandIn(real, construct)


def program_type(table, cls):
    """The class a program sees for ``cls``: the checked stand-in for ``list``, ``bytes``
    ... (so ``type([])(range(10**9))`` and ``map(type([]), ...)`` build within the
    limits), else ``cls`` itself."""
    stand_in = table.get(getattr(cls, "__name__", None))
    return stand_in if type(stand_in) is _TypeStandIn and stand_in.real is cls else cls


def real_type(value):
    """The builtin type behind a stand-in (for attribute reads like ``str.join``)."""
    return value.real if type(value) is _TypeStandIn else value
