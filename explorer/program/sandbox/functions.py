"""Functions and classes a program defines, as values the engine can call.

A ``SandboxFunction`` is a callable Python object whose body the sandbox walks:
the engine can take it as a hook, a Module's ``forward`` or a Function's
``backward`` and call it like any function. It binds as a method (it is a
descriptor), so classes built from it behave as Python classes do. It runs
only on the thread, and during the run, that made it: a value kept after the
run (shown in a panel, say) never runs program code on the window's thread.
"""
import inspect
import threading
import types

# A keyword-only parameter without a default.
NO_DEFAULT = object()


class ProgramNotRunning(RuntimeError):
    """A program's function was called outside the program's run."""


class SandboxFunction:
    """A ``def`` or ``lambda`` of the program."""

    def __init__(self, sandbox, node, scope, defaults, kw_defaults, name, qualname):
        self._sandbox = sandbox
        self._node = node
        self._scope = scope
        self._defaults = defaults
        self._kw_defaults = kw_defaults
        self._owner = None  # the class it was defined in, for super()
        self._line_offset = 0  # its text's first line in the program, minus one
        self.__name__ = name
        self.__qualname__ = qualname
        self.__module__ = "__main__"
        self.__doc__ = _docstring(node)

    def __call__(self, *args, **kwargs):
        sandbox = self._sandbox
        if not sandbox.running or threading.get_ident() != sandbox.thread:
            raise ProgramNotRunning(f"{self.__qualname__}() belongs to a program that is not "
                                    "running")
        return sandbox.call_function(self, args, kwargs)

    @property
    def __signature__(self):
        """Its parameters, for callers that inspect them (a custom Function's forward)."""
        return _signature(self._node.args, self._defaults, self._kw_defaults)

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        return types.MethodType(self, instance)

    def __repr__(self):
        return f"<function {self.__qualname__} at {id(self):#x}>"


def _signature(arguments, defaults, kw_defaults):
    kinds = inspect.Parameter
    parameters = []
    positional = arguments.posonlyargs + arguments.args
    first_default = len(positional) - len(defaults)
    for index, argument in enumerate(positional):
        kind = kinds.POSITIONAL_ONLY if index < len(arguments.posonlyargs) \
            else kinds.POSITIONAL_OR_KEYWORD
        default = defaults[index - first_default] if index >= first_default else kinds.empty
        parameters.append(kinds(argument.arg, kind, default=default))
    if arguments.vararg is not None:
        parameters.append(kinds(arguments.vararg.arg, kinds.VAR_POSITIONAL))
    for argument, default in zip(arguments.kwonlyargs, kw_defaults):
        parameters.append(kinds(argument.arg, kinds.KEYWORD_ONLY,
                                default=kinds.empty if default is NO_DEFAULT else default))
    if arguments.kwarg is not None:
        parameters.append(kinds(arguments.kwarg.arg, kinds.VAR_KEYWORD))
    return inspect.Signature(parameters)


def _docstring(node):
    body = getattr(node, "body", None)
    if isinstance(body, list) and body:
        first = body[0]
        value = getattr(first, "value", None)
        if type(first).__name__ == "Expr" and isinstance(getattr(value, "value", None), str):
            return value.value
    return None


def functions_in(namespace):
    """The SandboxFunctions of a class body, unwrapped from static/class methods and properties."""
    for value in namespace.values():
        if isinstance(value, (staticmethod, classmethod)):
            value = value.__func__
        if isinstance(value, property):
            for part in (value.fget, value.fset, value.fdel):
                if isinstance(part, SandboxFunction):
                    yield part
            continue
        if isinstance(value, SandboxFunction):
            yield value
