"""Statements: how the sandbox runs each kind of statement.

``exec_statement`` ticks the guard, picks the statement's handler (``_s_*``)
from the table ``statement_handlers`` builds, and reports a step inside a
function to the runner's listener. ``return``, ``break`` and ``continue``
travel as the exceptions below, which a program's ``except`` never catches.
"""
import ast
import types

from ..errors import LimitExceeded, RunCancelled
from . import formatting
from .functions import functions_in
from .modules import module_attribute
from .policy import USER_CLASSES
from .scopes import CLASS, MODULE, Scope


class _Return(BaseException):
    def __init__(self, value):
        self.value = value


class _Break(BaseException):
    pass


class _Continue(BaseException):
    pass


# Never caught by a program's ``except``: the sandbox's own signals.
UNCATCHABLE = (_Return, _Break, _Continue, LimitExceeded, RunCancelled)


class Statements:
    """The part of ``Sandbox`` (``interpreter.py``) that runs statements."""

    def statement_handlers(self):
        """Each statement type's handler, bound to this sandbox (``exec_statement``'s table)."""
        return {
            ast.Expr: self._s_expr, ast.Assign: self._s_assign, ast.AugAssign: self._s_augassign,
            ast.AnnAssign: self._s_annassign, ast.If: self._s_if, ast.For: self._s_for,
            ast.While: self._s_while, ast.With: self._s_with, ast.FunctionDef: self._s_def,
            ast.ClassDef: self._s_class, ast.Return: self._s_return, ast.Pass: _nothing,
            ast.Break: self._s_break, ast.Continue: self._s_continue, ast.Try: self._s_try,
            ast.Raise: self._s_raise, ast.Assert: self._s_assert, ast.Delete: self._s_delete,
            ast.Import: self._s_import, ast.ImportFrom: self._s_importfrom,
            ast.Global: _nothing, ast.Nonlocal: _nothing,
        }

    def exec_block(self, statements, scope):
        for statement in statements:
            self.exec_statement(statement, scope)

    def exec_statement(self, node, scope):
        self.guard.tick()
        handler = self._statement.get(type(node))
        if handler is None:
            raise SyntaxError(f"{type(node).__name__} statements are not supported")
        if self.statement_listener is None or scope.kind == MODULE or scope.function is None \
                or type(node) in _COMPOUND:
            handler(node, scope)
            return
        try:
            handler(node, scope)
        except _Return:
            self.statement_listener(node, scope)  # ``return f(x)`` is a step of its own
            raise
        self.statement_listener(node, scope)

    def _s_expr(self, node, scope):
        self.eval(node.value, scope)

    def _s_assign(self, node, scope):
        value = self.eval(node.value, scope)
        for target in node.targets:
            self.assign(target, value, scope)

    def _s_annassign(self, node, scope):
        if node.value is not None:
            self.assign(node.target, self.eval(node.value, scope), scope)

    def _s_augassign(self, node, scope):
        target = node.target
        kind = type(target)
        if kind is ast.Name:
            current = self.load(target.id, scope)
            value = self.eval(node.value, scope)
            self.store(target.id, self.binary(node.op, current, value, True), scope)
        elif kind is ast.Attribute:
            owner = self.eval(target.value, scope)
            current = self.get_attribute(owner, target.attr)
            value = self.eval(node.value, scope)
            self.set_attribute(owner, target.attr, self.binary(node.op, current, value, True))
        elif kind is ast.Subscript:
            container = self.eval(target.value, scope)
            index = self.eval(target.slice, scope)
            current = self.get_item(container, index)
            value = self.eval(node.value, scope)
            self.set_item(container, index, self.binary(node.op, current, value, True))
        else:
            raise SyntaxError("illegal expression for augmented assignment")

    def _s_if(self, node, scope):
        if self.truth(self.eval(node.test, scope)):
            self.exec_block(node.body, scope)
        else:
            self.exec_block(node.orelse, scope)

    def _s_for(self, node, scope):
        iterable = self.eval(node.iter, scope)

        def next_round():
            try:
                item = next(iterator)
            except StopIteration:
                return False
            self.assign(node.target, item, scope)
            return True
        iterator = self.iterate(iterable)
        self._loop(node, scope, next_round)

    def _s_while(self, node, scope):
        self._loop(node, scope, lambda: self.truth(self.eval(node.test, scope)))

    def _loop(self, node, scope, next_round):
        """Run ``node.body`` while ``next_round()`` says so; ``else`` runs unless broken."""
        counters = self.loop_counters
        counters.append(0)
        try:
            while next_round():
                self.guard.count_iteration()
                try:
                    self.exec_block(node.body, scope)
                except _Break:
                    return
                except _Continue:
                    pass
                counters[-1] += 1
        finally:
            counters.pop()
        self.exec_block(node.orelse, scope)

    def _s_with(self, node, scope):
        self._with_items(node.items, 0, node.body, scope)

    def _with_items(self, items, index, body, scope):
        if index == len(items):
            self.exec_block(body, scope)
            return
        item = items[index]
        manager = self.eval(item.context_expr, scope)
        enter = self._protocol(manager, "__enter__")
        exit_ = self._protocol(manager, "__exit__")
        value = enter()
        if item.optional_vars is not None:
            self.assign(item.optional_vars, value, scope)
        try:
            self._with_items(items, index + 1, body, scope)
        except UNCATCHABLE:
            exit_(None, None, None)
            raise
        except Exception as exc:
            if not exit_(type(exc), exc, None):
                raise
        else:
            exit_(None, None, None)

    def _protocol(self, value, name):
        method = getattr(type(value), name, None)
        if method is None:
            raise TypeError(f"'{type(value).__name__}' object does not support the context "
                            "manager protocol")
        return types.MethodType(method, value) if not isinstance(method, staticmethod) else method

    def _s_def(self, node, scope):
        function = self.make_function(node, scope)
        for decorator in reversed(node.decorator_list):
            function = self.call(self.eval(decorator, scope), (function,), {})
        self.store(node.name, function, scope)

    def _s_class(self, node, scope):
        bases = tuple(self.eval(base, scope) for base in node.bases)
        for base in bases:
            if not isinstance(base, type) or not self.policy.may_subclass(base):
                name = getattr(base, "__name__", type(base).__name__)
                raise TypeError(f"a program's class cannot derive from '{name}'")
        namespace = {"__module__": "__main__", "__qualname__": self._qualname(node.name, scope)}
        body_scope = Scope(CLASS, namespace, parent=scope)
        self.exec_block(node.body, body_scope)
        metaclass, prepared, _ = types.prepare_class(node.name, bases)
        prepared.update(namespace)
        cls = metaclass(node.name, bases, prepared)
        USER_CLASSES.add(cls)
        for function in functions_in(namespace):
            function._owner = cls
        for decorator in reversed(node.decorator_list):
            cls = self.call(self.eval(decorator, scope), (cls,), {})
        self.store(node.name, cls, scope)

    def _s_return(self, node, scope):
        raise _Return(None if node.value is None else self.eval(node.value, scope))

    def _s_break(self, node, scope):
        raise _Break()

    def _s_continue(self, node, scope):
        raise _Continue()

    def _s_try(self, node, scope):
        try:
            try:
                self.exec_block(node.body, scope)
            except UNCATCHABLE:
                raise
            except Exception as exc:
                handler = self._matching_handler(node.handlers, exc, scope)
                if handler is None:
                    raise
                self.handling.append(exc)
                try:
                    if handler.name:
                        self.store(handler.name, exc, scope)
                    try:
                        self.exec_block(handler.body, scope)
                    finally:
                        if handler.name:
                            scope.values.pop(handler.name, None)
                finally:
                    self.handling.pop()
            else:
                self.exec_block(node.orelse, scope)
        finally:
            if node.finalbody:
                self.exec_block(node.finalbody, scope)

    def _matching_handler(self, handlers, exc, scope):
        for handler in handlers:
            if handler.type is None:
                return handler
            wanted = self.eval(handler.type, scope)
            classes = wanted if isinstance(wanted, tuple) else (wanted,)
            for cls in classes:
                if not (isinstance(cls, type) and issubclass(cls, BaseException)):
                    raise TypeError("catching classes that do not inherit from BaseException is "
                                    "not allowed")
            if isinstance(exc, classes):
                return handler
        return None

    def _s_raise(self, node, scope):
        if node.exc is None:
            if not self.handling:
                raise RuntimeError("No active exception to reraise")
            raise self.handling[-1]
        exc = self.eval(node.exc, scope)
        if isinstance(exc, type):
            if not issubclass(exc, BaseException):
                raise TypeError("exceptions must derive from BaseException")
            exc = self.call(exc, (), {})
        if not isinstance(exc, BaseException):
            raise TypeError("exceptions must derive from BaseException")
        if not isinstance(exc, Exception) or isinstance(exc, UNCATCHABLE):
            raise TypeError(f"a program cannot raise {type(exc).__name__}")
        if self.policy.is_user_instance(exc):
            # Its text is shown when the step stops: a __str__ of the program that fails
            # or returns no text fails here, on the program's step, within the limits.
            formatting.safe_str(exc, self.guard)
        cause = None
        if node.cause is not None:
            cause = self.eval(node.cause, scope)
            if isinstance(cause, type):
                cause = self.call(cause, (), {})
        if node.cause is not None:
            raise exc from cause
        raise exc

    def _s_assert(self, node, scope):
        if not self.truth(self.eval(node.test, scope)):
            if node.msg is None:
                raise AssertionError()
            raise AssertionError(self.eval(node.msg, scope))

    def _s_delete(self, node, scope):
        for target in node.targets:
            kind = type(target)
            if kind is ast.Name:
                self.delete_name(target.id, scope)
            elif kind is ast.Attribute:
                owner = self.eval(target.value, scope)
                if not self.policy.may_write(owner, target.attr):
                    raise AttributeError(f"cannot delete attribute '{target.attr}' of "
                                         f"'{type(owner).__name__}'")
                delattr(owner, target.attr)
            elif kind is ast.Subscript:
                container = self.eval(target.value, scope)
                index = self.eval(target.slice, scope)
                self._check_container(container, "item deletion")
                del container[index]
            elif kind in (ast.Tuple, ast.List):
                self._s_delete(ast.Delete(targets=target.elts), scope)
            else:
                raise SyntaxError("cannot delete expression")

    def _s_import(self, node, scope):
        for alias in node.names:
            module = self.modules.importable(alias.name)
            if module is None:
                raise ModuleNotFoundError(_unavailable(alias.name))
            if alias.asname:
                self.store(alias.asname, module, scope)
            else:
                top = alias.name.split(".")[0]
                self.store(top, self.modules.importable(top), scope)

    def _s_importfrom(self, node, scope):
        if node.module == "__future__":
            return
        if node.level or node.module is None:
            raise ImportError("relative imports are not available")
        module = self.modules.importable(node.module)
        if module is None:
            raise ModuleNotFoundError(_unavailable(node.module))
        for alias in node.names:
            if alias.name == "*":
                raise ImportError(f"'from {node.module} import *' is not supported; import the "
                                  "names you use")
            sub = self.modules.importable(f"{node.module}.{alias.name}")
            if sub is not None:
                value = sub
            else:
                try:
                    value = module_attribute(module, alias.name)
                except AttributeError:
                    raise ImportError(f"cannot import name '{alias.name}' from "
                                      f"'{node.module}'") from None
            self.store(alias.asname or alias.name, value, scope)


# Statements whose inner statements report for themselves.
_COMPOUND = (ast.If, ast.For, ast.While, ast.With, ast.Try, ast.FunctionDef, ast.ClassDef)


def _nothing(node, scope):
    return None


def _unavailable(name):
    return (f"No module named '{name}' here: a program may import torch and its submodules, "
            "math, random, numpy, collections, functools, itertools, copy and time")
