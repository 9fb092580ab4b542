"""Element counts of op results, estimated from arguments before the op runs.

``estimate_elements(op, receiver, args, kwargs, shape_of)`` returns an upper
estimate of the largest tensor the op would allocate, or None when it cannot
tell (then only the result is checked). ``shape_of(value)`` gives a tensor's
shape or None for anything else. The estimates never run an op; they read
shapes and plain numbers only.

Which ops broadcast, multiply matrices or take their sizes from their
arguments is the op table's to say (each row's ``shape`` rule, read through
``optable``), and Python's operators follow the ops they run; only the few
functions outside the table are named here. Every name here is one the engine
has (``tests/program/test_op_table.py``).
"""
import math
import operator

from . import optable
from .expressions import BINARY_OPERATORS, COMPARE_OPERATORS
from .limits import broadcast_shape, product

CAP = 10 ** 18  # any estimate above every sensible limit



def _with_operators(names):
    """``names`` and the Python operators that run one of them (``+`` runs ``add``)."""
    spelled = {**BINARY_OPERATORS, **COMPARE_OPERATORS}
    return names | {symbol for symbol, name in spelled.items() if name in names}


SHAPE_CREATION = optable.names_with_shape("sizes")
BROADCASTING = _with_operators(optable.names_with_shape("broadcast")) | {"mse_loss"}
MATMUL = _with_operators(optable.names_with_shape("matmul")) | {"linear"}
OUTER = optable.names_with_shape("outer")
NEW_LIKE = frozenset({"new_ones", "new_zeros", "new_empty", "new_full"})
LEGACY_CONSTRUCTORS = frozenset({"Tensor", "FloatTensor", "DoubleTensor", "HalfTensor", "LongTensor",
                                 "IntTensor", "ShortTensor", "ByteTensor", "CharTensor",
                                 "BoolTensor"})
# Layers whose constructor allocates a weight of the product of their first sizes.
MODULE_WEIGHTS = {"Linear": 2, "Bilinear": 3}


def _as_int(value):
    try:
        return operator.index(value)
    except TypeError:
        return None


def _shape_arguments(args, size=None):
    """Dims from ``f(2, 3)``, ``f((2, 3))``, ``f([2, 3])``, ``f(x.shape)`` or ``size=``."""
    if size is not None:
        args = (size,)
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        args = tuple(args[0])
    dims = []
    for arg in args:
        dim = _as_int(arg)
        if dim is None:
            return None
        dims.append(dim)
    return dims


MAX_DATA_DEPTH = 64  # PyTorch's own limit on dimensions


def count_data_elements(data, cap, shape_of):
    """Elements ``torch.tensor(data)`` would hold, counting at most ``cap`` + 1.

    A list repeated by reference (``[[0] * 1000] * 1000``) is counted once per
    object and multiplied, so the count costs the number of distinct lists.
    """
    return min(_count(data, cap, shape_of, {}, 0), cap + 1)


def _count(item, cap, shape_of, memo, depth):
    shape = shape_of(item)
    if shape is not None:
        return product(shape, cap)
    if isinstance(item, range):
        return len(item)
    if not isinstance(item, (list, tuple)):
        return 1
    if depth > MAX_DATA_DEPTH:
        raise ValueError(f"tensor data is nested more than {MAX_DATA_DEPTH} levels deep")
    known = memo.get(id(item))  # the list is alive during the count, so its id is stable
    if known is not None:
        return known
    total = 0
    for child in item:
        total += _count(child, cap, shape_of, memo, depth + 1)
        if total > cap:
            total = cap + 1
            break
    memo[id(item)] = total
    return total


def _number(value):
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    return None


def _arange_count(args, kwargs):
    values = list(args) + [kwargs[k] for k in ("start", "end", "step") if k in kwargs]
    numbers = [_number(v) for v in values]
    if not numbers or any(n is None for n in numbers):
        return None
    if len(numbers) == 1:
        start, end, step = 0, numbers[0], 1
    else:
        start, end = numbers[0], numbers[1]
        step = numbers[2] if len(numbers) > 2 else 1
    if step == 0 or not all(math.isfinite(n) for n in (start, end, step)):
        return None
    return max(math.ceil((end - start) / step), 0)


def _creation_count(op, args, kwargs, cap, shape_of):
    if op in SHAPE_CREATION:
        dims = _shape_arguments(args, kwargs.get("size"))
        return None if dims is None else product(dims, cap)
    if op == "full":
        size = kwargs.get("size", args[0] if args else None)
        dims = _shape_arguments((size,)) if size is not None else None
        return None if dims is None else product(dims, cap)
    if op == "randint":
        size = kwargs.get("size")
        if size is None:
            size = next((a for a in reversed(args) if isinstance(a, (tuple, list))), None)
        dims = _shape_arguments((size,)) if size is not None else None
        return None if dims is None else product(dims, cap)
    if op == "arange":
        return _arange_count(args, kwargs)
    if op == "linspace":
        steps = kwargs.get("steps", args[2] if len(args) > 2 else None)
        return _as_int(steps)
    if op == "eye":
        n = _as_int(kwargs.get("n", args[0] if args else None))
        m = kwargs.get("m", args[1] if len(args) > 1 else n)
        m = _as_int(m)
        return None if n is None or m is None else n * m
    if op == "tensor":
        data = kwargs.get("data", args[0] if args else None)
        return count_data_elements(data, cap, shape_of)
    if op == "randperm":
        return _as_int(kwargs.get("n", args[0] if args else None))
    if op == "logspace":
        return _as_int(kwargs.get("steps", args[2] if len(args) > 2 else None))
    if op == "normal":
        size = kwargs.get("size", args[2] if len(args) > 2 else None)
        dims = _shape_arguments((size,)) if size is not None else None
        return None if dims is None else product(dims, cap)
    if op in LEGACY_CONSTRUCTORS and args and all(_as_int(a) is not None for a in args):
        return product([_as_int(a) for a in args], cap)  # torch.FloatTensor(2, 3): sizes
    if op in MODULE_WEIGHTS:
        # A layer's constructor allocates its weight: nn.Linear(in, out) holds in * out.
        sizes = [_as_int(a) for a in args[:MODULE_WEIGHTS[op]]]
        for name in ("in_features", "out_features", "in1_features", "in2_features"):
            if name in kwargs:
                sizes.append(_as_int(kwargs[name]))
        if sizes and all(size is not None for size in sizes):
            return product(sizes, cap)
    return None


def _einsum_count(args, shape_of, cap):
    """An upper bound for einsum: the product of every index's size (its largest term)."""
    if not args or not isinstance(args[0], str):
        return None
    operands = args[1] if len(args) == 2 and isinstance(args[1], (list, tuple)) else args[1:]
    terms = args[0].replace(" ", "").split("->")[0].split(",")
    sizes = {}
    for term, operand in zip(terms, operands):
        shape = shape_of(operand)
        if shape is None or "..." in term or len(term) != len(shape):
            return None
        for letter, size in zip(term, shape):
            sizes[letter] = max(sizes.get(letter, 1), size)
    return product(list(sizes.values()), cap)


def _matmul_count(shapes):
    if len(shapes) < 2 or shapes[0] is None or shapes[1] is None:
        return None
    a, b = shapes[0], shapes[1]
    if len(a) == 0 or len(b) == 0:
        return None
    rows = a[-2] if len(a) >= 2 else 1
    cols = b[-1] if len(b) >= 2 else 1
    batch = broadcast_shape([a[:-2], b[:-2]]) or ()
    return product(tuple(batch) + (rows, cols), CAP)


def estimates(op):
    """Whether ``estimate_elements`` knows ``op`` (most calls allocate nothing big)."""
    return op in ESTIMATED


def estimate_elements(op, receiver, args, kwargs, shape_of, cap=CAP):
    """Largest tensor ``op`` would make (an estimate), or None when unknown.

    ``receiver`` is the tensor a method is called on (None for functions and
    operators, whose operands are all in ``args``).
    """
    operands = ((receiver,) if receiver is not None else ()) + tuple(args)
    if receiver is None:
        count = _creation_count(op, args, kwargs, cap, shape_of)
        if count is not None:
            return count
    shapes = [shape_of(v) for v in operands]
    if op == "linear" and len(shapes) >= 2 and shapes[0] is not None and shapes[1] is not None:
        weight = shapes[1]
        out = weight[0] if len(weight) == 2 else 1
        return product(tuple(shapes[0][:-1]) + (out,), cap)
    if op in MATMUL:
        return _matmul_count(shapes)
    if op in OUTER:
        known = [s for s in shapes if s is not None]
        return product([product(s, cap) for s in known], cap) if len(known) == 2 else None
    if op in NEW_LIKE and receiver is not None:
        size = kwargs.get("size", args[0] if args else None)
        dims = _shape_arguments((size,)) if size is not None and op == "new_full" else \
            _shape_arguments(args, kwargs.get("size"))
        return None if dims is None else product(dims, cap)
    if op == "diag":
        shape = shapes[0] if shapes else None
        return shape[0] * shape[0] if shape is not None and len(shape) == 1 else None
    if op == "multinomial":
        samples = _as_int(kwargs.get("num_samples", args[1] if receiver is None and len(args) > 1
                                     else args[0] if args else None))
        rows = shapes[0][0] if shapes and shapes[0] is not None and len(shapes[0]) == 2 else 1
        return None if samples is None else samples * rows
    if op == "einsum":
        return _einsum_count(args, shape_of, cap)
    if op in ("repeat", "expand") and receiver is not None:
        dims = _shape_arguments(args, kwargs.get("size"))
        if dims is None:
            return None
        base = shape_of(receiver) or ()
        if op == "repeat":
            return product(list(base) + dims, cap)
        return product([abs(d) for d in dims], cap)
    if op in ("cat", "stack") and args and isinstance(args[0], (list, tuple)):
        if len(args[0]) > cap:
            return cap + 1
        return sum(product(shape_of(t) or (), cap) for t in args[0])
    if op in BROADCASTING:
        known = [s for s in shapes if s is not None]
        if len(known) >= 2:
            shape = broadcast_shape(known)
            return None if shape is None else product(shape, cap)
    return None


def estimate_index_elements(base_shape, index, shape_of, cap=CAP):
    """Upper estimate for ``tensor[index]`` with tensor or list indices (advanced indexing)."""
    parts = index if isinstance(index, tuple) else (index,)
    advanced = []
    consumed = 0
    for part in parts:
        shape = shape_of(part)
        if shape is not None:
            advanced.append(shape)
            consumed += 1
        elif isinstance(part, (list, range)):
            if len(part) > cap:
                return cap + 1
            advanced.append((count_data_elements(part, cap, shape_of),))
            consumed += 1
        elif part is not None and part is not Ellipsis:
            consumed += 1
    if not advanced:
        return None
    index_shape = broadcast_shape(advanced) or max(advanced, key=lambda s: product(s, cap))
    rest = base_shape[consumed:] if consumed <= len(base_shape) else ()
    return product(tuple(index_shape) + tuple(rest), cap)


# Ops whose arguments, not one shape rule, say how big their result is: each has its branch above.
BY_ARGUMENTS = frozenset({"full", "randint", "arange", "linspace", "eye", "tensor", "randperm",
                          "logspace", "normal", "repeat", "expand", "cat", "stack", "diag",
                          "multinomial", "einsum"})

# Every op name estimate_elements has a rule for.
ESTIMATED = frozenset(SHAPE_CREATION | BROADCASTING | MATMUL | OUTER | NEW_LIKE
                      | LEGACY_CONSTRUCTORS | set(MODULE_WEIGHTS) | BY_ARGUMENTS)
