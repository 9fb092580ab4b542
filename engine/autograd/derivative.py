"""A Function's derivative, written once as data, generated into both of its backward paths.

A node class states, beside its forward, the gradient it sends to each input::

    class SinBackward0(Node):
        saved_fields = ("self",)
        gradients = {"self": "grad * cos(self)"}

Each value is a Python expression in ``grad`` (the gradient of the output),
the node's saved fields by their ``saved_fields`` names, Python numbers and
the names of the derivative namespace (``cos``, ``pow``, ``mul_scalar``, ...,
filled by ``engine/ops/derivative_math.py``); ``None`` for an input that gets
no gradient. Keys are the inputs' names, in ``next_functions`` order. From
this one text (NOTE [generated derivatives] below):

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
- ``locals``: for an elementwise derivative, ∂output/∂input per
  input (the gradient with ``grad`` set to 1), which the chain-rule labels
  print with the saved values plugged in. A class may state ``local`` for
  inputs whose gradient is not elementwise (a mean's ``1 / self_sym_numel``).

Nothing here runs per backward call, and no text is evaluated at run time.
"""
import ast
import copy
import weakref
from pathlib import Path

import numpy as np

TENSOR_MATH = {}  # name -> function on engine Tensors (T_<name> in the generated backward)
ARRAY_MATH = {}  # name -> function on arrays (A_<name> in the generated backward_arrays)
ELEMENTWISE = set()  # namespace names that act element by element
# Node class name -> class, for tools that explain a graph by its names (weak: a custom
# Function's node class goes when the Function does).
NODE_CLASSES = weakref.WeakValueDictionary()


def register_math(name, on_tensors, on_arrays, elementwise=True, text=None, inline=(None, None)):
    """Add ``name`` to the derivative namespace: one function per path. ``text`` is what a
    call reads as in formulas, with ``{0}``, ``{1}``... for its arguments (``mul_scalar``
    is ``{0} * {1}``; a fused kernel shows the math it computes). ``inline``: templates
    the generated tensor and array code use instead of a call (``{0}.T``), where a call
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
    if _GENERATED is not None:  # a name registered after the engine's ops (engine.nn's)
        _give_namespace(_GENERATED)


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
    """The parsed ``gradients`` of one node class: its texts, and its generated local derivatives."""

    __slots__ = ("name", "inputs", "gradients", "names", "by_hand", "_explicit", "_locals",
                 "_local_functions", "_formula")

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
        # Which paths the class writes itself, seen before any is attached to it.
        self.by_hand = ("backward" in cls.__dict__, "backward_arrays" in cls.__dict__)
        self._explicit = getattr(cls, "local", {})
        self._locals = self._formula = None  # made on first use (the app's)
        self._local_functions = ()  # generated, attached with the backward paths

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
            self._locals = tuple(self._explicit.get(name) or _local_of(gradient)
                                 for name, gradient in zip(self.inputs, self.gradients))
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

    def local_value(self, slot, values):
        """∂output/∂input ``slot`` evaluated on ``values`` (field name -> number or array) by
        the array path's own generated code at grad = 1.0 (a fused kernel's value is the
        kernel's); None when it cannot be (not elementwise, a value missing)."""
        function = self._local_functions[slot] if slot < len(self._local_functions) else None
        if function is None:
            return None
        with np.errstate(all="ignore"):
            try:
                return function(_ONE, **values)
            except (ArithmeticError, AttributeError, IndexError, TypeError, ValueError):
                return None  # a saved value the snapshot lacks or holds as text


class _Formula:
    """``formula`` of a class that states ``gradients``: made on first read, once the
    namespace (and what its names read as) is complete."""

    def __get__(self, node, cls):
        derivative = cls.derivative
        if derivative._formula is None:
            derivative._formula = derivative.formula()
        return derivative._formula


def register(cls):
    """Called for each node class (Node.__init_subclass__): known by name, and given its
    generated paths when it states ``gradients``, or inherits them with saved fields of its
    own (other indices)."""
    NODE_CLASSES.setdefault(cls.__name__, cls)
    if "gradients" in cls.__dict__ or ("saved_fields" in cls.__dict__ and hasattr(cls, "gradients")):
        cls.derivative = Derivative(cls)
        cls.formula = _Formula()
        if cls.__module__.split(".")[0] == "engine":
            _STATED.append(cls)
            if _GENERATED is None:
                _PENDING.append(cls)
            else:
                _attach(cls, _GENERATED)


# NOTE [generated derivatives]
# The backward paths are Python source generated from the formulas, as PyTorch generates
# its Functions.cpp from derivatives.yaml: ``python -m engine.autograd.generate_derivatives`` writes
# engine/ops/derivatives_generated.py. Nothing evaluates text at run time: the module is
# imported once the namespace is complete, given the namespace as globals (``T_cos`` on
# Tensors, ``A_cos`` on arrays) and its functions become the classes' ``backward``,
# ``backward_arrays`` and local derivatives. It records what each class stated when it was
# made (``SOURCES``); an engine class whose formula changed since gets no generated path
# and raises, when run, that the module must be made again
# (``python -m engine.autograd.generate_derivatives``). tests/engine/test_derivatives.py
# checks the module is current. A node class outside the engine gets the texts only.
_STATED = []  # the engine's node classes that state a derivative
_PENDING = []  # those defined before the namespace was complete
_GENERATED = None  # the generated module, once the namespace is complete
STALE = []  # names of engine classes the generated module does not match
GENERATED_PATH = Path(__file__).resolve().parents[1] / "ops" / "derivatives_generated.py"


def namespace_complete(module):
    """Give ``module`` (the generated one) the namespace and every waiting class its paths;
    later classes get theirs at once."""
    global _GENERATED
    _GENERATED = module
    _give_namespace(module)
    for cls in _PENDING:
        _attach(cls, module)
    _PENDING.clear()


def _give_namespace(module):
    for prefix, namespace in (("T_", TENSOR_MATH), ("A_", ARRAY_MATH)):
        for name, function in namespace.items():
            setattr(module, prefix + name, function)


def _signature(cls):
    """What the generated code of ``cls`` is made from."""
    return (tuple(cls.saved_fields), tuple(cls.gradients.items()),
            tuple(sorted(getattr(cls, "local", {}).items())), tuple(getattr(cls, "index_fields", ())),
            cls.derivative.by_hand)


def _attach(cls, module):
    name = cls.__name__
    backward_by_hand, arrays_by_hand = cls.derivative.by_hand
    if module.SOURCES.get(name) != _signature(cls):
        STALE.append(name)
        if not backward_by_hand:
            cls.backward = _stale_backward
        if not arrays_by_hand:
            cls.backward_arrays = None
        return
    if not backward_by_hand:
        cls.backward = getattr(module, f"{name}__backward")
    if not arrays_by_hand:
        cls.backward_arrays = getattr(module, f"{name}__backward_arrays")
    cls.derivative._local_functions = tuple(getattr(module, f"{name}__local{slot}", None)
                                            for slot in range(len(cls.derivative.inputs)))


def _stale_backward(node, grad):
    raise RuntimeError(
        f"{node.name()} states a derivative that {GENERATED_PATH.name} does not hold yet: run "
        "python -m engine.autograd.generate_derivatives")


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


def _function_source(cls, function_name, gradients, fields, unpack, prefix, inline, check):
    """The source of ``backward`` or ``backward_arrays`` for ``gradients``."""
    trees = [None if text is None else _Prefix(prefix, fields).visit(
        _Inline(inline).visit(ast.parse(text, mode="eval").body)) for text in gradients]
    lines = [f"def {cls.__name__}__{function_name}(node, grad):"]
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
    return "\n".join(lines)


def _local_source(cls, slot, code, fields):
    """A function of grad and the saved values (keywords) that evaluates ``code`` on arrays."""
    tree = _Prefix("A_", fields).visit(_Inline(_INLINE_ARRAY).visit(ast.parse(code, mode="eval").body))
    keywords = "".join(f"{field}=None, " for field in fields)
    star = "*, " if fields else ""
    return (f"def {cls.__name__}__local{slot}(grad, {star}{keywords}**others):\n"
            f"    return {ast.unparse(tree)}")


def generated_source():
    """The text of engine/ops/derivatives_generated.py for the node classes defined now."""
    classes = sorted(_STATED, key=lambda cls: cls.__name__)
    names = [cls.__name__ for cls in classes]
    assert len(set(names)) == len(names), "two engine node classes share a name"
    parts = [_GENERATED_HEADER, "SOURCES = {"]
    parts += [f"    {cls.__name__!r}: {_signature(cls)!r}," for cls in classes]
    parts.append("}\n")
    for cls in classes:
        derivative, fields = cls.derivative, tuple(cls.saved_fields)
        if not derivative.by_hand[0]:
            parts.append("\n" + _function_source(cls, "backward", derivative.gradients, fields, "saved",
                                                  "T_", _INLINE_TENSOR, check=False) + "\n")
        if not derivative.by_hand[1]:
            parts.append("\n" + _function_source(cls, "backward_arrays", derivative.gradients, fields,
                                                  "saved_data", "A_", _INLINE_ARRAY, check=True) + "\n")
        for slot, (name, gradient) in enumerate(zip(derivative.inputs, derivative.gradients)):
            code = derivative._explicit.get(name) or (gradient if derivative.locals[slot] else None)
            if code is not None:
                parts.append("\n" + _local_source(cls, slot, code, fields) + "\n")
    return "\n".join(parts)


_GENERATED_HEADER = '''"""Generated by ``python -m engine.autograd.generate_derivatives`` from the
``gradients`` the node classes state (NOTE [generated derivatives] in
engine/autograd/derivative.py): do not edit.

``T_<name>`` and ``A_<name>`` are the derivative namespace on Tensors and on arrays, set
when the namespace is complete.
"""
# ruff: noqa
from numpy import ndarray as _ndarray

from ..autograd.derivative import agrees as _agrees

# Values ``agrees`` passes without a look, whose type says so: numbers, and what has no
# dtype (sizes and dims as tuples, a rounding mode's name).
_PLAIN_TYPES = (bool, int, float, tuple, str)
'''


class _Prefix(ast.NodeTransformer):
    """Namespace names prefixed (``cos`` -> ``T_cos``); saved fields and ``grad`` stay."""

    def __init__(self, prefix, fields):
        self.prefix = prefix
        self.fields = set(fields) | {"grad"}

    def visit_Name(self, node):
        if node.id in self.fields or node.id in ("None", "True", "False"):
            return node
        return ast.copy_location(ast.Name(id=self.prefix + node.id, ctx=node.ctx), node)


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
                  f"    elif {name} is not None and type({name}) not in _PLAIN_TYPES "
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
    tree = ast.parse(gradient, mode="eval").body
    for stage in (tree, _Expand().visit(_copy(tree))):  # a matrix product reads as operators
        for node in ast.walk(stage):
            if isinstance(node, ast.Call) and not (isinstance(node.func, ast.Name)
                                                   and node.func.id in ELEMENTWISE):
                return None
    one = _Substitute({"grad": 1}).visit(_Expand().visit(tree))
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


def write_generated():
    """Write engine/ops/derivatives_generated.py for the node classes defined now."""
    GENERATED_PATH.write_text(generated_source(), encoding="utf-8")
    return GENERATED_PATH
