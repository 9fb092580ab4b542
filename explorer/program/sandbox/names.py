"""Which names a program may write: the static half of the sandbox's rules.

A program's own variables and attributes may start with one underscore
(``self._cache``); what it may not name is Python's machinery. The double
underscore names below are the protocol that classes written in tutorials
define or call (``__init__``, ``super().__init__()``, ``__getitem__``, ...);
every other ``__name__``-shaped name is refused before anything runs, so
chains like ``().__class__.__bases__[0].__subclasses__()`` cannot be written.
"""

# Methods a class may define, and call on ``super()`` or a base class.
PROTOCOL_METHODS = frozenset("""
    __init__ __call__ __repr__ __str__ __len__ __getitem__ __setitem__ __delitem__ __iter__
    __next__ __contains__ __bool__ __eq__ __ne__ __lt__ __le__ __gt__ __ge__ __hash__
    __enter__ __exit__ __add__ __radd__ __iadd__ __sub__ __rsub__ __isub__ __mul__ __rmul__
    __imul__ __truediv__ __rtruediv__ __itruediv__ __floordiv__ __rfloordiv__ __mod__ __rmod__
    __pow__ __rpow__ __matmul__ __rmatmul__ __neg__ __pos__ __abs__ __invert__ __and__ __or__
    __xor__ __rand__ __ror__ __rxor__ __float__ __int__ __index__ __format__ __reversed__
""".split())

# Read-only descriptive attributes (``type(x).__name__``, ``self.__class__.__name__``).
DESCRIPTIVE_ATTRIBUTES = frozenset({"__name__", "__qualname__", "__class__", "__doc__"})

# Names a program may read: ``if __name__ == "__main__":``.
READABLE_DUNDER_NAMES = frozenset({"__name__", "__doc__", "__file__"})


def is_dunder(name):
    return len(name) > 4 and name.startswith("__") and name.endswith("__")


def attribute_name_allowed(name):
    """May ``value.<name>`` be written in a program at all (before knowing the value)?"""
    if not name.startswith("__"):
        return True
    return name in PROTOCOL_METHODS or name in DESCRIPTIVE_ATTRIBUTES


def variable_name_allowed(name, *, defining_in_class=False):
    """May a program read or bind the variable ``name``?"""
    if not name.startswith("__"):
        return True
    if defining_in_class:
        return name in PROTOCOL_METHODS
    return name in READABLE_DUNDER_NAMES
