"""Source text -> Program, through ``ast.parse`` and a whitelist walk.

Nothing is ever executed here. Unsupported syntax is rejected while the AST is
converted; the subset's naming rules (``rules.py``) then run on the result.
Either way the error is a ``ProgramSyntaxError`` naming line, column (both
1-based) and the construct.
"""
import ast

from . import rules
from .errors import ProgramSyntaxError, SubsetViolation
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
    Keyword,
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
from .python_text import check_expression, quiet_parse, statement_source, statements_problem
from .sandbox.validate import SandboxSyntaxError, validate_tree
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
    Program,
    While,
    With,
)

MAX_SOURCE_CHARS = 200_000

_BINARY = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//",
           ast.Mod: "%", ast.Pow: "**", ast.MatMult: "@", ast.BitAnd: "&", ast.BitOr: "|",
           ast.BitXor: "^"}
_UNARY = {ast.USub: "-", ast.UAdd: "+", ast.Not: "not", ast.Invert: "~"}
_COMPARE = {ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">",
            ast.GtE: ">=", ast.Is: "is", ast.IsNot: "is not", ast.In: "in", ast.NotIn: "not in"}
_BOOL = {ast.And: "and", ast.Or: "or"}

# How rejected syntax is named in errors.
_CONSTRUCT_NAMES = {
    ast.FunctionDef: "def", ast.AsyncFunctionDef: "async def", ast.ClassDef: "class",
    ast.Return: "return", ast.Delete: "del", ast.AnnAssign: "annotated assignment",
    ast.AsyncFor: "async for", ast.AsyncWith: "async with", ast.Raise: "raise", ast.Try: "try",
    ast.Assert: "assert", ast.Global: "global", ast.Nonlocal: "nonlocal", ast.Match: "match",
    ast.ListComp: "list comprehension", ast.SetComp: "set comprehension",
    ast.DictComp: "dict comprehension", ast.GeneratorExp: "generator expression",
    ast.Dict: "dict literal", ast.Set: "set literal", ast.NamedExpr: "walrus (:=)",
    ast.Await: "await", ast.Yield: "yield", ast.YieldFrom: "yield from",
    ast.Starred: "star-args", ast.LShift: "<<", ast.RShift: ">>",
}
if hasattr(ast, "TryStar"):
    _CONSTRUCT_NAMES[ast.TryStar] = "try"


class _Reject(Exception):
    def __init__(self, message, construct, node):
        super().__init__(message)
        self.message = message
        self.construct = construct
        self.node = node


def _construct_name(node):
    return _CONSTRUCT_NAMES.get(type(node), type(node).__name__)


def _segment(source, node):
    """The source text of ``node`` on its first line, shortened, for error messages."""
    try:
        text = ast.get_source_segment(source, node) or ""
    except Exception:  # positions can be odd on malformed trees; the message just gets shorter
        text = ""
    text = text.split("\n")[0]
    return text if len(text) <= 60 else text[:57] + "..."


def parse_program(source):
    """Parse ``source`` into a ``Program``; raise ``ProgramSyntaxError`` when outside the subset."""
    if not isinstance(source, str):
        raise ProgramSyntaxError("source must be text", construct="source")
    if len(source) > MAX_SOURCE_CHARS:
        raise ProgramSyntaxError(
            f"source is longer than {MAX_SOURCE_CHARS} characters", construct="source size")
    tree = _parse_python(source)
    converter = _Converter(source)
    try:
        steps = list(converter.block(tree.body, depth=1))
        # A statement whose blocks break a rule of the block model (``print = 3``)
        # is kept as Python text instead.
        for index, (node, step) in enumerate(zip(tree.body, steps)):
            try:
                rules.validate_program((step,))
            except SubsetViolation:
                steps[index] = converter.code_step(node)
        rules.validate_program(tuple(steps))
    except _Reject as reject:
        raise converter.error(reject.message, reject.construct, reject.node) from None
    except SubsetViolation as violation:
        raise converter.error(violation.message, violation.construct,
                              converter.positions.get(id(violation.node))) from None
    except RecursionError:
        raise ProgramSyntaxError("the program is nested too deeply", 1, 1, "deep nesting") from None
    return Program(tuple(steps))


def _parse_python(source):
    try:
        return quiet_parse(source, "exec")
    except SyntaxError as error:
        line = error.lineno or 0
        column = error.offset or 0
        raise ProgramSyntaxError(f"invalid Python: {error.msg}", line, column,
                                 "syntax error") from None
    except (RecursionError, MemoryError):
        raise ProgramSyntaxError("the program is nested too deeply or too large to read", 1, 1,
                                 "deep nesting") from None
    except ValueError as error:  # e.g. null bytes, int literals over the digit limit
        raise ProgramSyntaxError(f"invalid source: {error}", 1, 1, "invalid source") from None


class _Converter:
    """Turns a Python AST into steps and expressions, rejecting what is not in the subset."""

    def __init__(self, source):
        self.source = source
        # id(step or expression) -> (line, column): where a later rule violation points.
        # Only used while parsing, when every converted object is still alive.
        self.positions = {}
        self.loop_depth = 0  # loops around the statement being converted

    def error(self, message, construct, where):
        if isinstance(where, ast.AST) and not hasattr(where, "lineno"):
            where = None
        if isinstance(where, ast.AST):
            where = (getattr(where, "lineno", 0), getattr(where, "col_offset", -1) + 1)
        line, column = where if where else (0, 0)
        return ProgramSyntaxError(message, line, column, construct)

    def reject(self, node, message=None, construct=None):
        construct = construct or _construct_name(node)
        if message is None:
            text = _segment(self.source, node)
            message = f"{construct} is not supported" + (f": {text}" if text else "")
        raise _Reject(message, construct, node)

    def at(self, node, obj):
        self.positions[id(obj)] = (node.lineno, node.col_offset + 1)
        return obj

    def check_depth(self, node, depth):
        if depth > rules.MAX_DEPTH:
            self.reject(node, f"nested more than {rules.MAX_DEPTH} deep", "deep nesting")

    # ------------------------------------------------------------ statements
    def block(self, statements, depth):
        return tuple(self.statement_or_code(s, depth) for s in statements)

    def loop_body(self, statements, depth):
        self.loop_depth += 1
        try:
            return self.block(statements, depth)
        finally:
            self.loop_depth -= 1

    def statement_or_code(self, node, depth):
        """A step for ``node``; a ``Code`` step (its text) where blocks have no form."""
        try:
            step = self.statement(node, depth)
        except _Reject as refusal:
            return self.at(node, self.code_step(node, refusal))
        if not step.bodies():
            # A simple step that breaks a rule of the block model (``print = 3``) is
            # kept as Python text here, so its enclosing loop keeps its blocks.
            try:
                rules.validate_step(step, in_loop=self.loop_depth > 0, top_level=depth == 1)
            except SubsetViolation:
                return self.at(node, self.code_step(node))
        return step

    def code_step(self, node, refusal=None):
        source = statement_source(self.source, node)
        problem = statements_problem(source, in_loop=self.loop_depth > 0)
        if problem is not None:
            message, line, column = problem
            first = node.decorator_list[0].lineno if getattr(node, "decorator_list", None) \
                else node.lineno
            where = (first + line - 1, column + node.col_offset)
            construct = refusal.construct if refusal is not None else _construct_name(node)
            raise _Reject(message, construct, where)
        decorators = getattr(node, "decorator_list", None)
        return Code(source, line=decorators[0].lineno if decorators else node.lineno)

    def statement(self, node, depth):
        self.check_depth(node, depth)
        kind = type(node)
        line = {"line": node.lineno}
        if kind is ast.Import:
            return self.at(node, self.import_step(node))
        if kind is ast.ImportFrom:
            if node.module != "__future__" or node.level:
                text = _segment(self.source, node)
                self.reject(node, f"'{text}' is not supported (only 'import torch')",
                            f"from {node.module} import")
            return self.at(node, FutureImport(tuple(a.name for a in node.names), **line))
        if kind is ast.Assign:
            return self.at(node, self.assign(node, depth))
        if kind is ast.AugAssign:
            op = self.operator(node.op, _BINARY, node)
            target = self.assign_target_expression(node.target, depth)
            return self.at(node, AugAssign(target, op, self.expr(node.value, depth + 1), **line))
        if kind is ast.Expr:
            return self.at(node, ExprStatement(self.expr(node.value, depth + 1), **line))
        if kind is ast.With:
            return self.at(node, self.with_step(node, depth))
        if kind is ast.For:
            if node.orelse:
                self.reject(node, "for ... else is not supported", "for-else")
            targets, unpack = self.name_targets(node.target)
            return self.at(node, For(targets, self.expr(node.iter, depth + 1),
                                     self.loop_body(node.body, depth + 1), unpack, **line))
        if kind is ast.While:
            if node.orelse:
                self.reject(node, "while ... else is not supported", "while-else")
            return self.at(node, While(self.expr(node.test, depth + 1),
                                       self.loop_body(node.body, depth + 1), **line))
        if kind is ast.If:
            return self.at(node, If(self.expr(node.test, depth + 1), self.block(node.body, depth + 1),
                                    self.block(node.orelse, depth + 1), **line))
        if kind is ast.Pass:
            return self.at(node, Pass(**line))
        if kind is ast.Break:
            return self.at(node, Break(**line))
        if kind is ast.Continue:
            return self.at(node, Continue(**line))
        self.reject(node)

    def import_step(self, node):
        if len(node.names) != 1:
            self.reject(node, "import one module per line ('import torch')", "import")
        alias = node.names[0]
        if alias.name == "torch" and alias.asname in (None, "torch"):
            return Import("torch", alias.asname, line=node.lineno)
        if alias.name == "engine" and alias.asname == "torch":
            return Import("engine", "torch", line=node.lineno)
        text = _segment(self.source, node)
        self.reject(node, f"'{text}' is not supported (only 'import torch' or "
                    "'import engine as torch')", text)

    def assign(self, node, depth):
        if len(node.targets) != 1:
            self.reject(node, "chained assignment (a = b = ...) is not supported",
                        "chained assignment")
        target = node.targets[0]
        value = self.expr(node.value, depth + 1)
        if type(target) is ast.Attribute:
            return AttrAssign(self.expr(target, depth + 1), value, line=node.lineno)
        if type(target) is ast.Subscript:
            return IndexAssign(self.expr(target, depth + 1), value, line=node.lineno)
        targets, unpack = self.name_targets(target)
        return Assign(targets, value, unpack, line=node.lineno)

    def name_targets(self, target):
        if type(target) is ast.Name:
            return (target.id,), False
        if type(target) in (ast.Tuple, ast.List) and target.elts \
                and all(type(e) is ast.Name for e in target.elts):
            return tuple(e.id for e in target.elts), True
        self.reject(target, "only names (or a tuple of names) can be assigned here",
                    "assignment target")

    def assign_target_expression(self, target, depth):
        if type(target) is ast.Name:
            return self.at(target, Name(target.id))
        if type(target) in (ast.Attribute, ast.Subscript):
            return self.expr(target, depth + 1)
        self.reject(target, "augmented assignment needs a name, attribute or index target",
                    "assignment target")

    def with_step(self, node, depth):
        if len(node.items) != 1:
            self.reject(node, "one context per 'with'", "with")
        item = node.items[0]
        if item.optional_vars is not None:
            self.reject(node, "'with ... as name' is not supported", "with-as")
        context = self.expr(item.context_expr, depth + 1)
        return With(context, self.block(node.body, depth + 1), line=node.lineno)

    # ----------------------------------------------------------- expressions
    def operator(self, op, table, node):
        symbol = table.get(type(op))
        if symbol is None:
            name = _CONSTRUCT_NAMES.get(type(op), type(op).__name__)
            self.reject(node, f"operator {name} is not supported", f"operator {name}")
        return symbol

    def expr(self, node, depth):
        """The expression tree of ``node``; Python text (``PyExpr``) where blocks have no form."""
        if type(node) is ast.FormattedValue:  # part of an f-string: the f-string falls back whole
            return self.structured_expr(node, depth)
        try:
            result = self.structured_expr(node, depth)
            if type(node) is not ast.Lambda:  # a hook lambda is checked with its call
                rules.validate_expression(result)
            return result
        except (_Reject, SubsetViolation) as refusal:
            return self.at(node, self.python_expr(node, refusal))

    def structured_expr(self, node, depth):
        self.check_depth(node, depth)
        method = getattr(self, "expr_" + type(node).__name__, None)
        if method is None:
            self.reject(node)
        return self.at(node, method(node, depth + 1))

    def python_expr(self, node, refusal):
        source = ast.unparse(node)
        problem = check_expression(source)
        if problem is not None:
            # Point at the offending node itself: check it in place.
            try:
                validate_tree(node)
            except SandboxSyntaxError as error:
                raise _Reject(error.message, error.construct, (error.line, error.column)) \
                    from None
            construct = getattr(refusal, "construct", "") or _construct_name(node)
            raise _Reject(problem, construct, node)
        return PyExpr(source)

    def exprs(self, nodes, depth):
        return tuple(self.expr(n, depth) for n in nodes)

    def expr_Name(self, node, depth):
        return Name(node.id)

    def expr_Constant(self, node, depth):
        if node.value is Ellipsis:
            return EllipsisLiteral()
        if type(node.value) not in (int, float, bool, str, type(None)):
            kind = type(node.value).__name__
            self.reject(node, f"{kind} literals are not supported", f"{kind} literal")
        return Constant(node.value)

    def expr_Tuple(self, node, depth):
        return TupleExpr(self.exprs(node.elts, depth))

    def expr_List(self, node, depth):
        return ListExpr(self.exprs(node.elts, depth))

    def module_path(self, node):
        """("torch", "nn", ...) when ``node`` is an attribute chain rooted at ``torch``."""
        parts = []
        while type(node) is ast.Attribute:
            parts.append(node.attr)
            node = node.value
        if type(node) is ast.Name and node.id == "torch":
            return ("torch",) + tuple(reversed(parts))
        return None

    def expr_Attribute(self, node, depth):
        path = self.module_path(node)
        if path is not None:
            return ModulePath(path)
        return Attribute(self.expr(node.value, depth), node.attr)

    def expr_Subscript(self, node, depth):
        return Subscript(self.expr(node.value, depth), self.expr(node.slice, depth))

    def expr_Slice(self, node, depth):
        parts = [None if p is None else self.expr(p, depth) for p in (node.lower, node.upper,
                                                                     node.step)]
        return Slice(*parts)

    def expr_Call(self, node, depth):
        for arg in node.args:
            if type(arg) is ast.Starred:
                self.reject(arg, "star-args (*args) are not supported", "star-args")
        for kw in node.keywords:
            if kw.arg is None:
                self.reject(node, "star-args (**kwargs) are not supported", "star-args")
        args = self.exprs(node.args, depth)
        keywords = tuple(self.at(kw, Keyword(kw.arg, self.expr(kw.value, depth)))
                         for kw in node.keywords)
        func = node.func
        if type(func) is ast.Name:
            return FunctionCall((func.id,), args, keywords)
        if type(func) is ast.Attribute:
            path = self.module_path(func)
            if path is not None:
                return FunctionCall(path, args, keywords)
            return MethodCall(self.expr(func.value, depth), func.attr, args, keywords)
        self.reject(node, "only functions and methods can be called", "call")

    def expr_BinOp(self, node, depth):
        op = self.operator(node.op, _BINARY, node)
        return BinOp(op, self.expr(node.left, depth), self.expr(node.right, depth))

    def expr_UnaryOp(self, node, depth):
        return UnaryOp(self.operator(node.op, _UNARY, node), self.expr(node.operand, depth))

    def expr_Compare(self, node, depth):
        ops = tuple(self.operator(op, _COMPARE, node) for op in node.ops)
        return Compare(self.expr(node.left, depth), ops, self.exprs(node.comparators, depth))

    def expr_BoolOp(self, node, depth):
        return BoolOp(self.operator(node.op, _BOOL, node), self.exprs(node.values, depth))

    def expr_IfExp(self, node, depth):
        return IfExp(self.expr(node.test, depth), self.expr(node.body, depth),
                     self.expr(node.orelse, depth))

    def expr_Lambda(self, node, depth):
        args = node.args
        if (args.vararg or args.kwarg or args.kwonlyargs or args.defaults or args.kw_defaults
                or args.posonlyargs):
            self.reject(node, "a hook lambda takes one plain parameter", "lambda parameters")
        return Lambda(tuple(a.arg for a in args.args), self.expr(node.body, depth))

    def expr_JoinedStr(self, node, depth):
        parts = []
        for value in node.values:
            if type(value) is ast.Constant:
                parts.append(self.at(value, Constant(value.value)))
            else:
                parts.append(self.expr(value, depth))
        return FString(tuple(parts))

    def expr_FormattedValue(self, node, depth):
        conversion = None if node.conversion == -1 else chr(node.conversion)
        spec = None
        if node.format_spec is not None:
            values = node.format_spec.values
            if not all(type(v) is ast.Constant for v in values):
                self.reject(node, "only plain format specs like :.3f are supported",
                            "f-string spec")
            spec = "".join(v.value for v in values)
        return FormattedValue(self.expr(node.value, depth), conversion, spec)
