"""The builtins a program may call, with the guards they need.

``print`` never writes to ``sys.stdout``: it builds the text the way Python's
print does (``sep.join(str(a) ...) + end``) and hands it to the interpreter's
output sink, so each frame keeps its own printed text and other threads are
untouched.
"""
import builtins

from .errors import LimitExceeded


def format_print(args, kwargs):
    """The text ``print(*args, **kwargs)`` would write."""
    sep = kwargs.get("sep", " ")
    end = kwargs.get("end", "\n")
    if sep is None:
        sep = " "
    if end is None:
        end = "\n"
    if not isinstance(sep, str):
        raise TypeError(f"sep must be None or a string, not {type(sep).__name__}")
    if not isinstance(end, str):
        raise TypeError(f"end must be None or a string, not {type(end).__name__}")
    return sep.join(str(arg) for arg in args) + end


def _check_iterable(args, guard):
    """min/max over one iterable walk it in Python: keep that walk short."""
    if len(args) == 1:
        try:
            length = len(args[0])
        except TypeError:
            return
        if length > guard.limits.max_iterations:
            raise LimitExceeded(
                f"min/max over {length:,} items passes the iteration limit "
                f"{guard.limits.max_iterations:,}", "iterations")


def call_builtin(name, args, kwargs, guard, write):
    """Call builtin ``name`` (already whitelisted) with evaluated arguments."""
    if name == "print":
        text = format_print(args, kwargs)
        write(text)
        return None
    if name in ("min", "max"):
        _check_iterable(args, guard)
    function = getattr(builtins, name)
    return function(*args, **kwargs)
