"""Each derivative is written once (``gradients`` on the node class) and everything else is
derived from it; every node class has a formula the inspector can show."""
import numpy as np

import engine  # noqa: F401 - defines every node class
import engine.nn  # noqa: F401
from engine.autograd import derivative
from engine.autograd.function import BackwardCFunction
from engine.autograd.node import Node

# Node classes without a formula of their own, and why.
WITHOUT_FORMULA = {
    Node: "the base class",
    BackwardCFunction: "a custom Function's node: its backward is the user's code",
}


def _node_classes():
    found, stack = [], [Node]
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        found.append(cls)
    return found


def _excused(cls):
    return cls in WITHOUT_FORMULA or issubclass(cls, BackwardCFunction)


def test_every_node_class_has_a_formula_the_inspector_can_show():
    missing = [cls.__name__ for cls in _node_classes() if not _excused(cls) and not cls.formula]
    assert missing == []


def test_classes_excused_from_a_formula_exist_and_need_the_excuse():
    for cls in WITHOUT_FORMULA:
        assert not cls.__dict__.get("formula"), cls


def test_a_stated_derivative_gives_the_formula_and_both_backward_paths():
    stated = [cls for cls in _node_classes() if "gradients" in cls.__dict__]
    assert len(stated) >= 30
    for cls in stated:
        assert cls.formula == cls.derivative.formula()
        assert len(cls.derivative.inputs) == len(cls.gradients)
        assert cls.backward is not Node.backward
        by_hand = cls.derivative.by_hand[1]
        assert callable(cls.backward_arrays) or (by_hand and cls.backward_arrays is None)


def test_every_name_a_formula_calls_is_in_both_namespaces():
    for cls in _node_classes():
        if "gradients" in cls.__dict__:
            unknown = cls.derivative.names - set(derivative.TENSOR_MATH) \
                - {field for field in cls.saved_fields}
            assert not unknown, (cls.__name__, unknown)
            public = [{name for name in space if not name.startswith("_")}
                      for space in (derivative.TENSOR_MATH, derivative.ARRAY_MATH)]
            assert public[0] == public[1]


def test_the_generated_backward_is_the_stated_expression():
    from engine.ops.pointwise import SinBackward0
    generated = derivative.GENERATED_PATH.read_text(encoding="utf-8")
    assert SinBackward0.backward.__name__ == "SinBackward0__backward"
    assert "    self = node.saved(0)\n    return grad * T_cos(self)\n" in generated
    assert "    return grad * A_cos(self)\n" in generated
    assert SinBackward0.formula == "grad·cos(self)"
    assert SinBackward0.derivative.locals == ("cos(self)",)


def test_the_generated_module_is_current():
    """After changing a formula: python -m engine.autograd.generate_derivatives."""
    assert derivative.STALE == []
    assert derivative.GENERATED_PATH.read_text(encoding="utf-8") == derivative.generated_source()


def test_local_derivatives_plug_in_values_as_a_reader_would_write_them():
    pow_backward = derivative.derivative_of("PowBackward0")
    assert pow_backward.local_text(0, {"self": "x", "exponent": 2}) == "2·x"
    assert pow_backward.local_text(0, {"self": "x", "exponent": 3}) == "3·x^2"
    assert float(pow_backward.local_value(0, {"self": np.asarray(1.5), "exponent": 2})) == 3.0
    div_backward = derivative.derivative_of("DivBackward0")
    assert div_backward.local_text(0, {"other": "b"}) == "1/b"
    assert div_backward.local_text(1, {"self": "a", "other": "b"}) == "-(a/b/b)"
    mean_backward = derivative.derivative_of("MeanBackward0")
    assert mean_backward.local_text(0, {"self_sym_numel": 4}) == "1/4"
    assert derivative.derivative_of("SumBackward0").local_text(0, {}) == "1"
    assert derivative.derivative_of("MeanBackward1").locals == (None,)  # not elementwise: no label
