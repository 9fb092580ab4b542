"""Static checks on a syntax tree before the sandbox runs any of it.

The interpreter checks every value it touches at run time; these checks
refuse, up front and with the line, what no run may do: machinery names,
``async``, ``match``, ``metaclass=`` and other class keywords, and trees
nested too deeply to walk safely.
"""
import ast

from .names import PROTOCOL_METHODS, attribute_name_allowed, variable_name_allowed

MAX_NESTING = 100

_REFUSED = {
    ast.AsyncFunctionDef: "async def", ast.AsyncFor: "async for", ast.AsyncWith: "async with",
    ast.Await: "await", ast.Match: "match",
}
if hasattr(ast, "TryStar"):
    _REFUSED[ast.TryStar] = "try ... except*"


class SandboxSyntaxError(Exception):
    """A construct the sandbox refuses; ``line``/``column`` are 1-based."""

    def __init__(self, message, node=None, construct=""):
        self.message = message
        self.line = getattr(node, "lineno", 0) or 0
        self.column = (getattr(node, "col_offset", -1) or 0) + 1 if node is not None else 0
        self.construct = construct
        super().__init__(message)


def validate_tree(tree, in_loop=False):
    """Raise ``SandboxSyntaxError`` for the first refused construct in ``tree``.

    ``in_loop``: the text sits inside a loop of the program, so ``break`` and
    ``continue`` at its top level are the loop's.
    """
    _Validator().visit_tree(tree, in_loop)


_FUNCTIONS = (ast.FunctionDef, ast.Lambda)
_LOOPS = (ast.For, ast.While)


class _Validator:
    def visit_tree(self, tree, in_loop):
        # An explicit stack (depth tracked per node) keeps a hostile, deeply
        # nested tree from exhausting Python's own recursion.
        stack = [(tree, 0, False, False, in_loop)]
        while stack:
            node, depth, in_class, in_function, in_loop = stack.pop()
            if depth > MAX_NESTING:
                raise SandboxSyntaxError(f"nested more than {MAX_NESTING} deep", node,
                                         "deep nesting")
            self.check(node, in_class)
            self.check_context(node, in_function, in_loop)
            kind = type(node)
            child_in_class = kind is ast.ClassDef
            if kind in _FUNCTIONS:
                in_function, in_loop = True, False
            elif kind is ast.ClassDef:
                in_function, in_loop = False, False
            for child in ast.iter_child_nodes(node):
                child_loop = in_loop or (kind in _LOOPS and child not in node.orelse
                                         and child is not getattr(node, "test", None)
                                         and child is not getattr(node, "iter", None))
                stack.append((child, depth + 1, child_in_class and isinstance(child, ast.stmt),
                              in_function, child_loop))

    def check_context(self, node, in_function, in_loop):
        kind = type(node)
        if kind in (ast.Return, ast.Yield, ast.YieldFrom, ast.Nonlocal) and not in_function:
            word = {ast.Return: "return", ast.Yield: "yield", ast.YieldFrom: "yield from",
                    ast.Nonlocal: "nonlocal"}[kind]
            raise SandboxSyntaxError(f"'{word}' outside function", node, word)
        if kind in (ast.Break, ast.Continue) and not in_loop:
            word = "break" if kind is ast.Break else "continue"
            raise SandboxSyntaxError(f"'{word}' outside loop", node, word)

    def check(self, node, in_class):
        kind = type(node)
        if kind in _REFUSED:
            raise SandboxSyntaxError(f"{_REFUSED[kind]} is not supported", node, _REFUSED[kind])
        if kind is ast.Name:
            if not variable_name_allowed(node.id):
                raise SandboxSyntaxError(f"the name '{node.id}' is not available", node,
                                         f"name {node.id}")
        elif kind is ast.Attribute:
            if not attribute_name_allowed(node.attr):
                raise SandboxSyntaxError(f"the attribute '{node.attr}' is not available", node,
                                         f"attribute {node.attr}")
        elif kind in (ast.FunctionDef, ast.ClassDef):
            if not variable_name_allowed(node.name, defining_in_class=in_class):
                what = "method" if in_class else "name"
                raise SandboxSyntaxError(f"the {what} '{node.name}' cannot be defined here", node,
                                         f"def {node.name}")
            if kind is ast.ClassDef and node.keywords:
                raise SandboxSyntaxError("class keywords (metaclass=...) are not supported", node,
                                         "class keywords")
        elif kind is ast.arg:
            if not variable_name_allowed(node.arg):
                raise SandboxSyntaxError(f"the name '{node.arg}' is not available", node,
                                         f"name {node.arg}")
        elif kind is ast.alias:
            bound = node.asname or node.name.split(".")[0]
            if not variable_name_allowed(bound) or node.name.startswith("_"):
                raise SandboxSyntaxError(f"'{node.name}' cannot be imported", node,
                                         f"import {node.name}")
        elif kind in (ast.Global, ast.Nonlocal):
            for name in node.names:
                if not variable_name_allowed(name):
                    raise SandboxSyntaxError(f"the name '{name}' is not available", node,
                                             f"name {name}")
        elif kind is ast.keyword and node.arg is not None and node.arg.startswith("__"):
            raise SandboxSyntaxError(f"the keyword '{node.arg}' is not available", node,
                                     f"keyword {node.arg}")
        elif kind is ast.ExceptHandler and node.name and not variable_name_allowed(node.name):
            raise SandboxSyntaxError(f"the name '{node.name}' is not available", node,
                                     f"name {node.name}")
        elif kind in (ast.Assign, ast.AnnAssign, ast.AugAssign) and in_class:
            targets = node.targets if kind is ast.Assign else [node.target]
            for target in targets:
                if type(target) is ast.Name and target.id.startswith("__") \
                        and target.id not in PROTOCOL_METHODS:
                    raise SandboxSyntaxError(f"'{target.id}' cannot be set in a class body",
                                             target, f"name {target.id}")
