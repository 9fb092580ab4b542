"""The op table: one row per op, written as the decorator on the op's function.

    @op("Pointwise", shape="broadcast", arity=2, basic=True)
    def atan2(input, other): ...

registers ``atan2`` in ``OPS``, exports it at module level (``engine.atan2``)
and, unless ``method=False``, attaches it to Tensor as a method
(``x.atan2(y)``). ``@method("atan2_")`` attaches a function to Tensor under
the given names only (operators, in-place variants) and lists them in
``METHODS``.

A row's grammar (what readers outside the engine may rely on; the app derives
its sandbox's names, its size checks and its palette from it):

    category  the op's family, as PyTorch's documentation groups ops:
              "Create", "Arithmetic", "Pointwise", "Activations", "Reductions",
              "Shape", "Linear algebra", "Comparison", "Indexing", ...
    shape     how the result's shape follows from the arguments, where one rule
              says it, so that a caller can size the result before it is made:
                "broadcast"  the broadcast shape of the tensor operands
                "matmul"     the matrix product of the first two operands
                "outer"      one element per pair of the two operands' elements
                "sizes"      the size arguments (``ones(2, 3)``, ``size=(2, 3)``)
              None: no such rule (the op's own arguments decide, or the result
              is no bigger than an operand).
    arity     how many tensors the op takes as operands, where that is fixed.
    basic     one of the ops a first lesson on autograd uses.
    name, method, function, aliases
              the op's name (default: the function's), whether Tensor gets it as
              a method, whether ``engine`` exports it, and other names for it.
    method_fn the callable Tensor gets instead of the function, where the two forms
              must differ: PyTorch's errors count a method's arguments without
              ``self`` (``x.atan2(2)``: argument 'other' (position 1)).
"""
from dataclasses import dataclass

from ..tensor import Tensor

SHAPE_RULES = frozenset({"broadcast", "matmul", "outer", "sizes"})


@dataclass(frozen=True)
class OpInfo:
    name: str
    function: object
    category: str
    methods: tuple = ()   # Tensor method names, the op's own first
    shape: str | None = None
    arity: int | None = None
    basic: bool = False


OPS = {}        # op name -> OpInfo
FUNCTIONS = {}  # every name ``engine`` exports an op under (aliases too) -> function
METHODS = {}    # Tensor method names given by ``method`` (operators, in-place variants) -> function


def op(category, *, name=None, method=True, function=True, aliases=(), shape=None, arity=None,
       basic=False, method_fn=None):
    """Register an op: one row of the table (see the module docstring)."""
    if shape is not None and shape not in SHAPE_RULES:
        raise ValueError(f"unknown shape rule {shape!r}; one of {sorted(SHAPE_RULES)}")

    def register(fn):
        op_name = name or fn.__name__
        methods = ()
        if method:
            methods = (op_name,) + tuple(aliases)
            for method_name in methods:
                setattr(Tensor, method_name, method_fn or fn)
        if function:
            FUNCTIONS[op_name] = fn
            for alias in aliases:
                FUNCTIONS[alias] = fn
        OPS[op_name] = OpInfo(op_name, fn, category, methods, shape, arity, basic)
        return fn
    return register


def method(*names):
    """Attach ``fn`` to Tensor under ``names`` only (operators, in-place variants)."""
    def register(fn):
        for method_name in names:
            setattr(Tensor, method_name, fn)
            METHODS[method_name] = fn
        return fn
    return register
