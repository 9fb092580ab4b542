"""The sandbox: walks Python syntax trees with the run's guard and policy.

User text is parsed with ``ast.parse`` and walked here, node by node; it never
reaches ``eval``, ``exec`` or ``compile``. Every name resolves in the
program's own scopes, the safe builtins (``safe_builtins.py``) or the modules
of ``modules.py``; every attribute, call and subscript goes through the
policy (``policy.py``) and the guard (time, cancel, iteration, element, size
and integer limits, checked before the work where the work could be large).

Functions are ``SandboxFunction`` values and classes are real Python classes
made of them, so the engine calls a program's hooks, ``forward`` methods and
custom Functions like any others. Generator functions run eagerly: their
yields are collected (within the limits) and handed out as an iterator.
"""
import ast
import operator
import threading
import types

from ..errors import LimitExceeded, RunCancelled
from ..sizecheck import estimate_elements, estimate_index_elements, estimates
from . import formatting, safe_builtins
from .functions import NO_DEFAULT, SandboxFunction, functions_in
from .modules import ModuleTable, SafeModule, module_attribute
from .names import attribute_name_allowed
from .policy import USER_CLASSES, Policy
from .safe_stdlib import CountedIterator, bounded_length, consume, refuse_objects
from .scopes import CLASS, COMPREHENSION, FUNCTION, MODULE, Scope, comprehension_targets, function_info
from .validate import validate_tree

MAX_CALL_DEPTH = 150

BINARY = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
    ast.Div: operator.truediv, ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod,
    ast.Pow: operator.pow, ast.MatMult: operator.matmul, ast.BitAnd: operator.and_,
    ast.BitOr: operator.or_, ast.BitXor: operator.xor, ast.LShift: operator.lshift,
    ast.RShift: operator.rshift,
}
INPLACE = {
    ast.Add: operator.iadd, ast.Sub: operator.isub, ast.Mult: operator.imul,
    ast.Div: operator.itruediv, ast.FloorDiv: operator.ifloordiv, ast.Mod: operator.imod,
    ast.Pow: operator.ipow, ast.MatMult: operator.imatmul, ast.BitAnd: operator.iand,
    ast.BitOr: operator.ior, ast.BitXor: operator.ixor, ast.LShift: operator.ilshift,
    ast.RShift: operator.irshift,
}
SYMBOLS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//",
           ast.Mod: "%", ast.Pow: "**", ast.MatMult: "@", ast.BitAnd: "&", ast.BitOr: "|",
           ast.BitXor: "^", ast.LShift: "<<", ast.RShift: ">>"}
UNARY = {ast.USub: operator.neg, ast.UAdd: operator.pos, ast.Not: operator.not_,
         ast.Invert: operator.invert}
COMPARE = {
    ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt, ast.LtE: operator.le,
    ast.Gt: operator.gt, ast.GtE: operator.ge, ast.Is: operator.is_, ast.IsNot: operator.is_not,
    ast.In: lambda a, b: a in b, ast.NotIn: lambda a, b: a not in b,
}


class _Return(BaseException):
    def __init__(self, value):
        self.value = value


class _Break(BaseException):
    pass


class _Continue(BaseException):
    pass


# Never caught by a program's ``except``: the sandbox's own signals.
UNCATCHABLE = (_Return, _Break, _Continue, LimitExceeded, RunCancelled)


class Sandbox:
    """Runs syntax trees for one program run, with ``torch`` being ``torch_module``."""

    def __init__(self, torch_module, guard, write=None, variables=None):
        self.torch = torch_module
        self.guard = guard
        self.write = write or (lambda text: None)
        self.variables = {} if variables is None else variables
        self.policy = Policy(_roots(torch_module), _writable_types(torch_module))
        self.modules = ModuleTable(torch_module, self.policy, guard, call=self.call)
        self.builtins = safe_builtins.make_builtins(self)
        self.tensor_type = torch_module.Tensor
        self.module_scope = Scope(MODULE, self.variables)
        self.depth = 0
        self.call_stack = []          # qualified names of the program's functions now running
        # Labels of the calls now running, functions and Modules alike ("model", "model.fc1",
        # "square()"): the graph groups the nodes each call made, frames know where they are.
        self.scope_stack = []
        self.line_offset = 0          # the first line of the text being run, in the program
        self.loop_counters = []       # iterations of the loops now running in the text
        self._module_type = _module_type(torch_module)
        self.handling = []            # exceptions whose handler is running (for bare ``raise``)
        self.printed_chars = 0
        self.thread = threading.get_ident()
        self.running = True
        # Called after each statement that ran inside a function: (node, scope, function).
        self.statement_listener = None
        self._expression_cache = {}
        self._statement = {
            ast.Expr: self._s_expr, ast.Assign: self._s_assign, ast.AugAssign: self._s_augassign,
            ast.AnnAssign: self._s_annassign, ast.If: self._s_if, ast.For: self._s_for,
            ast.While: self._s_while, ast.With: self._s_with, ast.FunctionDef: self._s_def,
            ast.ClassDef: self._s_class, ast.Return: self._s_return, ast.Pass: _nothing,
            ast.Break: self._s_break, ast.Continue: self._s_continue, ast.Try: self._s_try,
            ast.Raise: self._s_raise, ast.Assert: self._s_assert, ast.Delete: self._s_delete,
            ast.Import: self._s_import, ast.ImportFrom: self._s_importfrom,
            ast.Global: _nothing, ast.Nonlocal: _nothing,
        }
        self._expression = {
            ast.Constant: self._e_constant, ast.Name: self._e_name, ast.Attribute: self._e_attribute,
            ast.Call: self._e_call, ast.BinOp: self._e_binop, ast.UnaryOp: self._e_unary,
            ast.Compare: self._e_compare, ast.BoolOp: self._e_boolop, ast.IfExp: self._e_ifexp,
            ast.Subscript: self._e_subscript, ast.Slice: self._e_slice, ast.Tuple: self._e_tuple,
            ast.List: self._e_list, ast.Set: self._e_set, ast.Dict: self._e_dict,
            ast.Lambda: self._e_lambda, ast.ListComp: self._e_listcomp,
            ast.SetComp: self._e_setcomp, ast.DictComp: self._e_dictcomp,
            ast.GeneratorExp: self._e_genexp, ast.JoinedStr: self._e_joinedstr,
            ast.FormattedValue: self._e_formatted, ast.NamedExpr: self._e_namedexpr,
            ast.Yield: self._e_yield, ast.YieldFrom: self._e_yieldfrom,
            ast.Starred: self._e_starred_alone,
        }

    # ============================================================ entry points
    def run_statements(self, statements):
        """Run module-level statements (already validated) in the program's scope."""
        self.exec_block(statements, self.module_scope)

    def run_source(self, source):
        tree = ast.parse(source, mode="exec")
        validate_tree(tree)
        self.run_statements(tree.body)

    def evaluate_tree(self, node):
        """The value of an expression tree in the program's scope."""
        return self.eval(node, self.module_scope)

    def finish(self):
        """The run is over: the program's functions no longer run (see SandboxFunction)."""
        self.running = False

    # ============================================================= statements
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

    def _qualname(self, name, scope):
        if scope.kind == CLASS:
            return f"{scope.values.get('__qualname__', '')}.{name}"
        if scope.kind == FUNCTION and self.call_stack:
            return f"{self.call_stack[-1]}.<locals>.{name}"
        return name

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

    # ================================================================ names
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

    # ============================================================ assignment
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

    # ============================================================ expressions
    def eval(self, node, scope):
        handler = self._expression.get(type(node))
        if handler is None:
            raise SyntaxError(f"{type(node).__name__} expressions are not supported")
        return handler(node, scope)

    def _e_constant(self, node, scope):
        return node.value

    def _e_name(self, node, scope):
        return self.load(node.id, scope)

    def _e_attribute(self, node, scope):
        return self.get_attribute(self.eval(node.value, scope), node.attr)

    def _e_subscript(self, node, scope):
        container = self.eval(node.value, scope)
        return self.get_item(container, self.eval(node.slice, scope))

    def _e_slice(self, node, scope):
        return slice(*(None if part is None else self.eval(part, scope)
                       for part in (node.lower, node.upper, node.step)))

    # Displays are checked like results: ``[a, a, a]`` can hold far more than it shows.
    def _e_tuple(self, node, scope):
        return self.check_value(tuple(self._elements(node.elts, scope)))

    def _e_list(self, node, scope):
        return self.check_value(self._elements(node.elts, scope))

    def _e_set(self, node, scope):
        return self.check_value(set(self._elements(node.elts, scope)))

    def _elements(self, nodes, scope):
        values = []
        for element in nodes:
            if type(element) is ast.Starred:
                values.extend(consume(self.iterate(self.eval(element.value, scope)), self.guard))
                self.guard.check_length(len(values))
            else:
                values.append(self.eval(element, scope))
        return values

    def _e_dict(self, node, scope):
        result = {}
        for key, value in zip(node.keys, node.values):
            if key is None:
                mapping = self.eval(value, scope)
                bounded_length(mapping, self.guard)
                result.update(mapping)
            else:
                result[self.eval(key, scope)] = self.eval(value, scope)
        return self.check_value(result)

    def _e_starred_alone(self, node, scope):
        raise SyntaxError("can't use starred expression here")

    def _e_binop(self, node, scope):
        left = self.eval(node.left, scope)
        right = self.eval(node.right, scope)
        return self.binary(node.op, left, right)

    def _e_unary(self, node, scope):
        operand = self.eval(node.operand, scope)
        if type(node.op) is ast.Not:
            return not self.truth(operand)
        return self.check_value(UNARY[type(node.op)](operand))

    def _e_compare(self, node, scope):
        left = self.eval(node.left, scope)
        result = True
        last = len(node.ops) - 1
        for position, (op, comparator) in enumerate(zip(node.ops, node.comparators)):
            right = self.eval(comparator, scope)
            self._precheck_compare(op, left, right)
            result = COMPARE[type(op)](left, right)
            if position < last and not self.truth(result):
                return result
            left = right
        return self.check_value(result)

    def _precheck_compare(self, op, left, right):
        formatting.check_comparison(left, right, type(op) in (ast.In, ast.NotIn), self.guard)
        if type(op) in (ast.In, ast.NotIn):
            if isinstance(right, range) and type(left) not in (int, bool):
                bounded_length(right, self.guard)
            elif not isinstance(right, (str, bytes, dict, set, frozenset)):
                bounded_length(right, self.guard)
        elif self.is_tensor(left) or self.is_tensor(right):
            self._precheck_tensors("==", (left, right))

    def _e_boolop(self, node, scope):
        want = type(node.op) is ast.Or
        value = None
        for operand in node.values:
            value = self.eval(operand, scope)
            if self.truth(value) == want:
                return value
        return value

    def _e_ifexp(self, node, scope):
        if self.truth(self.eval(node.test, scope)):
            return self.eval(node.body, scope)
        return self.eval(node.orelse, scope)

    def _e_namedexpr(self, node, scope):
        value = self.eval(node.value, scope)
        self.store(node.target.id, value, scope.function_scope())
        return value

    def _e_lambda(self, node, scope):
        return self.make_function(node, scope)

    def _e_joinedstr(self, node, scope):
        pieces = []
        for part in node.values:
            pieces.append(part.value if type(part) is ast.Constant else self.eval(part, scope))
            self.guard.check_length(sum(len(p) for p in pieces))
        return "".join(pieces)

    def _e_formatted(self, node, scope):
        value = self.eval(node.value, scope)
        if node.conversion == ord("r"):
            value = formatting.safe_repr(value, self.guard)
        elif node.conversion == ord("s"):
            value = formatting.safe_str(value, self.guard)
        elif node.conversion == ord("a"):
            formatting.safe_repr(value, self.guard)  # sized like repr
            value = ascii(value)
        spec = "" if node.format_spec is None else self.eval(node.format_spec, scope)
        return formatting.safe_format(value, spec, self.guard)

    def _e_yield(self, node, scope):
        collector = self._yields(scope)
        collector.append(None if node.value is None else self.eval(node.value, scope))
        self.guard.count_iteration()
        self.guard.check_length(len(collector))
        return None

    def _e_yieldfrom(self, node, scope):
        collector = self._yields(scope)
        collector.extend(consume(self.iterate(self.eval(node.value, scope)), self.guard))
        self.guard.check_length(len(collector))
        return None

    def _yields(self, scope):
        scope = scope.function_scope()
        if scope.yields is None:
            raise SyntaxError("'yield' outside function")
        return scope.yields

    # --------------------------------------------------------- comprehensions
    def _comprehension(self, node, scope, add):
        inner = Scope(COMPREHENSION, {}, parent=scope,
                      local_names=comprehension_targets(node))
        generators = node.generators
        first = self.eval(generators[0].iter, scope)

        def loop(index, iterable):
            generator = generators[index]
            for item in self.iterate(iterable):
                self.guard.count_iteration()
                self.assign(generator.target, item, inner)
                if all(self.truth(self.eval(test, inner)) for test in generator.ifs):
                    if index + 1 == len(generators):
                        add(inner)
                    else:
                        loop(index + 1, self.eval(generators[index + 1].iter, inner))
        loop(0, first)

    def _e_listcomp(self, node, scope):
        result = []

        def add(inner):
            result.append(self.eval(node.elt, inner))
        self._comprehension(node, scope, add)
        return self.check_value(result)

    def _e_setcomp(self, node, scope):
        result = set()
        self._comprehension(node, scope, lambda inner: result.add(self.eval(node.elt, inner)))
        return self.check_value(result)

    def _e_dictcomp(self, node, scope):
        result = {}

        def add(inner):
            key = self.eval(node.key, inner)
            result[key] = self.eval(node.value, inner)
        self._comprehension(node, scope, add)
        return self.check_value(result)

    def _e_genexp(self, node, scope):
        return GeneratorValue(self._e_listcomp(node, scope), "<genexpr>")

    # ================================================================ calls
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

    # ========================================================== attributes
    def get_attribute(self, value, name):
        if type(value) is SafeModule:
            return module_attribute(value, name)
        value = safe_builtins.real_type(value)
        if not attribute_name_allowed(name) or not self.policy.may_read(value, name):
            raise AttributeError(_no_attribute(value, name))
        result = getattr(value, name)
        if name == "__class__":  # ``[].__class__(...)`` builds through the checked ``list``
            return safe_builtins.program_type(self.builtins, result)
        return formatting.wrap_method(value, name, result, self.guard, self.get_attribute,
                                      self.call)

    def set_attribute(self, value, name, new_value):
        if not attribute_name_allowed(name) or not self.policy.may_write(value, name):
            raise AttributeError(f"cannot set attribute '{name}' of '{type(value).__name__}' "
                                 "object")
        setattr(value, name, new_value)

    def get_item(self, container, index):
        self.guard.tick()
        if self.is_tensor(container):
            estimate = estimate_index_elements(tuple(container.shape), index, self.shape_of,
                                               cap=self.guard.limits.max_elements)
            if estimate is not None:
                self.guard.check_elements(estimate, "the indexing result")
        else:
            self._check_container(container, "subscript")
        return self.check_value(container[index])

    def set_item(self, container, index, value):
        self.guard.tick()
        if not self.is_tensor(container):
            self._check_container(container, "item assignment")
            if type(index) is slice and isinstance(container, (list, bytearray)):
                # ``items[0:0] = range(10**9)`` copies the whole iterable in C.
                value = value if isinstance(value, (list, tuple, str, bytes)) else \
                    consume(self.iterate(value), self.guard)
                self.guard.check_length(len(container) + len(value))
        container[index] = value

    def _check_container(self, container, what):
        if type(container) is SafeModule or isinstance(container, (types.FunctionType,
                                                                    SandboxFunction)):
            raise TypeError(f"'{type(container).__name__}' object does not support {what}")
        if isinstance(container, type) and container not in USER_CLASSES:
            # ``list[int]`` and friends are annotations: harmless and read-only.
            if what != "subscript":
                raise TypeError(f"'type' object does not support {what}")

    # ============================================================ operators
    def binary(self, op, left, right, in_place=False):
        self.guard.tick()
        kind = type(op)
        self._precheck_binary(kind, left, right)
        function = (INPLACE if in_place else BINARY)[kind]
        return self.check_value(function(left, right))

    def _precheck_binary(self, kind, left, right):
        if self.is_tensor(left) or self.is_tensor(right) or _is_array(left) or _is_array(right):
            self._precheck_tensors(SYMBOLS[kind] if kind in SYMBOLS else "+", (left, right))
            return
        limits = self.guard.limits
        if kind is ast.Add and isinstance(left, (list, bytearray)):
            # ``items += range(10**9)`` extends in C from any iterable: bound it first.
            self.guard.check_length(len(left) + (bounded_length(right, self.guard) or 0))
        elif kind is ast.Mult:
            for sequence, count in ((left, right), (right, left)):
                if isinstance(sequence, (str, bytes, list, tuple)) and type(count) is not int \
                        and self.policy.is_user_instance(count):
                    # Its __index__ could answer the check and the op differently.
                    raise TypeError(f"can't multiply sequence by non-int of type "
                                    f"'{type(count).__name__}'")
                if isinstance(sequence, (str, bytes, list, tuple)) and \
                        hasattr(type(count), "__index__"):  # ints, bools, numpy ints
                    self.guard.check_length(len(sequence) * max(operator.index(count), 0))
        elif kind is ast.Pow and type(left) is int and type(right) is int and right > 0:
            bits = max(abs(left).bit_length() - 1, 0) * right
            if abs(left) > 1 and bits > limits.max_int_bits:
                raise LimitExceeded(f"{left} ** {right} is larger than {limits.max_int_bits} "
                                    "bits (integer limit)", "integer")
        elif kind is ast.LShift and type(left) is int and type(right) is int:
            if left and right > 0 and left.bit_length() + right > limits.max_int_bits:
                raise LimitExceeded(f"{left} << {right} is larger than {limits.max_int_bits} "
                                    "bits (integer limit)", "integer")
        elif kind is ast.Mod and isinstance(left, (str, bytes)):
            formatting.check_percent_format(left, right, self.guard)

    def _precheck_tensors(self, symbol, operands):
        try:
            estimate = estimate_elements(symbol, None, operands, {}, self.shape_of,
                                         cap=self.guard.limits.max_elements)
        except (TypeError, ValueError):
            estimate = None
        if estimate is not None:
            self.guard.check_elements(estimate, f"the result of {symbol}")

    def truth(self, value):
        return bool(value)

    def iterate(self, value):
        """An iterator over ``value`` for a ``for`` loop or unpacking."""
        if isinstance(value, (list, tuple, str, dict, set, frozenset, range, GeneratorValue,
                              CountedIterator)):
            return iter(value)
        return CountedIterator(value, self.guard)

    # =============================================================== values
    def is_tensor(self, value):
        return isinstance(value, self.tensor_type)

    def shape_of(self, value):
        if isinstance(value, self.tensor_type) or _is_array(value):
            return tuple(value.shape)
        return None

    def check_value(self, value):
        """Apply the size limits to a result; returns it unchanged."""
        kind = type(value)
        if kind is int:
            self.guard.check_int(value)
        elif kind in (str, bytes):
            self.guard.check_length(len(value))
        elif kind in (list, tuple, dict, set):
            self.guard.check_length(len(value))
            # A list repeated by reference is short but costs its nested size to hash,
            # compare or print, in C where no guard runs: bound that size too.
            nested = formatting.nested_items(value, self.guard.limits.max_elements)
            self.guard.check_elements(nested, f"a nested {kind.__name__}")
            if kind in (list, tuple):  # ops returning several tensors (meshgrid, split)
                for item in value[:64]:
                    if self.is_tensor(item):
                        self.guard.check_elements(item.numel())
        elif self.is_tensor(value):
            self.guard.check_elements(value.numel())
        elif _is_array(value):
            self.guard.check_elements(value.size)
            refuse_objects(value.dtype)  # np.full(3, 10**30): Python ints per element
        return value


class GeneratorValue:
    """What a generator function or expression returns: its values, collected within limits."""

    __slots__ = ("_iterator", "_name")

    def __init__(self, values, name):
        self._iterator = iter(values)
        self._name = name

    def __iter__(self):
        return self

    def __next__(self):
        return next(self._iterator)

    def __repr__(self):
        return f"<generator object {self._name} at {id(self):#x}>"


# Statements whose inner statements report for themselves.
_COMPOUND = (ast.If, ast.For, ast.While, ast.With, ast.Try, ast.FunctionDef, ast.ClassDef)


def _module_type(torch_module):
    nn = getattr(torch_module, "nn", None)
    module = getattr(nn, "Module", None)
    return module if isinstance(module, type) else None


def _nothing(node, scope):
    return None


def _is_array(value):
    return type(value).__module__ == "numpy" and hasattr(value, "shape") and \
        hasattr(value, "dtype")


def _no_attribute(value, name):
    if isinstance(value, type):
        return f"type object '{value.__name__}' has no attribute '{name}'"
    return f"'{type(value).__name__}' object has no attribute '{name}'"


def _unavailable(name):
    return (f"No module named '{name}' here: a program may import torch and its submodules, "
            "math, random, numpy, collections, functools, itertools, copy and time")


def _roots(torch_module):
    # The engine names some of its classes as PyTorch does (``torch.FloatTensor``'s module
    # is "torch"); no real PyTorch object can appear in a run of the engine.
    name = getattr(torch_module, "__name__", "engine").split(".")[0]
    return (name, "torch")


def _writable_types(torch_module):
    found = [torch_module.Tensor]
    for path in (("nn", "Module"), ("optim", "Optimizer"), ("optim", "lr_scheduler", "LRScheduler"),
                 ("autograd", "function", "FunctionCtx"), ("autograd", "Function")):
        value = torch_module
        for part in path:
            value = getattr(value, part, None)
            if value is None:
                break
        if isinstance(value, type):
            found.append(value)
    return tuple(found)
