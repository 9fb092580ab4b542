"""Python's scoping rules for the sandbox: which names a function binds locally.

A name assigned anywhere in a function body is local to it for the whole body
(unless declared ``global`` or ``nonlocal``); comprehensions have a scope of
their own; class bodies are looked up first but are invisible to the methods
defined in them. ``local_names`` computes the sets once per function node.
"""
import ast

MODULE, FUNCTION, CLASS, COMPREHENSION = "module", "function", "class", "comprehension"


class Scope:
    __slots__ = ("values", "parent", "kind", "local_names", "globals_declared",
                 "nonlocals_declared", "yields", "function")

    def __init__(self, kind, values, parent=None, local_names=frozenset(),
                 globals_declared=frozenset(), nonlocals_declared=frozenset()):
        self.kind = kind
        self.values = values
        self.parent = parent
        self.local_names = local_names
        self.globals_declared = globals_declared
        self.nonlocals_declared = nonlocals_declared
        self.yields = None  # a list while a generator function's body runs
        self.function = None  # the SandboxFunction whose call this scope is

    def function_scope(self):
        """The nearest scope that is not a comprehension (where ``:=`` binds)."""
        scope = self
        while scope.kind == COMPREHENSION:
            scope = scope.parent
        return scope


class _Binder(ast.NodeVisitor):
    """Collects the names a body binds, without entering nested scopes."""

    def __init__(self):
        self.bound = set()
        self.globals = set()
        self.nonlocals = set()
        self.yields = False

    def visit_Name(self, node):
        if isinstance(node.ctx, (ast.Store, ast.Del)):
            self.bound.add(node.id)

    def visit_FunctionDef(self, node):
        self.bound.add(node.name)
        for decorator in node.decorator_list:
            self.visit(decorator)
        for default in node.args.defaults + [d for d in node.args.kw_defaults if d is not None]:
            self.visit(default)

    def visit_ClassDef(self, node):
        self.bound.add(node.name)
        for expr in node.bases + node.decorator_list:
            self.visit(expr)

    def visit_Lambda(self, node):
        for default in node.args.defaults + [d for d in node.args.kw_defaults if d is not None]:
            self.visit(default)

    def _comprehension(self, node):
        # Only the first iterable runs in this scope; a walrus inside binds here.
        self.visit(node.generators[0].iter)
        for inner in ast.walk(node):
            if isinstance(inner, ast.NamedExpr) and isinstance(inner.target, ast.Name):
                self.bound.add(inner.target.id)

    visit_ListComp = visit_SetComp = visit_DictComp = visit_GeneratorExp = _comprehension

    def visit_Import(self, node):
        for alias in node.names:
            self.bound.add(alias.asname or alias.name.split(".")[0])

    visit_ImportFrom = visit_Import

    def visit_ExceptHandler(self, node):
        if node.name:
            self.bound.add(node.name)
        self.generic_visit(node)

    def visit_Global(self, node):
        self.globals.update(node.names)

    def visit_Nonlocal(self, node):
        self.nonlocals.update(node.names)

    def visit_Yield(self, node):
        self.yields = True
        self.generic_visit(node)

    visit_YieldFrom = visit_Yield


class FunctionInfo:
    """What a function body binds: computed once per definition node."""

    __slots__ = ("local_names", "globals_declared", "nonlocals_declared", "is_generator",
                 "parameters")

    def __init__(self, node):
        binder = _Binder()
        body = node.body if isinstance(node.body, list) else [node.body]
        for statement in body:
            binder.visit(statement)
        arguments = node.args
        parameters = [a.arg for a in arguments.posonlyargs + arguments.args + arguments.kwonlyargs]
        if arguments.vararg:
            parameters.append(arguments.vararg.arg)
        if arguments.kwarg:
            parameters.append(arguments.kwarg.arg)
        self.parameters = tuple(parameters)
        self.globals_declared = frozenset(binder.globals)
        self.nonlocals_declared = frozenset(binder.nonlocals)
        self.local_names = frozenset((binder.bound | set(parameters))
                                     - binder.globals - binder.nonlocals)
        self.is_generator = binder.yields and not isinstance(node, ast.Lambda)


_INFO_CACHE = {}


def function_info(node):
    info = _INFO_CACHE.get(id(node))
    if info is None or info[0] is not node:
        info = (node, FunctionInfo(node))
        _INFO_CACHE[id(node)] = info
        if len(_INFO_CACHE) > 50_000:
            _INFO_CACHE.clear()
            _INFO_CACHE[id(node)] = info
    return info[1]


def comprehension_targets(node):
    names = set()
    for generator in node.generators:
        for inner in ast.walk(generator.target):
            if isinstance(inner, ast.Name):
                names.add(inner.id)
    return frozenset(names)
