"""Every kind of block the palette offers, grouped, each with a factory for a new step.

A factory gets the variable names in scope where the block lands and returns a
step whose operands are already sensible there (the newest tensor, a fresh name
for the result), so a newcomer can stack blocks without typing.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP

from explorer.program.expressions import (
    Attribute,
    BinOp,
    Compare,
    Constant,
    FunctionCall,
    Keyword,
    ListExpr,
    MethodCall,
    ModulePath,
    Name,
)
from explorer.program.steps import (
    Assign,
    AttrAssign,
    AugAssign,
    Break,
    Continue,
    ExprStatement,
    For,
    If,
    Import,
    Pass,
    While,
    With,
)

# Marked for the translation tools; the palette shows tr(category), the code keeps the English key.
CATEGORIES = (QT_TRANSLATE_NOOP("", "Create"), QT_TRANSLATE_NOOP("", "Arithmetic"),
              QT_TRANSLATE_NOOP("", "Elementwise"), QT_TRANSLATE_NOOP("", "Reductions"),
              QT_TRANSLATE_NOOP("", "Matrix"), QT_TRANSLATE_NOOP("", "Shape"),
              QT_TRANSLATE_NOOP("", "Autograd"), QT_TRANSLATE_NOOP("", "Scopes"),
              QT_TRANSLATE_NOOP("", "Control"), QT_TRANSLATE_NOOP("", "Print"))

MIME_TYPE = "application/x-autograd-explorer-block"


@dataclass(frozen=True)
class BlockKind:
    key: str
    category: str
    title: str
    make: Callable  # (scope: tuple[str, ...]) -> Step
    tip: str = ""


def fresh_name(scope, base: str) -> str:
    if base not in scope:
        return base
    number = 1
    while f"{base}{number}" in scope:
        number += 1
    return f"{base}{number}"


def newest(scope, default: str = "x") -> str:
    """The most recently bound variable, the operand a new block most likely wants."""
    names = [name for name in scope if name != "i"]
    return names[-1] if names else default


def _int(value):
    return Constant(value)


def _torch(name, *args, **keywords):
    return FunctionCall(("torch", name), tuple(args),
                        tuple(Keyword(key, value) for key, value in keywords.items()))


def _create(name, args, result="x", requires_grad=True):
    def make(scope):
        keywords = {"requires_grad": Constant(True)} if requires_grad else {}
        return Assign((fresh_name(scope, result),), _torch(name, *args, **keywords))
    return make


def _binary(op, right=None, result="y"):
    def make(scope):
        left = Name(newest(scope))
        other = right if right is not None else Name(newest(scope))
        return Assign((fresh_name(scope, result),), BinOp(op, left, other))
    return make


def _method(method, *args, result="y", **keywords):
    def make(scope):
        call = MethodCall(Name(newest(scope)), method, tuple(args),
                          tuple(Keyword(key, value) for key, value in keywords.items()))
        return Assign((fresh_name(scope, result),), call)
    return make


def _function(name, *args, result="y"):
    def make(scope):
        return Assign((fresh_name(scope, result),), _torch(name, Name(newest(scope)), *args))
    return make


def _statement(build):
    def make(scope):
        return ExprStatement(build(Name(newest(scope))))
    return make


def _matmul(scope):
    names = [name for name in scope if name != "i"]
    left = names[-2] if len(names) > 1 else newest(scope)
    return Assign((fresh_name(scope, "m"),), BinOp("@", Name(left), Name(newest(scope))))


def _with(context):
    return lambda scope: With(_torch(context), (ExprStatement(FunctionCall(("print",), (
        Attribute(BinOp("**", Name(newest(scope)), _int(2)), "requires_grad"),))),))


def _loop(scope):
    target = newest(scope, "y")
    return For(("i",), FunctionCall(("range",), (_int(3),)),
               (Assign((target,), BinOp("*", Name(target), _int(2))),))


def _while(scope):
    target = newest(scope, "y")
    norm = MethodCall(Attribute(Name(target), "data"), "norm")
    return While(Compare(norm, ("<",), (_int(1000),)),
                 (Assign((target,), BinOp("*", Name(target), _int(2))),))


def _if(scope):
    target = newest(scope, "y")
    condition = Compare(MethodCall(Name(target), "sum"), (">",), (_int(0),))
    return If(condition, (Assign((target,), BinOp("*", Name(target), _int(2))),), ())


def _print(build):
    return lambda scope: ExprStatement(FunctionCall(("print",), (build(Name(newest(scope))),)))


BLOCKS = (
    BlockKind("import", "Create", "import torch", lambda scope: Import("torch")),
    BlockKind("ones", "Create", "torch.ones", _create("ones", (_int(2), _int(2)))),
    BlockKind("zeros", "Create", "torch.zeros", _create("zeros", (_int(2), _int(2)))),
    BlockKind("randn", "Create", "torch.randn", _create("randn", (_int(3),))),
    BlockKind("tensor", "Create", "torch.tensor", lambda scope: Assign(
        (fresh_name(scope, "v"),), _torch("tensor", _list_literal((0.1, 1.0, 0.0001)),
                                          dtype=ModulePath(("torch", "float"))))),
    BlockKind("arange", "Create", "torch.arange",
              _create("arange", (Constant(4.0),), result="a", requires_grad=False)),
    BlockKind("add", "Arithmetic", "a + b", _binary("+")),
    BlockKind("sub", "Arithmetic", "a - b", _binary("-", _int(1))),
    BlockKind("mul", "Arithmetic", "a * b", _binary("*", _int(3), result="z")),
    BlockKind("div", "Arithmetic", "a / b", _binary("/", _int(2))),
    BlockKind("pow", "Arithmetic", "a ** 2", _binary("**", _int(2))),
    BlockKind("exp", "Elementwise", "exp", _function("exp")),
    BlockKind("log", "Elementwise", "log", _function("log")),
    BlockKind("sin", "Elementwise", "sin", _function("sin")),
    BlockKind("relu", "Elementwise", "relu", _function("relu")),
    BlockKind("sigmoid", "Elementwise", "sigmoid", _function("sigmoid")),
    BlockKind("tanh", "Elementwise", "tanh", _function("tanh")),
    BlockKind("sum", "Reductions", "sum", _method("sum", result="s")),
    BlockKind("mean", "Reductions", "mean", _method("mean", result="out")),
    BlockKind("norm", "Reductions", "norm", _method("norm", result="n")),
    BlockKind("max", "Reductions", "max", _method("max", result="m")),
    BlockKind("matmul", "Matrix", "a @ b", _matmul),
    BlockKind("transpose", "Matrix", "t()", _method("t", result="t")),
    BlockKind("reshape", "Shape", "reshape", _method("reshape", _int(-1), result="r")),
    BlockKind("unsqueeze", "Shape", "unsqueeze", _method("unsqueeze", _int(0), result="u")),
    BlockKind("backward", "Autograd", "backward()", _statement(lambda t: MethodCall(t, "backward"))),
    BlockKind("zero_grad", "Autograd", "grad.data.zero_()", lambda scope: ExprStatement(
        MethodCall(Attribute(Attribute(Name(_first(scope)), "grad"), "data"), "zero_"))),
    BlockKind("detach", "Autograd", "detach()", _method("detach", result="d")),
    BlockKind("requires_grad_", "Autograd", "requires_grad_(True)",
              _statement(lambda t: MethodCall(t, "requires_grad_", (Constant(True),)))),
    BlockKind("retain_grad", "Autograd", "retain_grad()", _statement(lambda t: MethodCall(t, "retain_grad"))),
    BlockKind("grad_none", "Autograd", "grad = None", lambda scope: AttrAssign(
        Attribute(Name(_first(scope)), "grad"), Constant(None))),
    BlockKind("data_edit", "Autograd", "data *= 100", lambda scope: AugAssign(
        Attribute(Name(_first(scope)), "data"), "*", _int(100))),
    BlockKind("no_grad", "Scopes", "with torch.no_grad()", _with("no_grad")),
    BlockKind("enable_grad", "Scopes", "with torch.enable_grad()", _with("enable_grad")),
    BlockKind("for", "Control", "for i in range(3)", _loop),
    BlockKind("while", "Control", "while … < 1000", _while),
    BlockKind("if", "Control", "if …", _if),
    BlockKind("break", "Control", "break", lambda scope: Break()),
    BlockKind("continue", "Control", "continue", lambda scope: Continue()),
    BlockKind("pass", "Control", "pass", lambda scope: Pass()),
    BlockKind("print", "Print", "print(x)", _print(lambda t: t)),
    BlockKind("print_grad", "Print", "print(x.grad)", lambda scope: ExprStatement(
        FunctionCall(("print",), (Attribute(Name(_first(scope)), "grad"),)))),
    BlockKind("print_grad_fn", "Print", "print(y.grad_fn)", _print(lambda t: Attribute(t, "grad_fn"))),
    BlockKind("print_requires_grad", "Print", "print(x.requires_grad)",
              _print(lambda t: Attribute(t, "requires_grad"))),
)

BLOCKS_BY_KEY = {kind.key: kind for kind in BLOCKS}


def _first(scope, default="x"):
    """The oldest variable: usually the leaf whose .grad a lesson looks at."""
    names = [name for name in scope if name != "i"]
    return names[0] if names else default


def _list_literal(values):
    return ListExpr(tuple(Constant(value) for value in values))


def blocks_in(category: str):
    return [kind for kind in BLOCKS if kind.category == category]
