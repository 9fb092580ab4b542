"""The palette's op blocks, read from the engine's op table.

Which ops the palette offers is the op table's to say: its ``basic`` rows, under
a heading that follows the row's category. What is written here is only how a
block spells an op where a first lesson writes it otherwise than the plain call
(``y = torch.exp(x)``, or ``y = torch.atan2(a, b)`` for two operands): an
operator, a method, sensible arguments, a result's name. A row with no spelling
here gets the plain call, so an op added to the table reaches the palette as is.

A block's factory gets the variable names in scope where the block lands and
returns a step whose operands are already sensible there (the newest tensor, a
fresh name for the result), so a newcomer can stack blocks without typing.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from . import optable
from .expressions import BinOp, Constant, FunctionCall, Keyword, ListExpr, MethodCall, ModulePath, Name
from .steps import Assign

# The palette's heading for each category of the op table.
HEADINGS = {"Create": "Create", "Arithmetic": "Arithmetic", "Pointwise": "Elementwise",
            "Activations": "Elementwise", "Reductions": "Reductions", "Linear algebra": "Matrix",
            "Shape": "Shape"}


@dataclass(frozen=True)
class OpBlock:
    key: str        # the op's name in the table
    heading: str    # the palette's heading (an English key the palette translates)
    title: str
    make: Callable  # (scope: tuple[str, ...]) -> Step


@dataclass(frozen=True)
class Spelling:
    title: str
    make: Callable
    heading: str | None = None  # when the palette shows the op elsewhere than its category says


def fresh_name(scope, base: str) -> str:
    if base not in scope:
        return base
    number = 1
    while f"{base}{number}" in scope:
        number += 1
    return f"{base}{number}"


def variables(scope):
    """The names a block may take as operands (``i`` is a loop's counter, not a tensor)."""
    return [name for name in scope if name != "i"]


def newest(scope, default: str = "x") -> str:
    """The most recently bound variable, the operand a new block most likely wants."""
    names = variables(scope)
    return names[-1] if names else default


def two_newest(scope):
    """The two most recently bound variables, older first (the newest twice when alone)."""
    names = variables(scope)
    right = newest(scope)
    return (names[-2] if len(names) > 1 else right), right


def torch_call(name, *args, **keywords):
    return FunctionCall(("torch", name), tuple(args),
                        tuple(Keyword(key, value) for key, value in keywords.items()))


# ------------------------------------------------------------------ factories
def creation(name, args, result="x", requires_grad=True):
    def make(scope):
        keywords = {"requires_grad": Constant(True)} if requires_grad else {}
        return Assign((fresh_name(scope, result),), torch_call(name, *args, **keywords))
    return make


def infix(symbol, right=None, result="y"):
    """``y = x <symbol> right``; ``x <symbol> x`` when ``right`` is None."""
    def make(scope):
        left = Name(newest(scope))
        other = right if right is not None else Name(newest(scope))
        return Assign((fresh_name(scope, result),), BinOp(symbol, left, other))
    return make


def method_call(name, *args, result="y"):
    def make(scope):
        call = MethodCall(Name(newest(scope)), name, tuple(args), ())
        return Assign((fresh_name(scope, result),), call)
    return make


def function_call(name, arity=1, result="y"):
    """``y = torch.<name>(x)``, or of the two newest variables for a binary op."""
    def make(scope):
        operands = two_newest(scope) if arity == 2 else (newest(scope),)
        return Assign((fresh_name(scope, result),),
                      torch_call(name, *(Name(operand) for operand in operands)))
    return make


def matmul(scope):
    left, right = two_newest(scope)
    return Assign((fresh_name(scope, "m"),), BinOp("@", Name(left), Name(right)))


def small_tensor(scope):
    values = ListExpr(tuple(Constant(value) for value in (0.1, 1.0, 0.0001)))
    return Assign((fresh_name(scope, "v"),),
                  torch_call("tensor", values, dtype=ModulePath(("torch", "float"))))


def _int(value):
    return Constant(value)


# How a first lesson writes these ops; in the palette's order within each heading.
SPELLINGS = {
    "ones": Spelling("torch.ones", creation("ones", (_int(2), _int(2)))),
    "zeros": Spelling("torch.zeros", creation("zeros", (_int(2), _int(2)))),
    "randn": Spelling("torch.randn", creation("randn", (_int(3),))),
    "tensor": Spelling("torch.tensor", small_tensor),
    "arange": Spelling("torch.arange", creation("arange", (Constant(4.0),), result="a",
                                              requires_grad=False)),
    "add": Spelling("a + b", infix("+")),
    "sub": Spelling("a - b", infix("-", _int(1))),
    "mul": Spelling("a * b", infix("*", _int(3), result="z")),
    "div": Spelling("a / b", infix("/", _int(2))),
    "pow": Spelling("a ** 2", infix("**", _int(2))),
    "sum": Spelling("sum", method_call("sum", result="s")),
    "mean": Spelling("mean", method_call("mean", result="out")),
    "norm": Spelling("norm", method_call("norm", result="n")),
    "max": Spelling("max", method_call("max", result="m")),
    "matmul": Spelling("a @ b", matmul),
    "t": Spelling("t()", method_call("t", result="t"), heading="Matrix"),
    "reshape": Spelling("reshape", method_call("reshape", _int(-1), result="r")),
    "unsqueeze": Spelling("unsqueeze", method_call("unsqueeze", _int(0), result="u")),
}


def plain_spelling(info):
    """The plain call, for a row with no spelling of its own."""
    return Spelling(info.name, function_call(info.name, arity=info.arity or 1))


def op_blocks():
    """One block per ``basic`` row of the op table: the spelled ones first, in
    ``SPELLINGS``' order, then the others in the table's."""
    rows = optable.basic_ops()
    order = {name: index for index, name in enumerate(SPELLINGS)}
    rows.sort(key=lambda info: order.get(info.name, len(order)))
    blocks = []
    for info in rows:
        spelling = SPELLINGS.get(info.name) or plain_spelling(info)
        heading = spelling.heading or HEADINGS[info.category]
        blocks.append(OpBlock(info.name, heading, spelling.title, spelling.make))
    return tuple(blocks)
