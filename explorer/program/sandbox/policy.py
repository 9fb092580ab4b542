"""What a program may read, write and call at run time, decided by the value.

Every attribute a program reads goes through ``read_attribute``; the rule
depends on what the receiver is:

- the program's own classes and instances: any name but Python's machinery;
- values of the engine (the module the run was given, e.g. ``engine`` or, in
  tests, ``torch``): public names, plus the few underscore names PyTorch
  documents (``_version``, ``_saved_self`` ...);
- plain data (numbers, strings, lists, dicts, ...): public methods, with the
  ones that could allocate without bound or format attributes wrapped;
- numpy arrays: a short list of methods (no file or pointer access);
- anything else (frames, code, generators, modules, cells, ...): nothing.

So no chain of attributes leaves the values a program is meant to hold.
"""
import builtins
import numbers
import types
import weakref

import numpy as np

from .names import DESCRIPTIVE_ATTRIBUTES, PROTOCOL_METHODS, is_dunder

# Classes the program defined (``class Net(nn.Module): ...``).
USER_CLASSES = weakref.WeakSet()

PLAIN_DATA = (bool, int, float, complex, str, bytes, list, tuple, dict, set, frozenset, range,
              slice, type(None), type(Ellipsis))

# Builtin classes a program calls as functions: decorators and two-argument super().
DECORATOR_CLASSES = frozenset({staticmethod, classmethod, property, super})

# Underscore names PyTorch documents on its objects.
ENGINE_UNDERSCORE = frozenset({"_version"})
ENGINE_UNDERSCORE_PREFIXES = ("_saved_", "_raw_saved_")

# Public methods of plain data that reach outside the value or could block.
DATA_REFUSED = frozenset({"with_traceback", "fromhex"})

NDARRAY_ATTRIBUTES = frozenset("""
    shape dtype ndim size T reshape astype sum mean max min argmax argmin std var tolist item
    copy flatten ravel transpose dot clip round cumsum prod all any squeeze nbytes itemsize
    real imag conj
""".split())

_BUILTIN_EXCEPTIONS = frozenset(
    value for value in vars(builtins).values()
    if isinstance(value, type) and issubclass(value, BaseException))


class Policy:
    """The rules for one run: ``roots`` are the module names whose values are the engine's."""

    def __init__(self, roots, writable_types=()):
        self.roots = tuple(roots)
        # Engine classes whose instances a program makes for itself and may
        # decorate with attributes: tensors, modules, optimisers, a Function's ctx.
        self.writable_types = tuple(writable_types)

    # ------------------------------------------------------------ kinds
    def is_user_class(self, value):
        return isinstance(value, type) and value in USER_CLASSES

    def is_user_instance(self, value):
        return type(value) in USER_CLASSES

    def defined_by_engine(self, value):
        module = getattr(value, "__module__", None) if isinstance(value, (type, types.FunctionType,
                                                                           types.BuiltinFunctionType)) \
            else type(value).__module__
        if not isinstance(module, str):
            return False
        return any(module == root or module.startswith(root + ".") for root in self.roots)

    def is_engine_value(self, value):
        """An object of the engine (a Tensor, a node, a Module, an optimiser, a dtype...)."""
        return self.defined_by_engine(value) and not isinstance(value, types.ModuleType)

    # ------------------------------------------------------------- reads
    def may_read(self, value, name):
        """May a program read ``value.<name>``? (The attribute may still not exist.)"""
        if name in DESCRIPTIVE_ATTRIBUTES:
            return True
        if is_dunder(name):
            # Protocol methods: on the program's own objects, on super() and on classes
            # (``nn.Module.__init__(self)``), never on arbitrary values.
            if name not in PROTOCOL_METHODS:
                return False
            if type(value) is super or self.is_user_instance(value):
                return True
            # ``nn.Module.__init__(self)``; never ``SomeClass.__call__``, which would
            # instantiate a class without the checks a call makes.
            return name != "__call__" and (self.is_user_class(value) or self.is_engine_class(value))
        kind = type(value)
        if kind in USER_CLASSES or self.is_user_class(value):
            return True
        if kind is super:
            return not name.startswith("_")
        if name.startswith("_"):
            if self.is_engine_value(value) or self.is_engine_class(value):
                return name in ENGINE_UNDERSCORE or name.startswith(ENGINE_UNDERSCORE_PREFIXES)
            return False
        if self.is_engine_value(value) or self.is_engine_class(value):
            return True
        if isinstance(value, np.ndarray):
            return name in NDARRAY_ATTRIBUTES
        if isinstance(value, (np.generic, np.dtype)):
            return name in NDARRAY_ATTRIBUTES or name in ("kind", "name", "type")
        if isinstance(value, PLAIN_DATA) or isinstance(value, numbers.Number):
            return name not in DATA_REFUSED
        if isinstance(value, BaseException):
            return name == "args"
        if isinstance(value, type) and (value in PLAIN_DATA or issubclass(value, BaseException)):
            return name not in DATA_REFUSED and name != "mro"
        if isinstance(value, (dict, list, tuple)):  # OrderedDict, namedtuples, ...
            return name not in DATA_REFUSED
        return False

    def is_engine_class(self, value):
        return isinstance(value, type) and self.defined_by_engine(value)

    # ------------------------------------------------------------ writes
    def may_write(self, value, name):
        """May a program set ``value.<name> = ...``?"""
        if is_dunder(name):
            return False
        if self.is_user_instance(value) or self.is_user_class(value):
            return True
        if name.startswith("_"):
            return False
        # Engine instances the program made (tensors, modules, optimisers, a
        # Function's ctx) take attributes; engine classes and shared singletons
        # (dtypes, devices, modules) do not, so one run cannot change the next.
        if isinstance(value, type) or isinstance(value, types.ModuleType):
            return False
        return isinstance(value, self.writable_types)

    # ------------------------------------------------------------- calls
    def may_call_class(self, cls):
        """May a program call (instantiate) the class ``cls``?"""
        if cls in USER_CLASSES or self.is_engine_class(cls):
            return True
        if cls in PLAIN_DATA or cls is object or cls in DECORATOR_CLASSES:
            return True
        return issubclass(cls, BaseException) and cls in _BUILTIN_EXCEPTIONS

    def may_subclass(self, base):
        return (base in USER_CLASSES or self.is_engine_class(base) or base is object
                or (isinstance(base, type) and issubclass(base, Exception)
                    and base in _BUILTIN_EXCEPTIONS))
