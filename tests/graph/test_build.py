"""Snapshot -> graph, on hand-made snapshots of the tutorial's first example."""
from types import SimpleNamespace

import numpy as np
import pytest

from explorer.graph.build import (
    build_graph,
    grad_fn_graph,
    order_key,
    preview_values,
    tensor_function_graph,
    tensor_role,
)


def tensor(id, shape=(2, 2), requires_grad=True, is_leaf=True, grad_fn=None, output_nr=0,
           origin=None, values=None, grad=None):
    return SimpleNamespace(
        id=id, names=(), shape=shape, dtype="torch.float32",
        values=np.ones(shape) if values is None else values, grad=grad,
        requires_grad=requires_grad, is_leaf=is_leaf, retains_grad=False, version=0,
        origin=origin, grad_fn=grad_fn, output_nr=output_nr)


def function(id, name, next_functions=(), saved=(), variable=None, output=None):
    return SimpleNamespace(id=id, name=name, next_functions=tuple(next_functions),
                           saved=tuple(saved), variable=variable, output=output)


def snapshot(tensors, functions, variables):
    return SimpleNamespace(tensors={t.id: t for t in tensors},
                           functions={f.id: f for f in functions}, variables=variables)


def tutorial_snapshot():
    """x = ones(2, 2, requires_grad=True); y = x ** 2; z = y * y * 3; out = z.mean().

    ``y * y`` is never named, so its MulBackward0 (f3) has no known output tensor.
    """
    return snapshot(
        [tensor("t1"), tensor("t2", is_leaf=False, grad_fn="f2"),
         tensor("t4", is_leaf=False, grad_fn="f4"),
         tensor("t5", shape=(), is_leaf=False, grad_fn="f5")],
        [function("f1", "AccumulateGrad", variable="t1"),
         function("f2", "PowBackward0", [("f1", 0)], saved=[("self", "t1", False)]),
         function("f3", "MulBackward0", [("f2", 0), ("f2", 0)]),
         function("f4", "MulBackward0", [("f3", 0), (None, 0)]),
         function("f5", "MeanBackward0", [("f4", 0)])],
        {"x": "t1", "y": "t2", "z": "t4", "out": "t5"})


def edges(graph):
    return {(u, v, data["kind"]) for u, v, data in graph.edges(data=True)}


def test_tensor_function_view_edges_follow_data_flow():
    graph = tensor_function_graph(tutorial_snapshot())
    assert edges(graph) == {
        ("t1", "f2", "input"), ("t1", "f1", "accumulate"), ("f2", "t2", "output"),
        ("t2", "f3", "input"), ("f3", "f4", "flow"), ("f4", "t4", "output"),
        ("t4", "f5", "input"), ("f5", "t5", "output"),
    }


def test_tensor_used_twice_keeps_both_slots():
    graph = tensor_function_graph(tutorial_snapshot())
    assert graph.edges["t2", "f3"]["slots"] == [0, 1]


def test_node_attributes_name_functions_and_label_tensors():
    graph = tensor_function_graph(tutorial_snapshot())
    assert graph.nodes["f2"]["label"] == "PowBackward0"
    assert graph.nodes["f1"]["role"] == "accumulate"
    assert graph.nodes["t1"]["label"] == "x"
    assert graph.nodes["t1"]["role"] == "leaf"
    assert graph.nodes["t2"]["role"] == "nonleaf"
    assert graph.nodes["t5"]["shape"] == ()
    assert graph.nodes["t1"]["detail"] == "(2, 2) float32"
    assert "PowBackward0" in graph.nodes["f2"]["tooltip"]


def test_grad_fn_view_is_torchviz_shaped():
    graph = grad_fn_graph(tutorial_snapshot())
    assert edges(graph) == {
        ("t1", "f1", "variable"), ("f1", "f2", "next"), ("f2", "f3", "next"),
        ("f3", "f4", "next"), ("f4", "f5", "next"), ("f5", "t5", "result"),
    }
    assert graph.nodes["t1"]["role"] == "leaf"
    assert graph.nodes["t5"]["role"] == "root"
    assert "t2" not in graph


def test_build_graph_dispatches_on_view_name():
    assert build_graph(tutorial_snapshot(), "grad_fn").graph["view"] == "grad_fn"
    assert build_graph(tutorial_snapshot()).graph["view"] == "tensor_function"
    with pytest.raises(KeyError):
        build_graph(tutorial_snapshot(), "other")


def test_same_snapshot_gives_same_graph():
    first = tensor_function_graph(tutorial_snapshot())
    second = tensor_function_graph(tutorial_snapshot())
    assert list(first.nodes) == list(second.nodes)
    assert edges(first) == edges(second)


def test_tensor_without_named_intermediate_and_unknown_function_is_skipped():
    # A next_functions entry naming a function the snapshot lacks draws no edge.
    state = snapshot([tensor("t1", is_leaf=False, grad_fn="f2")],
                     [function("f2", "ExpBackward0", [("f9", 0)])], {"a": "t1"})
    assert edges(tensor_function_graph(state)) == {("f2", "t1", "output")}


@pytest.mark.parametrize("flags, role", [
    (dict(requires_grad=True, is_leaf=True), "leaf"),
    (dict(requires_grad=True, is_leaf=False), "nonleaf"),
    (dict(requires_grad=False), "constant"),
    (dict(requires_grad=False, origin="no_grad"), "no_grad"),
    (dict(requires_grad=False, origin="detach"), "detach"),
    (dict(requires_grad=False, origin="data"), "data"),
])
def test_tensor_roles(flags, role):
    assert tensor_role(tensor("t1", **flags)) == role


def test_multiple_outputs_pick_the_output_nr():
    state = snapshot(
        [tensor("t1"), tensor("t2", is_leaf=False, grad_fn="f2", output_nr=0),
         tensor("t3", is_leaf=False, grad_fn="f2", output_nr=1),
         tensor("t4", is_leaf=False, grad_fn="f3")],
        [function("f1", "AccumulateGrad", variable="t1"),
         function("f2", "UnbindBackward0", [("f1", 0)]),
         function("f3", "MulBackward0", [("f2", 1)])],
        {"x": "t1", "a": "t2", "b": "t3", "c": "t4"})
    graph = tensor_function_graph(state)
    assert ("t3", "f3") in graph.edges
    assert ("t2", "f3") not in graph.edges


def test_previews_are_short_and_stable():
    assert preview_values(np.ones((2, 2))) == "[[1., 1.], [1., 1.]]"
    assert preview_values(np.float32(3.0)) == "3."
    assert len(preview_values(np.arange(1000.0))) <= 28
    assert preview_values(None) == ""


def test_order_key_compares_numbers_as_numbers():
    assert sorted(["t10", "t2", "f1"], key=order_key) == ["f1", "t2", "t10"]
