"""Checks of single names and literals, shared by the rule walk and the interpreter's callers.

Each raises a ``SubsetViolation`` carrying the offending ``node`` (the parser
maps it to a line and column) and, once the walk adds it, the step ``path``.
"""
import keyword
import math

from . import whitelist
from .errors import SubsetViolation

MAX_INT_BITS = 63           # int literals fit int64, as tensors need
MAX_STRING_LENGTH = 10_000


class _Violation(SubsetViolation):
    def __init__(self, message, construct, node):
        super().__init__(message, construct)
        self.node = node
        self.path = ()


def _fail(message, construct, node):
    raise _Violation(message, construct, node)


def check_variable_name(name, node, binding=False):
    if type(name) is not str or not name.isidentifier() or keyword.iskeyword(name):
        _fail(f"{name!r} is not a valid variable name", f"name {name!r}", node)
    if name.startswith("_") and name != "_":
        _fail(f"names starting with '_' are not supported ({name!r})", f"name {name}", node)
    if name in whitelist.RESERVED_NAMES:
        if binding:
            _fail(f"'{name}' cannot be assigned: it names the module or a builtin",
                  f"assignment to {name}", node)
        _fail(f"'{name}' can only be called, not used as a value", f"name {name}", node)


def check_attribute(name, node):
    if type(name) is not str or not whitelist.is_known_attribute(name):
        _fail(f"attribute {name!r} is not supported", f"attribute {name}", node)


def check_method(name, node):
    if type(name) is not str or not whitelist.is_known_method(name):
        _fail(f"method {name!r} is not supported", f"method {name}", node)


def check_function_path(path, node):
    if type(path) is not tuple or not path or not all(type(p) is str for p in path):
        _fail("a call must name a function", "call", node)
    dotted = ".".join(path)
    if path[0] == "torch":
        if not whitelist.is_torch_function(path[1:]):
            _fail(f"'{dotted}' is not supported", f"call {dotted}", node)
        return
    if len(path) == 1 and path[0] in whitelist.BUILTINS:
        return
    if len(path) == 1:
        _fail(f"calling '{dotted}' is not supported (only torch functions, builtins "
              f"{', '.join(sorted(whitelist.BUILTINS))} and tensor methods)", f"call {dotted}", node)
    _fail(f"'{dotted}' is not supported", f"call {dotted}", node)


def check_value_path(parts, node):
    dotted = ".".join(parts) if type(parts) is tuple else repr(parts)
    if (type(parts) is not tuple or len(parts) < 2 or parts[0] != "torch"
            or tuple(parts[1:]) not in whitelist.TORCH_VALUES):
        _fail(f"'{dotted}' is not supported as a value", f"value {dotted}", node)


def check_constant(value, node):
    kind = type(value)
    if kind is bool or value is None:
        return
    if kind is int:
        if abs(value).bit_length() > MAX_INT_BITS:
            _fail("integer literal is too large (at most 63 bits)", "large integer literal", node)
        return
    if kind is float:
        if not math.isfinite(value):
            _fail("float literal is out of range", "infinite float literal", node)
        return
    if kind is str:
        if len(value) > MAX_STRING_LENGTH:
            _fail(f"string literal is longer than {MAX_STRING_LENGTH} characters",
                  "long string literal", node)
        return
    _fail(f"{kind.__name__} literals are not supported", f"{kind.__name__} literal", node)
