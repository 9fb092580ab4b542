"""The subset's rules, checked on the step tree.

The parser and the JSON loader both build steps and then call
``validate_program``, so a file can never carry a construct the parser would
reject. A violation raises ``SubsetViolation`` whose ``node`` is the offending
expression or step (the parser maps it back to a line and column) and whose
``path`` is the step's position in the program.
"""
from . import whitelist
from .checks import (
    _fail,
    _Violation,
    check_attribute,
    check_constant,
    check_function_path,
    check_method,
    check_value_path,
    check_variable_name,
)
from .expressions import (
    BINARY_OPERATORS,
    BOOL_OPERATORS,
    COMPARE_OPERATORS,
    UNARY_OPERATORS,
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
from .python_text import check_expression, check_statements
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

MAX_DEPTH = 50              # nesting of expressions and blocks together
MAX_SEQUENCE_LITERAL = 10_000
MAX_TARGETS = 100
MAX_ARGUMENTS = 100
MAX_FORMAT_SPEC = 50
MAX_STEPS = 20_000
MAX_NODES = 500_000
MAX_CODE_CHARS = 200_000


class _Checker:
    """Walks steps and expressions, applying every rule."""

    def __init__(self):
        self.nodes = 0
        self.steps = 0

    # ------------------------------------------------------------ steps
    def steps_block(self, steps, depth, in_loop, offset=0, top_level=False):
        """Check a block; ``offset`` numbers an else block after its if-body (see Frame.path)."""
        if type(steps) is not tuple:
            _fail("a block must be a sequence of steps", "block", None)
        seen_other = False
        for index, step in enumerate(steps):
            try:
                self.step(step, depth, in_loop, top_level, seen_other)
            except _Violation as violation:
                violation.path = (offset + index,) + violation.path
                raise
            if type(step) is not FutureImport:
                seen_other = True

    def step(self, step, depth, in_loop, top_level, seen_other):
        self.steps += 1
        if self.steps > MAX_STEPS:
            _fail(f"a program has at most {MAX_STEPS} steps", "too many steps", step)
        if depth > MAX_DEPTH:
            _fail(f"blocks are nested more than {MAX_DEPTH} deep", "deep nesting", step)
        if type(step.line) is not int or type(step.disabled) is not bool:
            _fail("a step's line must be an int and disabled a bool", "step fields", step)
        kind = type(step)
        if kind is Import:
            self.import_step(step, top_level)
        elif kind is FutureImport:
            self.future_import(step, top_level, seen_other)
        elif kind is Assign:
            self.targets(step.targets, step.unpack, step)
            self.expr(step.value, depth + 1)
        elif kind is AugAssign:
            self.aug_assign(step, depth)
        elif kind is AttrAssign:
            self.attr_target(step.target, step, depth)
            self.expr(step.value, depth + 1)
        elif kind is IndexAssign:
            if type(step.target) is not Subscript:
                _fail("an index assignment needs a subscript target", "assignment target", step)
            self.expr(step.target, depth + 1)
            self.expr(step.value, depth + 1)
        elif kind is ExprStatement:
            if type(step.value) not in (FunctionCall, MethodCall, PyExpr):
                _fail("an expression on its own line does nothing; only calls are steps "
                      "(use print(...) to show a value)", "expression statement", step.value)
            self.expr(step.value, depth + 1)
        elif kind is With:
            self.with_context(step.context, step)
            self.expr(step.context, depth + 1)
            self.body(step.body, depth, in_loop, step)
        elif kind is For:
            self.targets(step.targets, step.unpack, step)
            self.expr(step.iterable, depth + 1)
            self.body(step.body, depth, True, step)
        elif kind is While:
            self.expr(step.condition, depth + 1)
            self.body(step.body, depth, True, step)
        elif kind is If:
            self.expr(step.condition, depth + 1)
            self.body(step.body, depth, in_loop, step)
            if type(step.orelse) is not tuple:
                _fail("an else block must be a sequence of steps", "else", step)
            self.steps_block(step.orelse, depth + 1, in_loop, offset=len(step.body))
        elif kind is Code:
            if type(step.source) is not str or len(step.source) > MAX_CODE_CHARS:
                _fail("a code block holds Python text", "code block", step)
            problem = check_statements(step.source, in_loop)
            if problem is not None:
                _fail(problem, "code block", step)
        elif kind in (Break, Continue):
            if not in_loop:
                word = "break" if kind is Break else "continue"
                _fail(f"'{word}' outside a loop", word, step)
        elif kind is not Pass:
            _fail(f"{kind.__name__} is not a step", "unknown step", step)

    def body(self, steps, depth, in_loop, step):
        if type(steps) is not tuple or not steps:
            _fail("a block needs at least one step (use pass)", "empty block", step)
        self.steps_block(steps, depth + 1, in_loop)

    def import_step(self, step, top_level):
        if not top_level:
            _fail("import is only supported at the top level", "nested import", step)
        if step.module not in whitelist.IMPORTABLE:
            _fail(f"'import {step.module}' is not supported (only 'import torch' or "
                  "'import engine as torch')", f"import {step.module}", step)
        if step.alias not in (None, "torch") or (step.module == "engine" and step.alias is None):
            _fail("the module must be bound to the name 'torch'", f"import as {step.alias}", step)

    def future_import(self, step, top_level, seen_other):
        if not top_level or seen_other:
            _fail("from __future__ imports must come first", "late __future__ import", step)
        if type(step.features) is not tuple or not step.features:
            _fail("a __future__ import needs features", "from __future__ import", step)
        for feature in step.features:
            if feature not in whitelist.FUTURE_FEATURES:
                _fail(f"future feature {feature!r} is not supported",
                      f"from __future__ import {feature}", step)

    def targets(self, targets, unpack, step):
        if type(targets) is not tuple or not targets or type(unpack) is not bool:
            _fail("an assignment needs target names", "assignment target", step)
        if not unpack and len(targets) != 1:
            _fail("several targets need unpacking", "assignment target", step)
        if len(targets) > MAX_TARGETS:
            _fail(f"at most {MAX_TARGETS} targets", "assignment target", step)
        for name in targets:
            check_variable_name(name, step, binding=True)

    def aug_assign(self, step, depth):
        if step.op not in BINARY_OPERATORS:
            _fail(f"operator {step.op!r}= is not supported", f"{step.op}=", step)
        target = step.target
        if type(target) is Name:
            check_variable_name(target.id, target, binding=True)
        elif type(target) is Attribute:
            self.attr_target(target, step, depth)
        elif type(target) is Subscript:
            self.expr(target, depth + 1)
        else:
            _fail("augmented assignment needs a name, attribute or index target",
                  "assignment target", step)
        self.expr(step.value, depth + 1)

    def attr_target(self, target, step, depth):
        if type(target) is not Attribute:
            _fail("an attribute assignment needs an attribute target", "assignment target", step)
        if target.attr not in whitelist.WRITABLE_TENSOR_ATTRIBUTES:
            _fail(f"assigning to .{target.attr} is not supported (only .grad, .data and "
                  ".requires_grad)", f"assignment to .{target.attr}", target)
        self.expr(target.value, depth + 1)

    def with_context(self, context, step):
        if (type(context) is not FunctionCall or context.path[:1] != ("torch",)
                or tuple(context.path[1:]) not in whitelist.GRAD_MODE_FUNCTIONS):
            _fail("'with' supports only torch.no_grad(), torch.enable_grad() and "
                  "torch.set_grad_enabled(...)", "with", context)

    # ------------------------------------------------------ expressions
    def expr(self, node, depth, in_hook=False, hook_arg=False):
        self.nodes += 1
        if self.nodes > MAX_NODES:
            _fail("the program is too large", "too many expression nodes", node)
        if depth > MAX_DEPTH:
            _fail(f"expressions are nested more than {MAX_DEPTH} deep", "deep nesting", node)
        kind = type(node)
        if kind is Name:
            check_variable_name(node.id, node)
        elif kind is Constant:
            check_constant(node.value, node)
        elif kind is EllipsisLiteral:
            pass
        elif kind is ModulePath:
            check_value_path(node.path, node)
        elif kind in (TupleExpr, ListExpr):
            if type(node.elements) is not tuple or len(node.elements) > MAX_SEQUENCE_LITERAL:
                _fail(f"a list or tuple literal has at most {MAX_SEQUENCE_LITERAL} elements",
                      "large literal", node)
            self.each(node.elements, depth, in_hook)
        elif kind is Attribute:
            check_attribute(node.attr, node)
            self.expr(node.value, depth + 1, in_hook)
        elif kind is Subscript:
            self.expr(node.value, depth + 1, in_hook)
            self.expr(node.index, depth + 1, in_hook)
        elif kind is Slice:
            for part in (node.lower, node.upper, node.step):
                if part is not None:
                    self.expr(part, depth + 1, in_hook)
        elif kind is FunctionCall:
            check_function_path(node.path, node)
            if in_hook and node.path[-1] in whitelist.FORBIDDEN_IN_HOOKS:
                _fail(f"a hook cannot call {node.dotted}", f"{node.dotted} in a hook", node)
            self.call_arguments(node, depth, in_hook, hook_call=False)
        elif kind is MethodCall:
            check_method(node.method, node)
            if in_hook and node.method in whitelist.FORBIDDEN_IN_HOOKS:
                _fail(f"a hook cannot call .{node.method}()", f".{node.method} in a hook", node)
            self.expr(node.receiver, depth + 1, in_hook)
            self.call_arguments(node, depth, in_hook,
                                hook_call=node.method in whitelist.HOOK_METHODS)
        elif kind is BinOp:
            if node.op not in BINARY_OPERATORS:
                _fail(f"operator {node.op!r} is not supported", f"operator {node.op}", node)
            self.each((node.left, node.right), depth, in_hook)
        elif kind is UnaryOp:
            if node.op not in UNARY_OPERATORS:
                _fail(f"operator {node.op!r} is not supported", f"operator {node.op}", node)
            self.expr(node.operand, depth + 1, in_hook)
        elif kind is Compare:
            if (type(node.ops) is not tuple or not node.ops or type(node.comparators) is not tuple
                    or len(node.ops) != len(node.comparators)
                    or any(op not in COMPARE_OPERATORS for op in node.ops)):
                _fail("unsupported comparison", "comparison", node)
            self.each((node.left,) + node.comparators, depth, in_hook)
        elif kind is BoolOp:
            if node.op not in BOOL_OPERATORS or type(node.values) is not tuple \
                    or len(node.values) < 2:
                _fail("unsupported boolean operation", "boolean operation", node)
            self.each(node.values, depth, in_hook)
        elif kind is IfExp:
            self.each((node.test, node.body, node.orelse), depth, in_hook)
        elif kind is Lambda:
            self.lambda_expr(node, depth, in_hook, hook_arg)
        elif kind is FString:
            self.fstring(node, depth, in_hook)
        elif kind is PyExpr:
            if type(node.source) is not str or len(node.source) > MAX_CODE_CHARS:
                _fail("a Python operand holds Python text", "python operand", node)
            problem = check_expression(node.source)
            if problem is not None:
                _fail(problem, "python operand", node)
        else:
            _fail(f"{kind.__name__} is not a supported expression", "expression", node)

    def each(self, nodes, depth, in_hook):
        for child in nodes:
            self.expr(child, depth + 1, in_hook)

    def call_arguments(self, node, depth, in_hook, hook_call):
        if type(node.args) is not tuple or type(node.keywords) is not tuple:
            _fail("call arguments must be sequences", "call", node)
        if len(node.args) + len(node.keywords) > MAX_ARGUMENTS:
            _fail(f"a call takes at most {MAX_ARGUMENTS} arguments", "call", node)
        for arg in node.args:
            self.expr(arg, depth + 1, in_hook, hook_arg=hook_call)
        names = set()
        for kw in node.keywords:
            if type(kw) is not Keyword:
                _fail("keyword arguments must be name=value", "keyword", kw)
            if type(kw.name) is not str or not kw.name.isidentifier() or kw.name.startswith("_"):
                _fail(f"keyword {kw.name!r} is not supported", f"keyword {kw.name}", kw)
            if kw.name in names:
                _fail(f"keyword argument repeated: {kw.name}", f"keyword {kw.name}", kw)
            names.add(kw.name)
            if type(node) is FunctionCall and node.path == ("print",) \
                    and kw.name not in whitelist.PRINT_KEYWORDS:
                _fail(f"print(..., {kw.name}=...) is not supported (only sep, end, flush)",
                      f"print keyword {kw.name}", kw)
            self.expr(kw.value, depth + 1, in_hook, hook_arg=hook_call)

    def lambda_expr(self, node, depth, in_hook, hook_arg):
        if not hook_arg or in_hook:
            _fail("lambda is only supported as the hook of register_hook(...)", "lambda", node)
        if type(node.params) is not tuple or len(node.params) != 1:
            _fail("a hook lambda takes exactly one parameter", "lambda parameters", node)
        check_variable_name(node.params[0], node, binding=True)
        self.expr(node.body, depth + 1, in_hook=True)

    def fstring(self, node, depth, in_hook):
        if type(node.parts) is not tuple:
            _fail("f-string parts must be a sequence", "f-string", node)
        for part in node.parts:
            if type(part) is Constant and type(part.value) is str:
                check_constant(part.value, part)
            elif type(part) is FormattedValue:
                if part.conversion not in (None, "r", "s"):
                    _fail("only !r and !s conversions are supported", "f-string conversion", part)
                if part.spec is not None and (type(part.spec) is not str
                                              or len(part.spec) > MAX_FORMAT_SPEC
                                              or "{" in part.spec or "}" in part.spec):
                    _fail("only plain format specs like :.3f are supported", "f-string spec", part)
                self.expr(part.value, depth + 1, in_hook)
            else:
                _fail("unsupported f-string part", "f-string", part)


def validate_program(steps):
    """Check ``steps`` (a tuple of top-level steps) against every rule of the subset.

    Raises ``SubsetViolation`` (with ``node`` and ``path`` attributes).
    """
    _Checker().steps_block(steps, 1, False, top_level=True)


def validate_step(step, in_loop=False, top_level=True):
    """Check one simple step where it stands (inside a loop or not, at the top or not)."""
    _Checker().step(step, 1, in_loop, top_level=top_level, seen_other=False)


def validate_expression(expr):
    """Check one expression (for editors building steps piece by piece)."""
    _Checker().expr(expr, 1)
