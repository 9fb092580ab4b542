"""Text a program builds, within the limits: format specs, ``%``, ``str.format``, repr.

A format spec's width or precision allocates that many characters before
anything can stop it (``f"{1:>1000000000}"``), and ``str.format`` can read
attributes (``"{0.__class__}".format(x)``): both are checked here first.
"""
import re
import string

from ..errors import LimitExceeded
from .names import attribute_name_allowed

_SPEC_NUMBERS = re.compile(r"(\d+)")
_PERCENT = re.compile(r"%(?:\([^)]*\))?[-+ #0]*(\*|\d+)?(?:\.(\*|\d+))?[hlL]?[diouxXeEfFgGcrsa%]")


def check_spec(spec, guard):
    """Refuse a format spec whose width or precision passes the sequence limit."""
    if not spec:
        return
    if not isinstance(spec, str):
        raise TypeError("format spec must be a string")
    for number in _SPEC_NUMBERS.findall(spec):
        if len(number) > 7 or int(number) > guard.limits.max_sequence_length:
            raise LimitExceeded(f"the format spec '{spec[:20]}' asks for more than "
                                f"{guard.limits.max_sequence_length:,} characters (sequence limit)",
                                "sequence")


def safe_format(value, spec, guard):
    check_spec(spec, guard)
    text = format(value, spec)
    guard.check_length(len(text))
    return text


def check_percent_format(template, values, guard):
    """``template % values``: widths and ``*`` widths within the limit."""
    limit = guard.limits.max_sequence_length
    stars = False
    for width, precision in _PERCENT.findall(template):
        for number in (width, precision):
            if number == "*":
                stars = True
            elif number and (len(number) > 7 or int(number) > limit):
                raise LimitExceeded(f"a % format asks for more than {limit:,} characters "
                                    "(sequence limit)", "sequence")
    if stars:
        for value in values if isinstance(values, tuple) else (values,):
            if type(value) is int and abs(value) > limit:
                raise LimitExceeded(f"a % format asks for more than {limit:,} characters "
                                    "(sequence limit)", "sequence")


def _sized_for_text(value, guard):
    """Refuse the text of a container too large to print in a run's time."""
    if isinstance(value, (list, tuple, set, frozenset, dict)) and len(value) > 100_000:
        raise LimitExceeded(f"the text of a {type(value).__name__} of {len(value):,} items is "
                            "too long to build (sequence limit)", "sequence")


def safe_repr(value, guard):
    _sized_for_text(value, guard)
    text = repr(value)
    guard.check_length(len(text))
    return text


def safe_str(value, guard):
    _sized_for_text(value, guard)
    text = str(value)
    guard.check_length(len(text))
    return text


class _Formatter(string.Formatter):
    """``str.format`` whose fields read attributes through the sandbox's rules."""

    def __init__(self, guard, read_attribute):
        self.guard = guard
        self.read_attribute = read_attribute

    def get_field(self, field_name, args, kwargs):
        first, rest = string._string.formatter_field_name_split(field_name)
        value = self.get_value(first, args, kwargs)
        for is_attribute, key in rest:
            if is_attribute:
                if not attribute_name_allowed(key):
                    raise AttributeError(f"attribute '{key}' is not available")
                value = self.read_attribute(value, key)
            else:
                value = value[key]
        return value, first

    def format_field(self, value, format_spec):
        return safe_format(value, format_spec, self.guard)


def format_method(template, guard, read_attribute):
    formatter = _Formatter(guard, read_attribute)

    def format(*args, **kwargs):  # noqa: A001 - it is str.format
        text = formatter.vformat(template, args, kwargs)
        guard.check_length(len(text))
        return text

    def format_map(mapping):
        return formatter.vformat(template, (), mapping)
    return format, format_map


def wrap_method(owner, name, method, guard, read_attribute=None):
    """The method a program gets for ``owner.<name>``: size-checked where needed."""
    if isinstance(owner, str) and not isinstance(owner, type):
        if name in ("format", "format_map"):
            pair = format_method(owner, guard, read_attribute)
            return pair[0] if name == "format" else pair[1]
        if name in ("center", "ljust", "rjust", "zfill"):
            def padded(width, *args):
                guard.check_length(width if type(width) is int else 0)
                return method(width, *args)
            return padded
        if name == "expandtabs":
            def expand(tabsize=8):
                guard.check_length(owner.count("\t") * max(int(tabsize), 0) + len(owner))
                return method(tabsize)
            return expand
        if name == "replace":
            def replace(old, new, count=-1):
                occurrences = owner.count(old) if old else len(owner) + 1
                if count >= 0:
                    occurrences = min(occurrences, count)
                guard.check_length(len(owner) + occurrences * len(new))
                return method(old, new, count)
            return replace
        if name == "join":
            from .safe_stdlib import consume

            def join(iterable):
                text = method(consume(iterable, guard))
                guard.check_length(len(text))
                return text
            return join
    if owner is str and name in ("format", "format_map"):
        raise AttributeError("use the method on a string: 'text'.format(...)")
    if isinstance(owner, (list, set, dict, bytearray)) and name in ("extend", "update"):
        from .safe_stdlib import consume

        def extend(*iterables, **kwargs):
            items = [consume(i, guard) if not isinstance(i, dict) else i for i in iterables]
            guard.check_length(len(owner) + sum(len(i) for i in items) + len(kwargs))
            return method(*items, **kwargs)
        return extend
    return method
