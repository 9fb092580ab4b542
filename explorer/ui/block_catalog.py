"""Every kind of block the palette offers, grouped, each with a factory for a new step.

The op blocks come from the engine's op table (``explorer.program.palette_ops``);
the blocks for autograd, scopes, control flow and printing are written here.
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
    MethodCall,
    Name,
)
from explorer.program.palette_ops import method_call, newest, op_blocks, torch_call, variables
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


def _int(value):
    return Constant(value)


def _statement(build):
    def make(scope):
        return ExprStatement(build(Name(newest(scope))))
    return make


def _with(context):
    return lambda scope: With(torch_call(context), (ExprStatement(FunctionCall(("print",), (
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
) + tuple(BlockKind(block.key, block.heading, block.title, block.make) for block in op_blocks()) + (
    BlockKind("backward", "Autograd", "backward()", _statement(lambda t: MethodCall(t, "backward"))),
    BlockKind("zero_grad", "Autograd", "grad.data.zero_()", lambda scope: ExprStatement(
        MethodCall(Attribute(Attribute(Name(_first(scope)), "grad"), "data"), "zero_"))),
    BlockKind("detach", "Autograd", "detach()", method_call("detach", result="d")),
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
    names = variables(scope)
    return names[0] if names else default


def blocks_in(category: str):
    return [kind for kind in BLOCKS if kind.category == category]
