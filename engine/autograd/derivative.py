"""A Function's derivative, written once as data, compiled into both of its backward paths.

A node class states, beside its forward, the gradient it sends to each input::

    class SinBackward0(Node):
        saved_fields = ("self",)
        gradients = {"self": "grad * cos(self)"}

Each value is a Python expression in ``grad`` (the gradient of the output),
the node's saved fields by their ``saved_fields`` names, Python numbers and
the names of the derivative namespace (``cos``, ``pow``, ``mul_scalar``, ...,
filled by ``engine/ops/derivative_math.py``); ``None`` for an input that gets
no gradient. Keys are the inputs' names, in ``next_functions`` order. From
this one text, at class creation:

- ``backward``: the expression on engine Tensors, so that ``create_graph=True``
  records it like any op (unless the class writes its own ``backward``);
- ``backward_arrays``: the same expression on bare arrays (NOTE [array
  gradients] in engine.py), taken whenever numpy's result dtype is PyTorch's
  (``agrees``), else declined for ``backward``. Both evaluate one expression in
  one order, so they agree bit for bit. A class that sets ``backward_arrays``
  itself (None, or a function) keeps it, with a comment on why numpy differs.
  Saved integer indices that only say where (``index_fields``) take no part in
  the dtype agreement;
- ``formula``: the expression as the inspector shows it;
- ``local_derivatives``: for an elementwise derivative, ∂output/∂input per
  input (the gradient with ``grad`` set to 1), which the chain-rule labels
  print with the saved values plugged in. A class may state ``local`` for
  inputs whose gradient is not elementwise (a mean's ``1 / self_sym_numel``).

Nothing here runs per backward call: the functions are compiled once.
"""
import ast
import copy
import weakref

import numpy as np

TENSOR_MATH = {}  # name -> function on engine Tensors (globals of every compiled backward)
ARRAY_MATH = {}  # name -> function on arrays (globals of every compiled backward_arrays)
ELEMENTWISE = set()  # namespace names that act element by element
# Node class name -> class, for tools that explain a graph by its names (weak: a custom
# Function's node class goes when the Function does).
NODE_CLASSES = weakref.WeakValueDictionary()


def register_math(name, on_tensors, on_arrays, elementwise=True, text=None, inline=(None, None)):
    """Add ``name`` to the derivative namespace: one function per path. ``text`` is what a
    call reads as in formulas, with ``{0}``, ``{1}``... for its arguments (``mul_scalar``
    is ``{0} * {1}``; a fused kernel shows the math it computes). ``inline``: templates
    the compiled tensor and array code use instead of a call (``{0}.T``), where a call
    would cost more than the step."""
    TENSOR_MATH[name] = on_tensors
    ARRAY_MATH[name] = on_arrays
    if elementwise:
        ELEMENTWISE.add(name)
    if text is not None:
        EXPANSIONS[name] = text
    for table, template in zip((_INLINE_TENSOR, _INLINE_ARRAY), inline):
        if template is not None:
            table[name] = template


_INLINE_TENSOR = {}
_INLINE_ARRAY = {}
EXPANSIONS = {}  # namespace name -> expression template it reads as


_NUMBER_TYPES = (bool, int, float)


def agrees(grad, *values):
    """True when numpy computes with ``grad`` and ``values`` in the dtype engine ops would.

    Same-dtype arrays and Python numbers do, and so do bool masks (in numpy as
    in PyTorch a bool operand leaves a float result's dtype alone); None (a
    value not needed) and non-numeric values (sizes, dims) do not take part.
    """
    dtype = grad.dtype
    if dtype.kind != "f":
        return False
    for value in values:
        if type(value) is np.ndarray:
            if value.dtype != dtype and value.dtype.kind != "b":  # a mask promotes nothing
                return False
        elif value is None or type(value) in _NUMBER_TYPES:
            continue
        elif getattr(value, "dtype", dtype) != dtype:  # a cupy array or a numpy scalar
            return False
    return True


ARRAY_MATH.update(_agrees=agrees, _ndarray=np.ndarray, _NUMBER_TYPES=_NUMBER_TYPES)


class Derivative:
    """The parsed ``gradients`` of one node class: texts and compiled evaluators."""

    __slots__ = ("name", "inputs", "gradients", "names", "_explicit", "_locals", "_local_code",
                 "_formula")

    def __init__(self, cls):
        spec = cls.gradients
        fields = tuple(cls.saved_fields)
        self.name = cls.__name__
        self.inputs = tuple(spec)
        self.gradients = tuple(spec.values())
        trees = [None if text is None else ast.parse(text, mode="eval").body for text in self.gradients]
        # The namespace names each formula calls, for the test that all of them exist.
        self.names = frozenset(node.id for tree in trees if tree is not None for node in ast.walk(tree)
                               if isinstance(node, ast.Name) and node.id != "grad" and node.id not in fields)
        self._explicit = getattr(cls, "local", {})
        self._locals = self._local_code = self._formula = None  # made on first use (the app's)

    def compile_into(self, cls):
        """Give ``cls`` the compiled ``backward`` and ``backward_arrays`` it does not write itself."""
        fields = tuple(cls.saved_fields)
        if "backward" not in cls.__dict__:
            cls.backward = _compile(cls, "backward", self.gradients, fields, "saved", TENSOR_MATH,
                                    _INLINE_TENSOR, check=False)
        if "backward_arrays" not in cls.__dict__:
            cls.backward_arrays = _compile(cls, "backward_arrays", self.gradients, fields, "saved_data",
                                           ARRAY_MATH, _INLINE_ARRAY, check=True)

    def formula(self):
        """The gradients as the inspector shows them: ``grad·cos(self)``, one per input."""
        texts = ["0" if text is None else pretty(ast.parse(text, mode="eval").body)
                 for text in self.gradients]
        if len(texts) == 1:
            return texts[0]
        return ",  ".join(f"{name}: {text}" for name, text in zip(self.inputs, texts))

    @property
    def locals(self):
        """∂output/∂input per input as expression text (None where not elementwise)."""
        if self._locals is None:
            texts, codes = [], []
            for name, gradient in zip(self.inputs, self.gradients):
                # Shown as the math it reads as; evaluated with the array path's own functions
                # at grad = 1.0 (so a fused kernel's value is the kernel's).
                text = self._explicit.get(name) or _local_of(gradient)
                code = self._explicit.get(name) or (gradient if text is not None else None)
                texts.append(text)
                codes.append(None if code is None else compile(code, f"<{self.name}>", "eval"))
            self._locals, self._local_code = tuple(texts), tuple(codes)
        return self._locals

    def local_text(self, slot, values):
        """∂output/∂input ``slot`` as text, each saved field replaced as ``values`` says
        (a display name or a number), constants folded; None when not elementwise."""
        text = self.locals[slot] if slot < len(self.locals) else None
        if text is None:
            return None
        # A display name need not be an identifier ("in", "x[0]"): placeholders stand in for
        # names while the formula is folded, the names go in last.
        names = {field: value for field, value in values.items() if isinstance(value, str)}
        placeholders = {field: f"_shown{i}_" for i, field in enumerate(names)}
        numbers = {field: value for field, value in values.items() if field not in names}
        tree = _Substitute({**numbers, **placeholders}).visit(ast.parse(text, mode="eval").body)
        shown = pretty(_Simplify().visit(tree))
        for field, placeholder in placeholders.items():
            shown = shown.replace(placeholder, names[field])
        return shown

    def local_value(self, slot, arrays):
        """∂output/∂input ``slot`` evaluated on ``arrays`` (field name -> number or array)."""
        self.locals  # noqa: B018 - compiles them on first use
        code = self._local_code[slot] if slot < len(self._local_code) else None
        if code is None:
            return None
        with np.errstate(all="ignore"):
            try:
                return eval(code, ARRAY_MATH, {**arrays, "grad": _ONE})  # noqa: S307 - the engine's own formula
            except (AttributeError, NameError, TypeError, ValueError, ZeroDivisionError):
                return None  # a saved value the snapshot lacks


class _Formula:
    """``formula`` of a class that states ``gradients``: made on first read, once the
    namespace (and what its names read as) is complete."""

    def __get__(self, node, cls):
        derivative = cls.derivative
        if derivative._formula is None:
            derivative._formula = derivative.formula()
        return derivative._formula


def register(cls):
    """Called for each node class (Node.__init_subclass__): known by name, and compiled when
    it states ``gradients``, or inherits them with saved fields of its own (other indices)."""
    NODE_CLASSES.setdefault(cls.__name__, cls)
    if "gradients" in cls.__dict__ or ("saved_fields" in cls.__dict__ and hasattr(cls, "gradients")):
        cls.derivative = Derivative(cls)
        cls.formula = _Formula()
        if _PENDING is None:
            cls.derivative.compile_into(cls)
        else:
            _PENDING.append(cls)


# Node classes defined while engine.ops imports, before the namespace is complete (the ops
# the formulas call are defined beside those very classes); None once it is.
_PENDING = []


def namespace_complete():
    """Compile every node class waiting for the namespace; later classes compile at once."""
    global _PENDING
    pending, _PENDING = _PENDING, None
    for cls in pending:
        cls.derivative.compile_into(cls)


def derivative_of(name):
    """The ``Derivative`` of the node class called ``name``, or None."""
    cls = NODE_CLASSES.get(name)
    return None if cls is None else getattr(cls, "derivative", None)


def formula_of(name):
    """The backward formula of the node class called ``name`` as the inspector shows it, or ''."""
    cls = NODE_CLASSES.get(name)
    return "" if cls is None else cls.formula


# ------------------------------------------------------------------ compiling
def _used_fields(tree, fields):
    names = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    return [i for i, field in enumerate(fields) if field in names]


def _compile(cls, function_name, gradients, fields, unpack, namespace, inline, check):
    """The source of ``backward`` or ``backward_arrays`` for ``gradients``, compiled once."""
    trees = [None if text is None else _Inline(inline).visit(ast.parse(text, mode="eval").body)
             for text in gradients]
    lines = [f"def {function_name}(node, grad):"]
    used = [_used_fields(tree, fields) if tree is not None else [] for tree in trees]
    if len(trees) == 1:
        for index in used[0]:
            lines.append(f"    {fields[index]} = node.{unpack}({index})")
        bound = [fields[i] for i in used[0]]
        results = [ast.unparse(trees[0]) if trees[0] is not None else "None"]
    else:
        lines.append("    edges = node.next_functions")
        for slot, tree in enumerate(trees):
            if tree is not None:
                lines.append(f"    needs{slot} = edges[{slot}][0] is not None")
        bound = []
        for index, field in enumerate(fields):
            slots = [slot for slot in range(len(trees)) if index in used[slot]]
            if slots:
                condition = " or ".join(f"needs{slot}" for slot in slots)
                lines.append(f"    {field} = node.{unpack}({index}) if {condition} else None")
                bound.append(field)
        results = [f"(({ast.unparse(tree)}) if needs{slot} else None)" if tree is not None else "None"
                   for slot, tree in enumerate(trees)]
    constants = any(isinstance(node, ast.Constant) for tree in trees if tree is not None
                    for node in ast.walk(tree))
    operands = [name for name in bound if name not in getattr(cls, "index_fields", ())]
    if check and (operands or constants):  # grad alone through reshapes and copies keeps its dtype
        lines.extend(_agreement_check(operands))
    lines.append(f"    return {', '.join(results)}")
    source = "\n".join(lines)
    scope = {}
    exec(compile(source, f"<{cls.__name__}.{function_name}>", "exec"), namespace, scope)  # noqa: S102
    function = scope[function_name]
    function.__qualname__ = f"{cls.__name__}.{function_name}"
    function.__module__ = cls.__module__
    function.source = source
    return function


def _agreement_check(bound):
    """``agrees(grad, *bound)``, written out: the common case (numpy arrays of grad's dtype)
    without a call."""
    lines = ["    dtype = grad.dtype",
             "    if dtype.kind != 'f':",
             "        return NotImplemented"]
    for name in bound:
        lines += [f"    if type({name}) is _ndarray:",
                  f"        if {name}.dtype != dtype and {name}.dtype.kind != 'b':",
                  "            return NotImplemented",
                  f"    elif {name} is not None and type({name}) not in _NUMBER_TYPES "
                  f"and not _agrees(grad, {name}):",
                  "        return NotImplemented"]
    return lines


class _Inline(ast.NodeTransformer):
    """Calls replaced by the code templates their namespace entry gives (``{0}.T``)."""

    def __init__(self, templates):
        self.templates = templates

    def visit_Call(self, node):
        self.generic_visit(node)
        name = node.func.id if isinstance(node.func, ast.Name) else ""
        if name not in self.templates:
            return node
        arguments = [f"({ast.unparse(argument)})" for argument in node.args]
        return ast.parse(self.templates[name].format(*arguments), mode="eval").body


# -------------------------------------------------------------------- texts
_ONE = np.float64(1.0)  # grad, for the value of a local derivative


def _local_of(gradient):
    """``grad``'s factor in an elementwise gradient (``grad * cos(self)`` -> ``cos(self)``),
    as text; None when the gradient calls something that is not elementwise."""
    if gradient is None:
        return "0"
    tree = _Expand().visit(ast.parse(gradient, mode="eval").body)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and not (isinstance(node.func, ast.Name)
                                               and node.func.id in ELEMENTWISE):
            return None
    one = _Substitute({"grad": 1}).visit(tree)
    return ast.unparse(_Simplify().visit(one))


def _copy(tree):
    return copy.deepcopy(tree)


class _Substitute(ast.NodeTransformer):
    """Replace names: by a number (a Constant) or another name (a display name)."""

    def __init__(self, values):
        self.values = values

    def visit_Name(self, node):
        if node.id not in self.values:
            return node
        value = self.values[node.id]
        if isinstance(value, str):
            return ast.Name(id=value, ctx=ast.Load())
        return ast.Constant(value=value)


_FOLD = {ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b}
_COMPARE = {ast.Eq: lambda a, b: a == b, ast.NotEq: lambda a, b: a != b}


def _number(node):
    return isinstance(node, ast.Constant) and type(node.value) in (int, float)


class _Expand(ast.NodeTransformer):
    """Calls of namespace names replaced by the expressions they read as (``EXPANSIONS``)."""

    def visit_Call(self, node):
        self.generic_visit(node)
        name = node.func.id if isinstance(node.func, ast.Name) else ""
        if name not in EXPANSIONS:
            return node
        arguments = [f"({ast.unparse(argument)})" for argument in node.args]
        return ast.parse(EXPANSIONS[name].format(*arguments), mode="eval").body


class _Simplify(ast.NodeTransformer):
    """What a reader would write: 1·x is x, x^1 is x, 2 − 1 is 1, numbers before names."""

    def visit_UnaryOp(self, node):
        self.generic_visit(node)
        if isinstance(node.op, ast.USub) and _number(node.operand):
            return ast.Constant(value=-node.operand.value)
        return node

    def visit_Compare(self, node):
        self.generic_visit(node)
        if len(node.ops) == 1 and type(node.ops[0]) in _COMPARE and _number(node.left) \
                and _number(node.comparators[0]):
            return ast.Constant(value=_COMPARE[type(node.ops[0])](node.left.value, node.comparators[0].value))
        return node

    def visit_IfExp(self, node):
        self.generic_visit(node)
        if isinstance(node.test, ast.Constant) and type(node.test.value) is bool:
            return node.body if node.test.value else node.orelse
        return node

    def visit_BinOp(self, node):
        self.generic_visit(node)
        left, right, op = node.left, node.right, type(node.op)
        if op in _FOLD and _number(left) and _number(right):
            value = _FOLD[op](left.value, right.value)
            return ast.Constant(value=int(value) if float(value).is_integer() else value)
        if op is ast.Mult:
            for one, other in ((left, right), (right, left)):
                if _number(one) and one.value == 1:
                    return other
                if _number(one) and one.value == -1:
                    return ast.UnaryOp(op=ast.USub(), operand=other)
            if _number(right) and not _number(left) \
                    and not (isinstance(left, ast.BinOp) and not isinstance(left.op, ast.Pow)) \
                    and not (isinstance(left, ast.Name) and left.id == "grad"):
                return ast.BinOp(left=right, op=ast.Mult(), right=left)  # 2·x, not x·2
        if op is ast.Pow and _number(right) and right.value == 1:
            return left
        return node


def pretty(tree):
    """Python expression text as a formula: ``·`` for ``*``, ``^`` for ``**``, ``a/b``."""
    text = ast.unparse(_Simplify().visit(_Expand().visit(_copy(tree))))
    for code, shown in ((" ** ", "^"), (" * ", "·"), (" / ", "/")):
        text = text.replace(code, shown)
    return text
