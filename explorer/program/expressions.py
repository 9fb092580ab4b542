"""The expression tree of a program: small frozen dataclasses.

Every node is immutable and compares by value, so two programs are equal when
they mean the same thing (source line numbers live on steps and never take
part in comparisons). Operators are kept as their Python spelling (``"**"``,
``"is not"``); ``op_name`` gives the PyTorch-style name a block editor shows
("pow") and ``operands`` the sub-expressions it shows as inputs.

Calls come in two shapes:

- ``FunctionCall(path, args, keywords)``: a module function or builtin named by
  a dotted path, ``("torch", "ones")``, ``("torch", "nn", "functional", "relu")``,
  ``("print",)``. Functions are never values: only calls name them.
- ``MethodCall(receiver, method, args, keywords)``: ``x.pow(2)``,
  ``x.grad.data.zero_()``.

``ModulePath(path)`` is a module attribute used as a value, e.g. ``torch.float``.
"""
from dataclasses import dataclass


class Expr:
    """Base of every expression node."""

    __slots__ = ()

    def children(self):
        """Direct sub-expressions, in source order."""
        return ()


@dataclass(frozen=True)
class Name(Expr):
    id: str


@dataclass(frozen=True, eq=False)
class Constant(Expr):
    """A literal: int, float, bool, str or None.

    Compares by type as well as value, so ``1``, ``1.0`` and ``True`` differ
    (a program with ``x ** 2`` is not the one with ``x ** 2.0``).
    """

    value: object

    def _key(self):
        return (type(self.value), repr(self.value))

    def __eq__(self, other):
        return type(other) is Constant and self._key() == other._key()

    def __hash__(self):
        return hash(self._key())


@dataclass(frozen=True)
class EllipsisLiteral(Expr):
    """``...`` inside an index."""


@dataclass(frozen=True)
class ModulePath(Expr):
    path: tuple

    @property
    def dotted(self):
        return ".".join(self.path)


@dataclass(frozen=True)
class TupleExpr(Expr):
    elements: tuple

    def children(self):
        return self.elements


@dataclass(frozen=True)
class ListExpr(Expr):
    elements: tuple

    def children(self):
        return self.elements


@dataclass(frozen=True)
class Attribute(Expr):
    value: Expr
    attr: str

    def children(self):
        return (self.value,)


@dataclass(frozen=True)
class Slice(Expr):
    """``lower:upper:step`` inside an index; each part may be None."""

    lower: Expr = None
    upper: Expr = None
    step: Expr = None

    def children(self):
        return tuple(part for part in (self.lower, self.upper, self.step) if part is not None)


@dataclass(frozen=True)
class Subscript(Expr):
    value: Expr
    index: Expr

    def children(self):
        return (self.value, self.index)


@dataclass(frozen=True)
class Keyword(Expr):
    """``name=value`` in a call (not an expression on its own)."""

    name: str
    value: Expr

    def children(self):
        return (self.value,)


@dataclass(frozen=True)
class FunctionCall(Expr):
    path: tuple
    args: tuple = ()
    keywords: tuple = ()

    def children(self):
        return self.args + self.keywords

    @property
    def dotted(self):
        return ".".join(self.path)


@dataclass(frozen=True)
class MethodCall(Expr):
    receiver: Expr
    method: str
    args: tuple = ()
    keywords: tuple = ()

    def children(self):
        return (self.receiver,) + self.args + self.keywords


@dataclass(frozen=True)
class BinOp(Expr):
    op: str
    left: Expr
    right: Expr

    def children(self):
        return (self.left, self.right)


@dataclass(frozen=True)
class UnaryOp(Expr):
    op: str
    operand: Expr

    def children(self):
        return (self.operand,)


@dataclass(frozen=True)
class Compare(Expr):
    left: Expr
    ops: tuple
    comparators: tuple

    def children(self):
        return (self.left,) + self.comparators


@dataclass(frozen=True)
class BoolOp(Expr):
    op: str
    values: tuple

    def children(self):
        return self.values


@dataclass(frozen=True)
class IfExp(Expr):
    test: Expr
    body: Expr
    orelse: Expr

    def children(self):
        return (self.test, self.body, self.orelse)


@dataclass(frozen=True)
class Lambda(Expr):
    """``lambda g: body``: only as the argument of a hook registration."""

    params: tuple
    body: Expr

    def children(self):
        return (self.body,)


@dataclass(frozen=True)
class FormattedValue(Expr):
    """``{value!conversion:spec}`` inside an f-string; spec is a plain string or None."""

    value: Expr
    conversion: str = None
    spec: str = None

    def children(self):
        return (self.value,)


@dataclass(frozen=True)
class FString(Expr):
    """An f-string: a tuple of ``Constant`` (str) and ``FormattedValue`` parts."""

    parts: tuple

    def children(self):
        return self.parts


@dataclass(frozen=True)
class PyExpr(Expr):
    """An operand the blocks have no form for, kept as Python text: ``model(x)``,
    ``[p.grad for p in ps]``, ``lambda g: g * 2``. The sandbox runs it."""

    source: str

    def names(self):
        from .python_text import names_loaded, parse_expression  # python_text needs no expressions
        try:
            return names_loaded([parse_expression(self.source)])
        except Exception:  # text that does not parse reads nothing; the run reports it
            return ()


BINARY_OPERATORS = {
    "+": "add", "-": "sub", "*": "mul", "/": "div", "//": "floor_divide", "%": "remainder",
    "**": "pow", "@": "matmul", "&": "bitwise_and", "|": "bitwise_or", "^": "bitwise_xor",
}
UNARY_OPERATORS = {"-": "neg", "+": "pos", "not": "logical_not", "~": "bitwise_not"}
COMPARE_OPERATORS = {
    "==": "eq", "!=": "ne", "<": "lt", "<=": "le", ">": "gt", ">=": "ge",
    "is": "is", "is not": "is_not", "in": "in", "not in": "not_in",
}
BOOL_OPERATORS = {"and": "and", "or": "or"}


def walk(expr):
    """Every node of ``expr``, parents before children (iterative: no recursion limit)."""
    stack = [expr]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(node.children()))


def names_read(expr):
    """Variable names ``expr`` reads, in first-use order; lambda parameters excluded."""
    seen = []
    _collect_names(expr, frozenset(), seen)
    return tuple(seen)


def _collect_names(expr, bound, seen):
    if type(expr) is Name:
        if expr.id not in bound and expr.id not in seen:
            seen.append(expr.id)
        return
    if type(expr) is Lambda:
        _collect_names(expr.body, bound | frozenset(expr.params), seen)
        return
    if type(expr) is PyExpr:
        for name in expr.names():
            if name not in bound and name not in seen:
                seen.append(name)
        return
    for child in expr.children():
        _collect_names(child, bound, seen)


def op_name(expr):
    """The operation an expression applies, as a block editor names it.

    ``x ** 2`` -> "pow", ``torch.ones(2)`` -> "ones", ``x.sum()`` -> "sum",
    ``x[0]`` -> "index", ``x.grad`` -> "grad", a name or literal -> None.
    """
    kind = type(expr)
    if kind is BinOp:
        return BINARY_OPERATORS[expr.op]
    if kind is UnaryOp:
        return UNARY_OPERATORS[expr.op]
    if kind is Compare:
        return COMPARE_OPERATORS[expr.ops[0]]
    if kind is BoolOp:
        return expr.op
    if kind is FunctionCall:
        return expr.path[-1]
    if kind is MethodCall:
        return expr.method
    if kind is Subscript:
        return "index"
    if kind is Attribute:
        return expr.attr
    if kind is IfExp:
        return "if_else"
    if kind is PyExpr:
        return "python"
    if kind in (TupleExpr, ListExpr):
        return "tuple" if kind is TupleExpr else "list"
    return None


def operands(expr):
    """The inputs a block shows for ``expr`` (a method's receiver comes first)."""
    kind = type(expr)
    if kind is FunctionCall:
        return expr.args
    if kind is MethodCall:
        return (expr.receiver,) + expr.args
    if kind is Attribute:
        return (expr.value,)
    if kind in (Name, Constant, EllipsisLiteral, ModulePath, Lambda, PyExpr):
        return ()
    return expr.children()


def keywords_of(expr):
    """``{name: expr}`` of a call's keyword arguments (empty for other nodes)."""
    if type(expr) in (FunctionCall, MethodCall):
        return {keyword.name: keyword.value for keyword in expr.keywords}
    return {}
