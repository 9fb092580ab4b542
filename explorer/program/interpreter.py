"""A tree-walking evaluator for the expression tree, on a given torch-like module.

The interpreter never compiles or evaluates Python text. It reaches the world
only through the whitelist: ``torch.<path>`` functions and values resolved on
the module it was given (the engine, or real PyTorch as a test oracle),
tensor/node/size/handle methods and attributes checked against the kind of
the receiving value, and the builtins of ``builtins.py``. Every call goes
through the guard (time, cancel, element and size limits).
"""
import operator

from . import whitelist
from .builtins import call_builtin
from .errors import LimitExceeded
from .expressions import (
    Attribute,
    BinOp,
    BoolOp,
    Compare,
    Constant,
    EllipsisLiteral,
    FString,
    FunctionCall,
    IfExp,
    Lambda,
    ListExpr,
    MethodCall,
    ModulePath,
    Name,
    Slice,
    Subscript,
    TupleExpr,
    UnaryOp,
)
from .sizecheck import estimate_elements, estimate_index_elements

BINARY_FUNCTIONS = {
    "+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv,
    "//": operator.floordiv, "%": operator.mod, "**": operator.pow, "@": operator.matmul,
    "&": operator.and_, "|": operator.or_, "^": operator.xor,
}
INPLACE_FUNCTIONS = {
    "+": operator.iadd, "-": operator.isub, "*": operator.imul, "/": operator.itruediv,
    "//": operator.ifloordiv, "%": operator.imod, "**": operator.ipow, "@": operator.imatmul,
    "&": operator.iand, "|": operator.ior, "^": operator.ixor,
}
UNARY_FUNCTIONS = {"-": operator.neg, "+": operator.pos, "not": operator.not_,
                   "~": operator.invert}
COMPARE_FUNCTIONS = {
    "==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt,
    ">=": operator.ge, "is": operator.is_, "is not": operator.is_not,
    "in": lambda a, b: a in b, "not in": lambda a, b: a not in b,
}


class HookFunction:
    """A ``lambda g: ...`` from a program, callable by the engine as a hook.

    Its body is evaluated by the interpreter (with the parameter bound and the
    program's variables visible, as a module-level lambda sees globals), so a
    hook is as sandboxed as any step.
    """

    __slots__ = ("params", "body", "interpreter")

    def __init__(self, params, body, interpreter):
        self.params = params
        self.body = body
        self.interpreter = interpreter

    def __call__(self, *args):
        if len(args) != len(self.params):
            raise TypeError(f"<lambda>() takes {len(self.params)} positional argument "
                            f"but {len(args)} were given")
        return self.interpreter.evaluate(self.body, dict(zip(self.params, args, strict=True)))

    def __repr__(self):
        return "<function <lambda>>"


def _no_attribute(value, name):
    return AttributeError(f"'{type(value).__name__}' object has no attribute '{name}'")


class Interpreter:
    """Evaluates expressions against ``variables`` with ``torch`` bound to ``torch_module``."""

    def __init__(self, torch_module, guard, write=None):
        self.torch = torch_module
        self.tensor_type = torch_module.Tensor
        self.size_type = getattr(torch_module, "Size", tuple)
        self.dtype_type = getattr(torch_module, "dtype", None)
        self.guard = guard
        self.write = write or (lambda text: None)
        self.variables = {}
        self.torch_bound = False
        self.printed_chars = 0
        self._dispatch = {
            Name: self._name, Constant: self._constant, EllipsisLiteral: self._ellipsis,
            ModulePath: self._module_value, TupleExpr: self._tuple, ListExpr: self._list,
            Attribute: self._attribute, Subscript: self._subscript, Slice: self._slice,
            FunctionCall: self._function_call, MethodCall: self._method_call,
            BinOp: self._binop, UnaryOp: self._unary, Compare: self._compare,
            BoolOp: self._boolop, IfExp: self._ifexp, Lambda: self._lambda,
            FString: self._fstring,
        }

    # ----------------------------------------------------------- kinds
    def is_tensor(self, value):
        return isinstance(value, self.tensor_type)

    def is_function_node(self, value):
        """A grad_fn node (engine or PyTorch): has next_functions and name()."""
        return (not isinstance(value, (self.tensor_type, tuple, list, str, int, float))
                and hasattr(type(value), "next_functions") and hasattr(type(value), "name"))

    def shape_of(self, value):
        if isinstance(value, self.tensor_type):
            return tuple(value.shape)
        return None

    # ------------------------------------------------------- evaluation
    def evaluate(self, expr, local=None):
        """The value of ``expr``; ``local`` holds a hook's parameter."""
        handler = self._dispatch.get(type(expr))
        if handler is None:
            raise TypeError(f"cannot evaluate {type(expr).__name__}")
        return handler(expr, local)

    def _evaluate_all(self, exprs, local):
        return [self.evaluate(e, local) for e in exprs]

    def lookup(self, name, local=None):
        if local is not None and name in local:
            return local[name]
        try:
            return self.variables[name]
        except KeyError:
            raise NameError(f"name '{name}' is not defined") from None

    def _name(self, expr, local):
        if expr.id.startswith("_") and expr.id != "_":
            raise NameError(f"name '{expr.id}' is not defined")
        return self.lookup(expr.id, local)

    def _constant(self, expr, local):
        return expr.value

    def _ellipsis(self, expr, local):
        return Ellipsis

    def _require_torch(self):
        if not self.torch_bound:
            raise NameError("name 'torch' is not defined")

    def _module_value(self, expr, local):
        path = tuple(expr.path)
        if path[:1] != ("torch",) or path[1:] not in whitelist.TORCH_VALUES:
            raise NameError(f"'{'.'.join(path)}' is not available")
        self._require_torch()
        return self._resolve(path[1:])

    def _resolve(self, parts):
        value = self.torch
        for part in parts:
            value = getattr(value, part)
        return value

    def _tuple(self, expr, local):
        return tuple(self._evaluate_all(expr.elements, local))

    def _list(self, expr, local):
        return self._evaluate_all(expr.elements, local)

    def _slice(self, expr, local):
        parts = [None if p is None else self.evaluate(p, local)
                 for p in (expr.lower, expr.upper, expr.step)]
        return slice(*parts)

    # -------------------------------------------------- attributes, items
    def get_attribute(self, value, name):
        if self.is_tensor(value):
            allowed = whitelist.TENSOR_ATTRIBUTES
        elif self.is_function_node(value):
            allowed = whitelist.FUNCTION_ATTRIBUTES
        elif self.dtype_type is not None and isinstance(value, self.dtype_type):
            allowed = whitelist.DTYPE_ATTRIBUTES
        else:
            allowed = ()
        if name not in allowed:
            raise _no_attribute(value, name)
        return getattr(value, name)

    def set_attribute(self, value, name, new_value):
        if not self.is_tensor(value) or name not in whitelist.WRITABLE_TENSOR_ATTRIBUTES:
            raise AttributeError(f"cannot set attribute '{name}' of '{type(value).__name__}'")
        setattr(value, name, new_value)

    def _attribute(self, expr, local):
        return self.get_attribute(self.evaluate(expr.value, local), expr.attr)

    def get_item(self, container, index):
        self.guard.tick()
        if self.is_tensor(container):
            estimate = estimate_index_elements(tuple(container.shape), index, self.shape_of,
                                               cap=self.guard.limits.max_elements)
            if estimate is not None:
                self.guard.check_elements(estimate, "the indexing result")
        elif not isinstance(container, (tuple, list, str, range)):
            raise TypeError(f"'{type(container).__name__}' object is not subscriptable")
        return self.check_value(container[index])

    def set_item(self, container, index, value):
        self.guard.tick()
        if not (self.is_tensor(container) or isinstance(container, list)):
            raise TypeError(f"'{type(container).__name__}' object does not support item "
                            "assignment")
        container[index] = value

    def _subscript(self, expr, local):
        container = self.evaluate(expr.value, local)
        return self.get_item(container, self.evaluate(expr.index, local))

    # ------------------------------------------------------------ calls
    def _keywords(self, keywords, local):
        return {kw.name: self.evaluate(kw.value, local) for kw in keywords}

    def _function_call(self, expr, local):
        path = tuple(expr.path)
        args = self._evaluate_all(expr.args, local)
        kwargs = self._keywords(expr.keywords, local)
        self.guard.tick()
        if path[0] == "torch":
            if path[1:] not in whitelist.TORCH_FUNCTIONS:
                raise NameError(f"'{'.'.join(path)}' is not available")
            self._require_torch()
            function = self._resolve(path[1:])
            self._precheck(path[-1], None, args, kwargs)
            return self.check_value(function(*args, **kwargs))
        if len(path) != 1 or path[0] not in whitelist.BUILTINS:
            raise NameError(f"name '{'.'.join(path)}' is not defined")
        return self.check_value(call_builtin(path[0], args, kwargs, self.guard, self._print))

    def _print(self, text):
        self.printed_chars += len(text)
        self.guard.check_length(self.printed_chars)
        self.write(text)

    def _method_call(self, expr, local):
        receiver = self.evaluate(expr.receiver, local)
        args = self._evaluate_all(expr.args, local)
        kwargs = self._keywords(expr.keywords, local)
        return self.call_method(receiver, expr.method, args, kwargs)

    def call_method(self, receiver, name, args, kwargs):
        self.guard.tick()
        if self.is_tensor(receiver):
            if name not in whitelist.TENSOR_METHODS:
                raise _no_attribute(receiver, name)
            if name in whitelist.HOOK_METHODS:
                for hook in list(args) + list(kwargs.values()):
                    if not isinstance(hook, HookFunction):
                        raise TypeError(f"{name}() takes a lambda from the program")
            self._precheck(name, receiver, args, kwargs)
        elif self.is_function_node(receiver):
            if name not in whitelist.FUNCTION_METHODS:
                raise _no_attribute(receiver, name)
        elif isinstance(receiver, self.size_type) and self.size_type is not tuple:
            if name not in whitelist.SIZE_METHODS:
                raise _no_attribute(receiver, name)
        elif type(receiver).__name__ == "RemovableHandle":
            if name not in whitelist.HANDLE_METHODS:
                raise _no_attribute(receiver, name)
        else:
            raise _no_attribute(receiver, name)
        return self.check_value(getattr(receiver, name)(*args, **kwargs))

    def _precheck(self, op, receiver, args, kwargs):
        estimate = estimate_elements(op, receiver, args, kwargs, self.shape_of,
                                     cap=self.guard.limits.max_elements)
        if estimate is not None:
            self.guard.check_elements(estimate, f"the result of {op}")

    def check_value(self, value):
        """Apply the size limits to a result; returns it unchanged."""
        if self.is_tensor(value):
            self.guard.check_elements(value.numel())
        elif type(value) is int:
            self.guard.check_int(value)
        elif isinstance(value, (str, list, tuple)):
            self.guard.check_length(len(value))
            if isinstance(value, (list, tuple)) and len(value) <= 1000:
                for item in value:
                    if self.is_tensor(item):
                        self.guard.check_elements(item.numel())
        return value

    # -------------------------------------------------------- operators
    def binary(self, op, left, right, in_place=False):
        """``left op right`` (``op=`` when ``in_place``) with size checks before and after."""
        self.guard.tick()
        self._precheck_binary(op, left, right)
        function = (INPLACE_FUNCTIONS if in_place else BINARY_FUNCTIONS)[op]
        return self.check_value(function(left, right))

    def _precheck_binary(self, op, left, right):
        if self.is_tensor(left) or self.is_tensor(right):
            estimate = estimate_elements(op, None, (left, right), {}, self.shape_of,
                                         cap=self.guard.limits.max_elements)
            if estimate is not None:
                self.guard.check_elements(estimate, f"the result of {op}")
            return
        if op == "*":
            for sequence, count in ((left, right), (right, left)):
                if isinstance(sequence, (str, list, tuple)) and type(count) is int:
                    self.guard.check_length(len(sequence) * max(count, 0))
        if op == "**" and type(left) is int and type(right) is int and right > 0:
            bits = max(abs(left).bit_length() - 1, 0) * right
            if abs(left) > 1 and bits > self.guard.limits.max_int_bits:
                raise LimitExceeded(
                    f"{left} ** {right} is larger than {self.guard.limits.max_int_bits} bits "
                    "(integer limit)", "integer")

    def _binop(self, expr, local):
        left = self.evaluate(expr.left, local)
        right = self.evaluate(expr.right, local)
        return self.binary(expr.op, left, right)

    def _unary(self, expr, local):
        operand = self.evaluate(expr.operand, local)
        self.guard.tick()
        return self.check_value(UNARY_FUNCTIONS[expr.op](operand))

    def _compare(self, expr, local):
        left = self.evaluate(expr.left, local)
        last = len(expr.ops) - 1
        result = None
        for position, (op, comparator) in enumerate(zip(expr.ops, expr.comparators, strict=True)):
            right = self.evaluate(comparator, local)
            if self.is_tensor(left) or self.is_tensor(right):
                self._precheck_binary("==", left, right)
            result = self.check_value(COMPARE_FUNCTIONS[op](left, right))
            if position < last and not result:
                return result
            left = right
        return result

    def _boolop(self, expr, local):
        # Like Python: the last operand is returned without being tested.
        for value in expr.values[:-1]:
            result = self.evaluate(value, local)
            if (expr.op == "and") != bool(result):
                return result
        return self.evaluate(expr.values[-1], local)

    def _ifexp(self, expr, local):
        if self.evaluate(expr.test, local):
            return self.evaluate(expr.body, local)
        return self.evaluate(expr.orelse, local)

    def _lambda(self, expr, local):
        return HookFunction(tuple(expr.params), expr.body, self)

    def _fstring(self, expr, local):
        pieces = []
        for part in expr.parts:
            if type(part) is Constant:
                pieces.append(part.value)
                continue
            value = self.evaluate(part.value, local)
            if part.conversion == "r":
                value = repr(value)
            elif part.conversion == "s":
                value = str(value)
            pieces.append(format(value, part.spec or ""))
        return self.check_value("".join(pieces))
