"""Calls: calling a value for the program, and running the program's own functions.

``call`` is the one door for every call a program makes (and for the calls
the builtins and modules make for it): the policy decides whether the value
may be called, the size checks estimate an engine op's result before it is
made, and the result is size-checked. ``call_function`` runs a
``SandboxFunction``'s body: arguments bound as Python binds them, recursion
bounded, the call labelled for the graph's groups and the timeline's stack.
"""
import ast

from ..sizecheck import estimate_elements, estimates
from .functions import NO_DEFAULT, SandboxFunction
from .modules import SafeModule
from .safe_stdlib import bounded_length
from .scopes import CLASS, FUNCTION, MODULE, Scope, function_info
from .statements import _Return
from .values import GeneratorValue

MAX_CALL_DEPTH = 150


class Calls:
    """The part of ``Sandbox`` (``interpreter.py``) that calls values and runs functions."""

    def _e_call(self, node, scope):
        function = self.eval(node.func, scope)
        args = self._elements(node.args, scope) if node.args else ()
        kwargs = {}
        for keyword in node.keywords:
            if keyword.arg is None:
                mapping = self.eval(keyword.value, scope)
                bounded_length(mapping, self.guard)
                for key in mapping:
                    if not isinstance(key, str):
                        raise TypeError("keywords must be strings")
                    if key in kwargs:
                        raise TypeError(f"got multiple values for keyword argument '{key}'")
                    kwargs[key] = mapping[key]
            else:
                if keyword.arg in kwargs:
                    raise TypeError(f"got multiple values for keyword argument '{keyword.arg}'")
                kwargs[keyword.arg] = self.eval(keyword.value, scope)
        if function is self.builtins.get("super") and not args:
            return self._zero_argument_super(scope)
        return self.call(function, args, kwargs)

    def call(self, function, args, kwargs):
        """Call ``function`` for the program, within the policy and the limits."""
        self.guard.tick()
        if isinstance(function, type):
            if not self.policy.may_call_class(function) or issubclass(function, type):
                raise TypeError(f"'{function.__name__}' cannot be called in a program")
        elif type(function) is SafeModule:
            raise TypeError("'module' object is not callable")
        elif not callable(function):
            raise TypeError(f"'{type(function).__name__}' object is not callable")
        self._precheck_call(function, args, kwargs)
        return self.check_value(function(*args, **kwargs))

    def module_label(self, module):
        """How the program names a Module: "model", "model.fc1" (else its class name)."""
        for name, value in list(self.variables.items()):
            if value is module:
                return name
            if isinstance(value, self._module_type):
                try:
                    for path, child in value.named_modules():
                        if child is module:
                            return f"{name}.{path}" if path else name
                except Exception:  # a program's Module may be half-built; the label is a nicety
                    continue
        return type(module).__name__

    def _precheck_call(self, function, args, kwargs):
        name = getattr(function, "__name__", None)
        if not isinstance(name, str):
            return
        receiver = getattr(function, "__self__", None)
        if self.is_tensor(receiver):
            if name == "tolist":  # a Python list of every element
                self.guard.check_length(receiver.numel())
            self._precheck_op(name, receiver, args, kwargs)
        elif self.policy.defined_by_engine(function) or self.is_tensor(args[0] if args else None):
            self._precheck_op(name, None, args, kwargs)

    def _precheck_op(self, name, receiver, args, kwargs):
        if not estimates(name):
            return
        try:
            estimate = estimate_elements(name, receiver, tuple(args), kwargs, self.shape_of,
                                         cap=self.guard.limits.max_elements)
        except (TypeError, ValueError, IndexError, OverflowError):
            estimate = None  # the op itself will give PyTorch's error
        if estimate is not None:
            self.guard.check_elements(estimate, f"the result of {name}")

    def call_function(self, function, args, kwargs):
        """Run a SandboxFunction's body with ``args`` bound (called by SandboxFunction)."""
        node = function._node
        info = function_info(node)
        self.depth += 1
        if self.depth > MAX_CALL_DEPTH:
            self.depth -= 1
            raise RecursionError("maximum recursion depth exceeded")
        self.guard.tick()
        values = self._bind_arguments(function, info, node.args, args, kwargs)
        scope = Scope(FUNCTION, values, parent=function._scope, local_names=info.local_names,
                      globals_declared=info.globals_declared,
                      nonlocals_declared=info.nonlocals_declared)
        scope.function = function
        self.call_stack.append(function.__qualname__)
        # A Module's forward is labelled by the Module itself (the runner pushes its label
        # when the engine says the Module's call began).
        labelled = not (function.__name__ == "forward" and args and self._module_type is not None
                        and isinstance(args[0], self._module_type))
        if labelled:
            self.scope_stack.append(f"{function.__qualname__}()")
        try:
            if isinstance(node, ast.Lambda):
                return self.eval(node.body, scope)
            if info.is_generator:
                scope.yields = []
                try:
                    self.exec_block(node.body, scope)
                except _Return:
                    pass
                return GeneratorValue(scope.yields, function.__qualname__)
            try:
                self.exec_block(node.body, scope)
            except _Return as result:
                return result.value
            return None
        finally:
            if labelled:
                self.scope_stack.pop()
            self.call_stack.pop()
            self.depth -= 1

    def _bind_arguments(self, function, info, arguments, args, kwargs):
        name = function.__name__
        positional = arguments.posonlyargs + arguments.args
        values = {}
        if len(args) > len(positional) and arguments.vararg is None:
            given = len(args)
            expected = len(positional)
            word = "argument" if expected == 1 else "arguments"
            raise TypeError(f"{name}() takes {expected} positional {word} but {given} "
                            f"{'was' if given == 1 else 'were'} given")
        for parameter, value in zip(positional, args):
            values[parameter.arg] = value
        if arguments.vararg is not None:
            values[arguments.vararg.arg] = tuple(args[len(positional):])
        extra = {}
        posonly = {a.arg for a in arguments.posonlyargs}
        known = {a.arg for a in positional + arguments.kwonlyargs} - posonly
        for key, value in kwargs.items():
            if key in known:
                if key in values:
                    raise TypeError(f"{name}() got multiple values for argument '{key}'")
                values[key] = value
            elif arguments.kwarg is not None:
                extra[key] = value
            else:
                raise TypeError(f"{name}() got an unexpected keyword argument '{key}'")
        defaults = function._defaults
        first_default = len(positional) - len(defaults)
        missing = []
        for position, parameter in enumerate(positional):
            if parameter.arg not in values:
                if position >= first_default:
                    values[parameter.arg] = defaults[position - first_default]
                else:
                    missing.append(parameter.arg)
        if missing:
            names = " and ".join(f"'{m}'" for m in missing) if len(missing) <= 2 else \
                ", ".join(f"'{m}'" for m in missing[:-1]) + f", and '{missing[-1]}'"
            word = "argument" if len(missing) == 1 else "arguments"
            raise TypeError(f"{name}() missing {len(missing)} required positional {word}: "
                            f"{names}")
        for parameter, default in zip(arguments.kwonlyargs, function._kw_defaults):
            if parameter.arg not in values:
                if default is NO_DEFAULT:
                    raise TypeError(f"{name}() missing 1 required keyword-only argument: "
                                    f"'{parameter.arg}'")
                values[parameter.arg] = default
        if arguments.kwarg is not None:
            values[arguments.kwarg.arg] = extra
        return values

    def make_function(self, node, scope):
        defaults = tuple(self.eval(d, scope) for d in node.args.defaults)
        kw_defaults = tuple(NO_DEFAULT if d is None else self.eval(d, scope)
                            for d in node.args.kw_defaults)
        name = "<lambda>" if isinstance(node, ast.Lambda) else node.name
        defining = scope
        while defining.kind == CLASS:  # methods do not see the class body's names
            defining = defining.parent
        function = SandboxFunction(self, node, defining, defaults, kw_defaults, name,
                                   self._qualname(name, scope))
        function._line_offset = self.line_offset
        return function

    def _qualname(self, name, scope):
        if scope.kind == CLASS:
            return f"{scope.values.get('__qualname__', '')}.{name}"
        if scope.kind == FUNCTION and self.call_stack:
            return f"{self.call_stack[-1]}.<locals>.{name}"
        return name

    def _zero_argument_super(self, scope):
        """``super()`` in a method: the class it was defined in, and its first argument."""
        while scope is not None and scope.kind != MODULE:
            function = scope.function
            if scope.kind == FUNCTION and function is not None and function._owner is not None:
                parameters = function_info(function._node).parameters
                if not parameters or parameters[0] not in scope.values:
                    break
                return super(function._owner, scope.values[parameters[0]])
            scope = scope.parent
        raise RuntimeError("super(): no arguments")
