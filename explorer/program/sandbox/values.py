"""Values: what a program does to a value, through the policy and within the limits.

Reading and writing attributes and items, operators, truth and iteration.
Work that could be large is estimated and checked before it is done (a
tensor op's result, ``items * n``, ``2 ** n``, ``items += iterable``);
``check_value`` bounds every result after. Also the value a generator
function or expression returns.
"""
import ast
import operator
import types

from ..errors import LimitExceeded
from ..sizecheck import estimate_elements, estimate_index_elements
from . import formatting, safe_builtins
from .functions import SandboxFunction
from .modules import SafeModule, module_attribute
from .names import attribute_name_allowed
from .policy import USER_CLASSES
from .safe_stdlib import CountedIterator, bounded_length, consume, refuse_objects

BINARY = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
    ast.Div: operator.truediv, ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod,
    ast.Pow: operator.pow, ast.MatMult: operator.matmul, ast.BitAnd: operator.and_,
    ast.BitOr: operator.or_, ast.BitXor: operator.xor, ast.LShift: operator.lshift,
    ast.RShift: operator.rshift,
}
INPLACE = {
    ast.Add: operator.iadd, ast.Sub: operator.isub, ast.Mult: operator.imul,
    ast.Div: operator.itruediv, ast.FloorDiv: operator.ifloordiv, ast.Mod: operator.imod,
    ast.Pow: operator.ipow, ast.MatMult: operator.imatmul, ast.BitAnd: operator.iand,
    ast.BitOr: operator.ior, ast.BitXor: operator.ixor, ast.LShift: operator.ilshift,
    ast.RShift: operator.irshift,
}
SYMBOLS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//",
           ast.Mod: "%", ast.Pow: "**", ast.MatMult: "@", ast.BitAnd: "&", ast.BitOr: "|",
           ast.BitXor: "^", ast.LShift: "<<", ast.RShift: ">>"}


class Values:
    """The part of ``Sandbox`` (``interpreter.py``) that guards operations on values."""

    def get_attribute(self, value, name):
        if type(value) is SafeModule:
            return module_attribute(value, name)
        value = safe_builtins.real_type(value)
        if not attribute_name_allowed(name) or not self.policy.may_read(value, name):
            raise AttributeError(_no_attribute(value, name))
        result = getattr(value, name)
        if name == "__class__":  # ``[].__class__(...)`` builds through the checked ``list``
            return safe_builtins.program_type(self.builtins, result)
        return formatting.wrap_method(value, name, result, self.guard, self.get_attribute,
                                      self.call)

    def set_attribute(self, value, name, new_value):
        if not attribute_name_allowed(name) or not self.policy.may_write(value, name):
            raise AttributeError(f"cannot set attribute '{name}' of '{type(value).__name__}' "
                                 "object")
        setattr(value, name, new_value)

    def get_item(self, container, index):
        self.guard.tick()
        if self.is_tensor(container):
            estimate = estimate_index_elements(tuple(container.shape), index, self.shape_of,
                                               cap=self.guard.limits.max_elements)
            if estimate is not None:
                self.guard.check_elements(estimate, "the indexing result")
        else:
            self._check_container(container, "subscript")
        return self.check_value(container[index])

    def set_item(self, container, index, value):
        self.guard.tick()
        if not self.is_tensor(container):
            self._check_container(container, "item assignment")
            if type(index) is slice and isinstance(container, (list, bytearray)):
                # ``items[0:0] = range(10**9)`` copies the whole iterable in C.
                value = value if isinstance(value, (list, tuple, str, bytes)) else \
                    consume(self.iterate(value), self.guard)
                self.guard.check_length(len(container) + len(value))
        container[index] = value

    def _check_container(self, container, what):
        if type(container) is SafeModule or isinstance(container, (types.FunctionType,
                                                                    SandboxFunction)):
            raise TypeError(f"'{type(container).__name__}' object does not support {what}")
        if isinstance(container, type) and container not in USER_CLASSES:
            # ``list[int]`` and friends are annotations: harmless and read-only.
            if what != "subscript":
                raise TypeError(f"'type' object does not support {what}")

    def binary(self, op, left, right, in_place=False):
        self.guard.tick()
        kind = type(op)
        self._precheck_binary(kind, left, right)
        function = (INPLACE if in_place else BINARY)[kind]
        return self.check_value(function(left, right))

    def _precheck_binary(self, kind, left, right):
        if self.is_tensor(left) or self.is_tensor(right) or _is_array(left) or _is_array(right):
            self._precheck_tensors(SYMBOLS[kind] if kind in SYMBOLS else "+", (left, right))
            return
        limits = self.guard.limits
        if kind is ast.Add and isinstance(left, (list, bytearray)):
            # ``items += range(10**9)`` extends in C from any iterable: bound it first.
            self.guard.check_length(len(left) + (bounded_length(right, self.guard) or 0))
        elif kind is ast.Mult:
            for sequence, count in ((left, right), (right, left)):
                if isinstance(sequence, (str, bytes, list, tuple)) and type(count) is not int \
                        and self.policy.is_user_instance(count):
                    # Its __index__ could answer the check and the op differently.
                    raise TypeError(f"can't multiply sequence by non-int of type "
                                    f"'{type(count).__name__}'")
                if isinstance(sequence, (str, bytes, list, tuple)) and \
                        hasattr(type(count), "__index__"):  # ints, bools, numpy ints
                    self.guard.check_length(len(sequence) * max(operator.index(count), 0))
        elif kind is ast.Pow and type(left) is int and type(right) is int and right > 0:
            bits = max(abs(left).bit_length() - 1, 0) * right
            if abs(left) > 1 and bits > limits.max_int_bits:
                raise LimitExceeded(f"{left} ** {right} is larger than {limits.max_int_bits} "
                                    "bits (integer limit)", "integer")
        elif kind is ast.LShift and type(left) is int and type(right) is int:
            if left and right > 0 and left.bit_length() + right > limits.max_int_bits:
                raise LimitExceeded(f"{left} << {right} is larger than {limits.max_int_bits} "
                                    "bits (integer limit)", "integer")
        elif kind is ast.Mod and isinstance(left, (str, bytes)):
            formatting.check_percent_format(left, right, self.guard)

    def _precheck_tensors(self, symbol, operands):
        try:
            estimate = estimate_elements(symbol, None, operands, {}, self.shape_of,
                                         cap=self.guard.limits.max_elements)
        except (TypeError, ValueError):
            estimate = None
        if estimate is not None:
            self.guard.check_elements(estimate, f"the result of {symbol}")

    def _precheck_compare(self, op, left, right):
        formatting.check_comparison(left, right, type(op) in (ast.In, ast.NotIn), self.guard)
        if type(op) in (ast.In, ast.NotIn):
            if isinstance(right, range) and type(left) not in (int, bool):
                bounded_length(right, self.guard)
            elif not isinstance(right, (str, bytes, dict, set, frozenset)):
                bounded_length(right, self.guard)
        elif self.is_tensor(left) or self.is_tensor(right):
            self._precheck_tensors("==", (left, right))

    def truth(self, value):
        return bool(value)

    def iterate(self, value):
        """An iterator over ``value`` for a ``for`` loop or unpacking."""
        if isinstance(value, (list, tuple, str, dict, set, frozenset, range, GeneratorValue,
                              CountedIterator)):
            return iter(value)
        return CountedIterator(value, self.guard)

    def is_tensor(self, value):
        return isinstance(value, self.tensor_type)

    def shape_of(self, value):
        if isinstance(value, self.tensor_type) or _is_array(value):
            return tuple(value.shape)
        return None

    def check_value(self, value):
        """Apply the size limits to a result; returns it unchanged."""
        kind = type(value)
        if kind is int:
            self.guard.check_int(value)
        elif kind in (str, bytes):
            self.guard.check_length(len(value))
        elif kind in (list, tuple, dict, set):
            self.guard.check_length(len(value))
            # A list repeated by reference is short but costs its nested size to hash,
            # compare or print, in C where no guard runs: bound that size too.
            nested = formatting.nested_items(value, self.guard.limits.max_elements)
            self.guard.check_elements(nested, f"a nested {kind.__name__}")
            if kind in (list, tuple):  # ops returning several tensors (meshgrid, split)
                for item in value[:64]:
                    if self.is_tensor(item):
                        self.guard.check_elements(item.numel())
        elif self.is_tensor(value):
            self.guard.check_elements(value.numel())
        elif _is_array(value):
            self.guard.check_elements(value.size)
            refuse_objects(value.dtype)  # np.full(3, 10**30): Python ints per element
        return value


class GeneratorValue:
    """What a generator function or expression returns: its values, collected within limits."""

    __slots__ = ("_iterator", "_name")

    def __init__(self, values, name):
        self._iterator = iter(values)
        self._name = name

    def __iter__(self):
        return self

    def __next__(self):
        return next(self._iterator)

    def __repr__(self):
        return f"<generator object {self._name} at {id(self):#x}>"



def _is_array(value):
    return type(value).__module__ == "numpy" and hasattr(value, "shape") and \
        hasattr(value, "dtype")


def _no_attribute(value, name):
    if isinstance(value, type):
        return f"type object '{value.__name__}' has no attribute '{name}'"
    return f"'{type(value).__name__}' object has no attribute '{name}'"
