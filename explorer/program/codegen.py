"""Program -> Python source that runs unchanged under real PyTorch.

Expressions are rebuilt as Python ``ast`` nodes and printed with
``ast.unparse``, which gets precedence, parentheses and string quoting right;
statements are laid out here, four spaces per block. Disabled steps become
comments, so they are visible but do not run. Reading the output back with
``parse_program`` gives an equal program.
"""
import ast

from .expressions import (
    Attribute,
    BinOp,
    BoolOp,
    Compare,
    Constant,
    EllipsisLiteral,
    FormattedValue,
    FString,
    FunctionCall,
    IfExp,
    Lambda,
    ListExpr,
    MethodCall,
    ModulePath,
    Name,
    PyExpr,
    Slice,
    Subscript,
    TupleExpr,
    UnaryOp,
)
from .python_text import parse_expression
from .steps import (
    Assign,
    AttrAssign,
    AugAssign,
    Break,
    Code,
    Continue,
    ExprStatement,
    For,
    FutureImport,
    If,
    Import,
    IndexAssign,
    Pass,
    While,
    With,
)

INDENT = "    "

_BINARY = {"+": ast.Add, "-": ast.Sub, "*": ast.Mult, "/": ast.Div, "//": ast.FloorDiv,
           "%": ast.Mod, "**": ast.Pow, "@": ast.MatMult, "&": ast.BitAnd, "|": ast.BitOr,
           "^": ast.BitXor}
_UNARY = {"-": ast.USub, "+": ast.UAdd, "not": ast.Not, "~": ast.Invert}
_COMPARE = {"==": ast.Eq, "!=": ast.NotEq, "<": ast.Lt, "<=": ast.LtE, ">": ast.Gt,
            ">=": ast.GtE, "is": ast.Is, "is not": ast.IsNot, "in": ast.In, "not in": ast.NotIn}
_BOOL = {"and": ast.And, "or": ast.Or}


def expression_source(expr):
    """Python source of one expression."""
    return ast.unparse(to_python_ast(expr))


def _dotted(parts):
    node = ast.Name(parts[0], ast.Load())
    for part in parts[1:]:
        node = ast.Attribute(node, part, ast.Load())
    return node


def to_python_ast(expr):
    """The ``ast`` expression node that ``expr`` stands for."""
    kind = type(expr)
    load = ast.Load()
    if kind is Name:
        return ast.Name(expr.id, load)
    if kind is Constant:
        return ast.Constant(expr.value)
    if kind is EllipsisLiteral:
        return ast.Constant(Ellipsis)
    if kind is ModulePath:
        return _dotted(expr.path)
    if kind is TupleExpr:
        return ast.Tuple([to_python_ast(e) for e in expr.elements], load)
    if kind is ListExpr:
        return ast.List([to_python_ast(e) for e in expr.elements], load)
    if kind is Attribute:
        return ast.Attribute(to_python_ast(expr.value), expr.attr, load)
    if kind is Subscript:
        return ast.Subscript(to_python_ast(expr.value), to_python_ast(expr.index), load)
    if kind is Slice:
        return ast.Slice(*(None if p is None else to_python_ast(p)
                           for p in (expr.lower, expr.upper, expr.step)))
    if kind is FunctionCall:
        return ast.Call(_dotted(expr.path), [to_python_ast(a) for a in expr.args],
                        [ast.keyword(k.name, to_python_ast(k.value)) for k in expr.keywords])
    if kind is MethodCall:
        func = ast.Attribute(to_python_ast(expr.receiver), expr.method, load)
        return ast.Call(func, [to_python_ast(a) for a in expr.args],
                        [ast.keyword(k.name, to_python_ast(k.value)) for k in expr.keywords])
    if kind is BinOp:
        return ast.BinOp(to_python_ast(expr.left), _BINARY[expr.op](), to_python_ast(expr.right))
    if kind is UnaryOp:
        return ast.UnaryOp(_UNARY[expr.op](), to_python_ast(expr.operand))
    if kind is Compare:
        return ast.Compare(to_python_ast(expr.left), [_COMPARE[op]() for op in expr.ops],
                           [to_python_ast(c) for c in expr.comparators])
    if kind is BoolOp:
        return ast.BoolOp(_BOOL[expr.op](), [to_python_ast(v) for v in expr.values])
    if kind is IfExp:
        return ast.IfExp(to_python_ast(expr.test), to_python_ast(expr.body),
                         to_python_ast(expr.orelse))
    if kind is Lambda:
        arguments = ast.arguments(posonlyargs=[], args=[ast.arg(p) for p in expr.params],
                                  kwonlyargs=[], kw_defaults=[], defaults=[])
        return ast.Lambda(arguments, to_python_ast(expr.body))
    if kind is FString:
        return ast.JoinedStr([to_python_ast(p) for p in expr.parts])
    if kind is FormattedValue:
        conversion = -1 if expr.conversion is None else ord(expr.conversion)
        spec = None if expr.spec is None else ast.JoinedStr([ast.Constant(expr.spec)])
        return ast.FormattedValue(to_python_ast(expr.value), conversion, spec)
    if kind is PyExpr:
        return parse_expression(expr.source)
    raise TypeError(f"not an expression: {expr!r}")


def _statement_lines(step):
    """Source lines of one step (its body indented), without a disabled prefix."""
    kind = type(step)
    if kind is Import:
        return ["import " + step.module + (f" as {step.alias}" if step.alias else "")]
    if kind is FutureImport:
        return ["from __future__ import " + ", ".join(step.features)]
    if kind is Assign:
        targets = ", ".join(step.targets)
        if step.unpack and len(step.targets) == 1:
            targets += ","
        return [f"{targets} = {expression_source(step.value)}"]
    if kind is AugAssign:
        return [f"{expression_source(step.target)} {step.op}= {expression_source(step.value)}"]
    if kind in (AttrAssign, IndexAssign):
        return [f"{expression_source(step.target)} = {expression_source(step.value)}"]
    if kind is ExprStatement:
        return [expression_source(step.value)]
    if kind is With:
        return [f"with {expression_source(step.context)}:"] + _block_lines(step.body)
    if kind is For:
        targets = ", ".join(step.targets) + ("," if step.unpack and len(step.targets) == 1 else "")
        return [f"for {targets} in {expression_source(step.iterable)}:"] + _block_lines(step.body)
    if kind is While:
        return [f"while {expression_source(step.condition)}:"] + _block_lines(step.body)
    if kind is If:
        return _if_lines(step, "if")
    if kind is Break:
        return ["break"]
    if kind is Continue:
        return ["continue"]
    if kind is Pass:
        return ["pass"]
    if kind is Code:
        return step.source.splitlines() or ["pass"]
    raise TypeError(f"not a step: {step!r}")


def _if_lines(step, keyword):
    lines = [f"{keyword} {expression_source(step.condition)}:"] + _block_lines(step.body)
    orelse = step.orelse
    if not orelse:
        return lines
    if len(orelse) == 1 and type(orelse[0]) is If and not orelse[0].disabled:
        return lines + _if_lines(orelse[0], "elif")
    return lines + ["else:"] + _block_lines(orelse)


def _block_lines(steps):
    lines = [INDENT + line for step in steps for line in step_lines(step)]
    if all(step.disabled for step in steps):
        lines.append(INDENT + "pass")  # a block whose steps are all commented out still parses
    return lines


def step_lines(step):
    """Source lines of ``step``; a disabled step's lines are commented out."""
    lines = _statement_lines(step)
    if step.disabled:
        return ["# " + line for line in lines]
    return lines


def uses_torch(program):
    return any(type(step) is Import for step in program.steps)


def program_source(program, add_import=False):
    """Source text of ``program`` (ends with a newline when not empty).

    With ``add_import``, ``import torch`` is put first when the program has no
    import of its own, so the text runs on its own under PyTorch.
    """
    lines = [line for step in program.steps for line in step_lines(step)]
    if add_import and not uses_torch(program):
        position = 0
        while position < len(program.steps) and type(program.steps[position]) is FutureImport:
            position += 1
        lines.insert(position, "import torch")
    return "".join(line + "\n" for line in lines)
