"""Text a program builds, within the limits: format specs, ``%``, ``str.format``, repr.

A format spec's width or precision allocates that many characters before
anything can stop it (``f"{1:>1000000000}"``), and ``str.format`` can read
attributes (``"{0.__class__}".format(x)``): both are checked here first. The
text of a container is estimated before it is built: a list repeated by
reference (``[[[0] * 1000] * 1000] * 1000``) is short to write and would take
minutes to print. Methods of plain data that size their result from an
argument (``ljust``, ``join``, ``to_bytes``, ``fromkeys`` ...) are checked
whether a program reaches them on a value or on its type (``str.ljust(s, n)``).
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
    _sized_for_text(value, guard)
    text = format(value, spec)
    guard.check_length(len(text))
    return text


def check_percent_format(template, values, guard):
    """``template % values``: widths and ``*`` widths within the limit, texts estimated."""
    if isinstance(template, bytes):  # b"%1000000000d" % 1 allocates as the str form does
        template = template.decode("latin-1")
    limit = guard.limits.max_sequence_length
    for value in values if isinstance(values, tuple) else (values,):
        _sized_for_text(value, guard)
    conversions = _PERCENT.findall(template)
    # The pieces are joined in C: their sizes added up first ('%s' * n % ((big,) * n)).
    if isinstance(values, dict):
        pieces = len(conversions) * max((_text_size(v, limit) for v in values.values()),
                                        default=0)
    elif isinstance(values, tuple):
        pieces = sum(_text_size(v, limit) for v in values)
    else:
        pieces = _text_size(values, limit)
    guard.check_length(len(template) + pieces)
    stars = False
    for width, precision in conversions:
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


_CONTAINERS = (list, tuple, set, frozenset, dict)


def _text_size(value, cap):
    """About how long ``str(value)`` is, from its size (an int's digits, a list's items)."""
    if isinstance(value, (str, bytes)):
        return len(value)
    if type(value) is int:
        return value.bit_length() * 30103 // 100000 + 2
    if isinstance(value, _CONTAINERS):
        return text_items(value, cap)
    return 32  # floats, tensors' summaries; a program's __str__ runs under the guard
_TEXT_ITEMS = 100_000  # top-level items of a container whose text may be built


MAX_NESTING = 1000  # Python's own recursion limit: deeper values cannot even be printed


def nested_items(value, cap):
    """Items in ``value`` counted through nested containers, each reference once (at most
    ``cap`` + 1): what hashing, comparing or copying it element by element costs, in C,
    where no guard can stop it (``u = ((0,) * 10**6,) * 10**6; hash(u)``). Values nested
    past ``MAX_NESTING`` are refused: hashing a tuple 200,000 deep overflows C's stack.
    """
    if not isinstance(value, _CONTAINERS):
        return 1
    members = (list(value.keys()) + list(value.values())) if isinstance(value, dict) else value
    if not any(issubclass(kind, _CONTAINERS) for kind in set(map(type, members))):
        return len(value)  # flat: the common case, decided at C speed
    return text_items(value, cap, characters=False, max_depth=MAX_NESTING)


def check_comparison(left, right, membership, guard):
    """Refuse ``left == right`` (or ``left in right``) whose element-by-element work in C
    would pass the element limit: two lists built by appends, each holding one large
    value many times, compare for hours and no guard runs meanwhile."""
    if not isinstance(left, _CONTAINERS):
        return
    cap = guard.limits.max_elements
    if membership:
        # Hashed containers hash the needle; sequences compare it with every item.
        work = nested_items(left, cap) if isinstance(right, (dict, set, frozenset)) \
            else nested_items(right, cap) if isinstance(right, (list, tuple)) else 0
    elif isinstance(right, _CONTAINERS):
        work = min(nested_items(left, cap), nested_items(right, cap))
    else:
        return
    guard.check_elements(work, "a comparison")


def text_items(value, cap, characters=True, max_depth=None):
    """Items (and characters) the text of ``value`` would show, counting at most ``cap`` + 1.

    A container referenced many times counts each time, as its text repeats it;
    each distinct container is walked once (memo by id, the values being alive
    meanwhile), so the estimate costs the number of distinct containers. A
    container that holds itself counts once, as ``[...]``. No recursion: a
    deeply nested list cannot exhaust Python's stack here. With ``max_depth``,
    a value nested deeper (its longest chain of containers) is refused.
    """
    if not isinstance(value, _CONTAINERS):
        return len(value) if characters and isinstance(value, (str, bytes)) else 1
    memo = {}
    heights = {}  # containers on the longest chain below each one, itself included
    stack = [(value, False)]
    on_path = set()
    while stack:
        item, children_done = stack.pop()
        key = id(item)
        if children_done:
            on_path.discard(key)
            total = len(item)
            height = 1
            for child in (item.items() if isinstance(item, dict) else item):
                for part in (child if isinstance(item, dict) else (child,)):
                    if isinstance(part, _CONTAINERS):
                        total += memo.get(id(part), 1)
                        height = max(height, heights.get(id(part), 0) + 1)
                    elif characters and isinstance(part, (str, bytes)):
                        total += len(part)
                if total > cap and max_depth is None:
                    break
            memo[key] = min(total, cap + 1)
            heights[key] = height
            if max_depth is not None and height > max_depth:
                raise LimitExceeded(f"a value nested more than {max_depth} levels deep "
                                    "(nesting limit)", "nesting")
            continue
        if key in memo or key in on_path:
            continue
        if len(item) > cap:
            memo[key] = cap + 1
            continue
        on_path.add(key)
        stack.append((item, True))
        pushed = set()  # a child repeated a million times is walked once
        for child in (item.items() if isinstance(item, dict) else item):
            for part in (child if isinstance(item, dict) else (child,)):
                if isinstance(part, _CONTAINERS) and id(part) not in memo \
                        and id(part) not in pushed:
                    pushed.add(id(part))
                    stack.append((part, False))
    return memo.get(id(value), 1)


def _sized_for_text(value, guard):
    """Refuse the text of a container too large to build in a run's time."""
    if not isinstance(value, _CONTAINERS):
        return
    if len(value) > _TEXT_ITEMS:
        raise LimitExceeded(f"the text of a {type(value).__name__} of {len(value):,} items is "
                            "too long to build (sequence limit)", "sequence")
    # Each item shows as one character at least, so more items than the
    # sequence limit make a text the limit would refuse once built.
    limit = guard.limits.max_sequence_length
    if text_items(value, limit) > limit:
        raise LimitExceeded(f"the text of a {type(value).__name__} would be longer than the "
                            f"limit {limit:,} (sequence limit)", "sequence")


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
        self.produced = 0  # characters of the fields so far: they are joined in one go

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
        text = safe_format(value, format_spec, self.guard)
        self.produced += len(text)
        self.guard.check_length(self.produced)
        return text

    def vformat(self, format_string, args, kwargs):
        self.produced = len(format_string)
        return super().vformat(format_string, args, kwargs)


def format_method(template, guard, read_attribute):
    formatter = _Formatter(guard, read_attribute)

    def format(*args, **kwargs):  # noqa: A001 - it is str.format
        text = formatter.vformat(template, args, kwargs)
        guard.check_length(len(text))
        return text

    def format_map(mapping):
        text = formatter.vformat(template, (), mapping)
        guard.check_length(len(text))
        return text
    return format, format_map


# Methods of plain data whose result's size comes from an argument, or that
# walk an iterable argument in C (where no guard can stop an endless one).
_SIZED_TEXT_METHODS = frozenset({"center", "ljust", "rjust", "zfill", "expandtabs", "replace",
                                 "join", "translate", "format", "format_map"})
_ITERABLE_METHODS = frozenset({"extend", "update", "union", "intersection", "difference",
                               "symmetric_difference", "issubset", "issuperset", "isdisjoint",
                               "intersection_update", "difference_update",
                               "symmetric_difference_update"})
_SIZED_METHODS = _SIZED_TEXT_METHODS | _ITERABLE_METHODS | {"to_bytes", "fromkeys"}


def wrap_method(owner, name, method, guard, read_attribute=None, call=None):
    """The method a program gets for ``owner.<name>``: size-checked where needed."""
    if isinstance(owner, type):
        return _unbound_method(owner, name, method, guard, read_attribute)
    if isinstance(owner, (str, bytes, bytearray)) and name in _SIZED_TEXT_METHODS:
        return _text_method(owner, name, method, guard, read_attribute)
    if isinstance(owner, (list, set, frozenset, dict, bytearray)) and name in _ITERABLE_METHODS:
        from .safe_stdlib import consume

        def walk_bounded(*iterables, **kwargs):
            items = [i if isinstance(i, (dict, set, frozenset)) else consume(i, guard)
                     for i in iterables]
            if name in ("extend", "update"):
                guard.check_length(len(owner) + sum(len(i) for i in items) + len(kwargs))
            return method(*items, **kwargs)
        return walk_bounded
    if isinstance(owner, int) and name == "to_bytes":
        def to_bytes(length=1, *args, **kwargs):
            from .safe_stdlib import as_count
            length = as_count(length)
            guard.check_length(length)
            return method(length, *args, **kwargs)
        return to_bytes
    if isinstance(owner, dict) and name == "fromkeys":
        return _fromkeys(method, guard)
    if isinstance(owner, (list, tuple)) and name in ("count", "index", "remove"):
        def search(value, *args):  # compares ``value`` with the items, in C
            check_comparison(value, owner, True, guard)
            return method(value, *args)
        return search
    if isinstance(owner, list) and name == "sort":
        from .safe_stdlib import checked_callable

        def sort(*, key=None, reverse=False):  # the key runs from C: give it the checks
            return method(key=checked_callable(key, call), reverse=reverse)
        return sort
    if type(owner).__module__ == "numpy" and name in ("astype", "tolist", "dot"):
        return _array_method(owner, name, method, guard)
    return method


def _array_method(array, name, method, guard):
    """ndarray methods that allocate more than the array: checked before they run."""
    if name == "astype":
        from .safe_stdlib import element_weight

        def astype(dtype, *args, **kwargs):
            # astype('U1000000000') allocates itemsize bytes per element.
            guard.check_elements(array.size * element_weight(dtype), "numpy astype")
            return method(dtype, *args, **kwargs)
        return astype
    if name == "tolist":
        def tolist():
            guard.check_length(array.size)  # one Python object per element
            return method()
        return tolist

    def dot(other, *args, **kwargs):
        from ..sizecheck import estimate_elements
        estimate = estimate_elements("dot", None, (array, other), {},
                                     lambda v: getattr(v, "shape", None))
        if estimate is not None:
            guard.check_elements(estimate, "numpy dot")
        return method(other, *args, **kwargs)
    return dot


def _unbound_method(owner, name, method, guard, read_attribute):
    """``str.ljust``, ``list.extend``, ``dict.fromkeys`` ...: the same checks as on a value."""
    if owner is str and name in ("format", "format_map"):
        raise AttributeError("use the method on a string: 'text'.format(...)")
    if name not in _SIZED_METHODS or not issubclass(owner, (str, bytes, bytearray, list, set,
                                                             frozenset, dict, int)):
        return method
    if name == "fromkeys":
        return _fromkeys(method, guard)

    def unbound(receiver, *args, **kwargs):
        if not isinstance(receiver, owner):
            raise TypeError(f"descriptor '{name}' for '{owner.__name__}' objects doesn't apply "
                            f"to a '{type(receiver).__name__}' object")
        bound = getattr(receiver, name)
        return wrap_method(receiver, name, bound, guard, read_attribute)(*args, **kwargs)
    unbound.__name__ = name
    return unbound


def _fromkeys(method, guard):
    from .safe_stdlib import consume

    def fromkeys(iterable, value=None):
        return method(consume(iterable, guard), value)
    return fromkeys


def _text_method(owner, name, method, guard, read_attribute):
    if name in ("format", "format_map"):
        if not isinstance(owner, str):
            return method
        pair = format_method(owner, guard, read_attribute)
        return pair[0] if name == "format" else pair[1]
    if name in ("center", "ljust", "rjust", "zfill"):
        def padded(width, *args):
            from .safe_stdlib import as_count
            width = as_count(width)
            guard.check_length(width)
            return method(width, *args)
        return padded
    if name == "expandtabs":
        def expand(tabsize=8):
            tabs = owner.count(b"\t" if isinstance(owner, (bytes, bytearray)) else "\t")
            guard.check_length(tabs * max(int(tabsize), 0) + len(owner))
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
            items = consume(iterable, guard)
            # The text is allocated whole: add the lengths up before joining.
            guard.check_length(sum(len(i) for i in items if isinstance(i, (str, bytes)))
                               + len(owner) * max(len(items) - 1, 0))
            text = method(items)
            guard.check_length(len(text))
            return text
        return join
    if name == "translate" and isinstance(owner, str):
        def translate(table):
            # A str table entry may be a whole string per character.
            if not isinstance(table, dict):
                raise TypeError("str.translate takes a dict (str.maketrans) in a program")
            longest = max((len(v) for v in table.values() if isinstance(v, str)), default=1)
            guard.check_length(len(owner) * max(longest, 1))
            return method(table)
        return translate
    return method
