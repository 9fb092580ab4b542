"""The inspector's formula and the chain-rule labels are read from the engine's node classes."""
from types import SimpleNamespace

import numpy as np

from engine.autograd.derivative import NODE_CLASSES
from engine.autograd.node import Node
from explorer.graph.chain_rule import local_derivative
from explorer.graph.formulas import backward_formula


def _snapshot(**tensors):
    return SimpleNamespace(tensors={
        tensor_id: SimpleNamespace(values=np.asarray(values, dtype=float), names=(name,))
        for tensor_id, (name, values) in tensors.items()})


def test_the_inspector_shows_each_node_class_formula():
    for name, cls in list(NODE_CLASSES.items()):
        assert backward_formula(name) == cls.formula
    assert backward_formula("SinBackward0") == "grad·cos(self)"
    assert backward_formula("NoSuchBackward0") == ""


def test_a_new_node_class_is_explained_without_a_table():
    class SquareOfCosBackward0(Node):  # stated here only: no table anywhere knows it
        __slots__ = ()
        saved_fields = ("self",)
        gradients = {"self": "grad * cos(self) * 2"}

    assert backward_formula("SquareOfCosBackward0") == "grad·cos(self)·2"
    function = SimpleNamespace(name="SquareOfCosBackward0", saved=(("self", "t1", False),))
    text, value = local_derivative(function, 0, _snapshot(t1=("x", [0.0, np.pi])), "x")
    assert text == "2·cos(x)"
    assert value is None  # a class outside the engine has no generated code to evaluate it


def test_chain_rule_plugs_saved_numbers_and_names_into_the_nodes_own_derivative():
    function = SimpleNamespace(name="MulBackward0", saved=(("other", "t2", False), ("self", "t1", False)))
    text, value = local_derivative(function, 0, _snapshot(t1=("a", [1.0]), t2=("b", [3.0])), "a")
    assert (text, value.tolist()) == ("b", [3.0])
    function = SimpleNamespace(name="PowBackward0", saved=(("exponent", "2", False), ("self", "t1", False)))
    text, value = local_derivative(function, 0, _snapshot(t1=("x", [1.5])), "x")
    assert (text, value.tolist()) == ("2·x", [3.0])
    function = SimpleNamespace(name="SinBackward0", saved=(("self", "t1", False),))
    text, value = local_derivative(function, 0, _snapshot(t1=("x", [0.0, np.pi])), "x")
    assert (text, value.tolist()) == ("cos(x)", [1.0, -1.0])
    assert local_derivative(function, 0, _snapshot(t1=("in", [0.0])), "in")[0] == "cos(in)"
    assert local_derivative(function, 0, _snapshot(t1=("x[0]", [0.0])), "x[0]")[0] == "cos(x[0])"
    reshaping = SimpleNamespace(name="ViewBackward0", saved=(("self_sym_sizes", "(2, 2)", False),))
    assert local_derivative(reshaping, 0, _snapshot()) is None  # not elementwise: no label
