"""Bindings: where a name's value lives, and assignment to any target.

Names resolve as Python resolves them: a function's locals (``global`` and
``nonlocal`` declarations honoured), the enclosing functions, the program's
variables, then the safe builtins; a class body sees its own names but its
methods do not. ``assign`` binds a name, unpacks (with one starred target),
or writes an attribute or an item through the guarded ``Values`` operations.
"""
import ast

from .safe_stdlib import consume
from .scopes import CLASS, COMPREHENSION, FUNCTION, MODULE


class Bindings:
    """The part of ``Sandbox`` (``interpreter.py``) that loads, stores and assigns names."""

    def load(self, name, scope):
        if scope.kind in (FUNCTION, COMPREHENSION):
            if name in scope.globals_declared:
                return self.load_global(name)
            if name in scope.local_names:
                try:
                    return scope.values[name]
                except KeyError:
                    raise UnboundLocalError(f"cannot access local variable '{name}' where it is "
                                            "not associated with a value") from None
        elif scope.kind == CLASS:
            if name in scope.values:
                return scope.values[name]
        elif scope.kind == MODULE:
            return self.load_global(name)
        outer = scope.parent
        while outer is not None and outer.kind != MODULE:
            if outer.kind in (FUNCTION, COMPREHENSION) and name in outer.local_names:
                try:
                    return outer.values[name]
                except KeyError:
                    raise NameError(f"cannot access free variable '{name}' where it is not "
                                    "associated with a value in enclosing scope") from None
            outer = outer.parent
        return self.load_global(name)

    def load_global(self, name):
        try:
            return self.variables[name]
        except KeyError:
            pass
        try:
            return self.builtins[name]
        except KeyError:
            raise NameError(f"name '{name}' is not defined") from None

    def store(self, name, value, scope):
        if scope.kind == MODULE or name in scope.globals_declared:
            self.variables[name] = value
        elif name in scope.nonlocals_declared:
            self._enclosing_with(name, scope).values[name] = value
        else:
            scope.values[name] = value

    def delete_name(self, name, scope):
        target = self.variables if scope.kind == MODULE or name in scope.globals_declared \
            else scope.values
        if name not in target:
            raise NameError(f"name '{name}' is not defined")
        del target[name]

    def _enclosing_with(self, name, scope):
        outer = scope.parent
        while outer is not None and outer.kind != MODULE:
            if outer.kind == FUNCTION and name in outer.local_names:
                return outer
            outer = outer.parent
        raise SyntaxError(f"no binding for nonlocal '{name}' found")

    def assign(self, target, value, scope):
        kind = type(target)
        if kind is ast.Name:
            self.store(target.id, value, scope)
        elif kind in (ast.Tuple, ast.List):
            self._unpack(target.elts, value, scope)
        elif kind is ast.Attribute:
            self.set_attribute(self.eval(target.value, scope), target.attr, value)
        elif kind is ast.Subscript:
            container = self.eval(target.value, scope)
            self.set_item(container, self.eval(target.slice, scope), value)
        elif kind is ast.Starred:
            raise SyntaxError("starred assignment target must be in a list or tuple")
        else:
            raise SyntaxError(f"cannot assign to {type(target).__name__}")

    def _unpack(self, targets, value, scope):
        items = consume(self.iterate(value) if not isinstance(value, (list, tuple)) else value,
                        self.guard)
        starred = [i for i, t in enumerate(targets) if type(t) is ast.Starred]
        if not starred:
            if len(items) < len(targets):
                raise ValueError(f"not enough values to unpack (expected {len(targets)}, got "
                                 f"{len(items)})")
            if len(items) > len(targets):
                raise ValueError(f"too many values to unpack (expected {len(targets)})")
            for target, item in zip(targets, items):
                self.assign(target, item, scope)
            return
        star = starred[0]
        after = len(targets) - star - 1
        if len(items) < len(targets) - 1:
            raise ValueError(f"not enough values to unpack (expected at least {len(targets) - 1}, "
                             f"got {len(items)})")
        for target, item in zip(targets[:star], items[:star]):
            self.assign(target, item, scope)
        self.assign(targets[star].value, list(items[star:len(items) - after]), scope)
        for target, item in zip(targets[star + 1:], items[len(items) - after:]):
            self.assign(target, item, scope)
