"""Python text kept as text: the statements and expressions blocks have no form for.

``Code`` steps (``def``, ``class``, ``try`` ...) and ``PyExpr`` operands
(``model(x)``, ``[p for p in ps]``) hold their source. This module parses such
text once (cached), checks it with the sandbox's static rules, and answers
what it reads and binds, so the timeline and the block editor treat it like
any other step.
"""
import ast
import functools
import warnings

from .sandbox.validate import SandboxSyntaxError, validate_tree


def quiet_parse(source, mode):
    """``ast.parse`` without the warnings Python gives about the text itself (an invalid
    escape such as "\\s" in a docstring): they say nothing about the program's run, and
    where warnings are errors they would refuse valid code."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SyntaxWarning)
        warnings.simplefilter("ignore", DeprecationWarning)
        return ast.parse(source, mode=mode)


@functools.lru_cache(maxsize=4096)
def parse_statements(source, in_loop=True):
    """The checked statement list of ``source`` (raises SyntaxError or SandboxSyntaxError).

    ``in_loop``: whether top-level ``break``/``continue`` may appear (the text
    sits in a loop of the program); a run takes the loop's word for it.
    """
    tree = quiet_parse(source, "exec")
    validate_tree(tree, in_loop=in_loop)
    return tuple(tree.body)


@functools.lru_cache(maxsize=4096)
def parse_expression(source):
    """The checked expression tree of ``source``."""
    tree = quiet_parse(source.strip(), "eval")
    validate_tree(tree)
    return tree.body


def check_statements(source, in_loop=False):
    """None when ``source`` runs in the sandbox, else the reason (for validators)."""
    problem = statements_problem(source, in_loop)
    return None if problem is None else problem[0]


def statements_problem(source, in_loop=False):
    """None, or (message, line, column) of what keeps ``source`` from running (1-based,
    within ``source``)."""
    try:
        parse_statements(source, in_loop)
    except SandboxSyntaxError as error:
        return error.message, error.line, error.column
    except SyntaxError as error:
        return f"invalid Python: {error.msg}", error.lineno or 1, error.offset or 1
    except (ValueError, RecursionError, MemoryError) as error:
        return f"invalid source: {error}", 1, 1
    return None


def check_expression(source):
    try:
        parse_expression(source)
    except (SyntaxError, SandboxSyntaxError, ValueError, RecursionError, MemoryError) as error:
        return getattr(error, "message", None) or getattr(error, "msg", None) or str(error)
    return None


def _ordered(names):
    seen = []
    for name in names:
        if name not in seen:
            seen.append(name)
    return tuple(seen)


def _walk(nodes):
    for node in nodes:
        yield from ast.walk(node)


def names_loaded(nodes):
    """Names read anywhere in ``nodes``, in order (parameters of inner functions included)."""
    return _ordered(n.id for n in _walk(nodes) if type(n) is ast.Name
                    and type(n.ctx) is ast.Load)


def names_bound(statements):
    """Names the statements bind at their own level: assignments, def, class, import, for."""
    bound = []
    for statement in statements:
        for node in _top_level_nodes(statement):
            if type(node) is ast.Name and type(node.ctx) is ast.Store:
                bound.append(node.id)
            elif type(node) in (ast.FunctionDef, ast.ClassDef):
                bound.append(node.name)
            elif type(node) in (ast.Import, ast.ImportFrom):
                bound.extend(a.asname or a.name.split(".")[0] for a in node.names if a.name != "*")
            elif type(node) is ast.ExceptHandler and node.name:
                bound.append(node.name)
    return _ordered(bound)


def names_mutated(statements):
    """Variables whose value a statement changes through an attribute or index."""
    roots = []
    for statement in statements:
        for node in _top_level_nodes(statement):
            if type(node) in (ast.Attribute, ast.Subscript) and type(node.ctx) in (ast.Store,
                                                                                  ast.Del):
                base = node
                while type(base) in (ast.Attribute, ast.Subscript):
                    base = base.value
                if type(base) is ast.Name:
                    roots.append(base.id)
    return _ordered(roots)


def _top_level_nodes(statement):
    """Nodes of ``statement`` outside nested function, lambda and class bodies."""
    stack = [statement]
    while stack:
        node = stack.pop()
        yield node
        if type(node) in (ast.FunctionDef, ast.Lambda) and node is not statement:
            continue
        if type(node) in (ast.FunctionDef, ast.ClassDef):
            stack.extend(node.decorator_list)
            if type(node) is ast.ClassDef:
                stack.extend(node.bases)
            continue
        if type(node) in (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp):
            continue
        stack.extend(ast.iter_child_nodes(node))


def statement_source(source, node):
    """The exact text of a parsed statement (comments inside it kept), dedented to column 0."""
    lines = source.splitlines(keepends=True)
    decorators = getattr(node, "decorator_list", None) or ()
    first = (decorators[0].lineno if decorators else node.lineno) - 1
    last = node.end_lineno
    indent = node.col_offset
    head = lines[first].encode()[:indent].decode(errors="ignore")
    tail = lines[last - 1].encode()[node.end_col_offset:].decode(errors="ignore")
    if head.strip() or tail.strip() and not tail.strip().startswith("#"):
        return ast.get_source_segment(source, node) or ast.unparse(node)  # shares its line
    text = "".join(line[indent:] if line[:indent].strip() == "" else line.lstrip()
                   for line in lines[first:last])
    return text.rstrip()
