"""The calls a graph's nodes were made in, as nested groups: members, collapsing, layout."""
import networkx as nx
import pytest
from call_programs import SQUARE, TWO_LAYER, last_snapshot

from explorer.graph.build import build_graph
from explorer.graph.groups import GROUP, collapse, find_groups, group_node_id, module_classes
from explorer.graph.layout import count_crossings, layered_layout


@pytest.fixture(scope="module")
def two_layer():
    return last_snapshot(TWO_LAYER)


def by_path(graph):
    return {group.path: group for group in graph.graph["groups"]}


def named(graph, name):
    return next(node for node, names in graph.nodes(data="names") if names and name in names)


def functions_named(graph, name):
    return {node for node, label in graph.nodes(data="label") if label == name}


@pytest.mark.parametrize("view", ["tensor_function", "grad_fn"])
def test_modules_nest_and_hold_their_nodes_and_parameters(two_layer, view):
    graph = build_graph(two_layer, view)
    groups = by_path(graph)
    assert list(groups) == [("model",), ("model", "model.fc1"), ("model", "model.fc2")]
    model, fc1, fc2 = groups.values()
    assert (model.label, model.parent, fc1.label, fc1.parent) == ("model", None, "model.fc1", ("model",))
    addmms = functions_named(graph, "AddmmBackward0")
    assert len(addmms & fc1.members) == len(addmms & fc2.members) == 1
    assert fc1.members < model.members and fc2.members < model.members
    assert not fc1.members & fc2.members
    for name in ("model.fc1.weight", "model.fc1.bias"):
        parameter = named(graph, name)
        assert parameter in fc1.members and parameter not in fc2.members
        # Its AccumulateGrad, made outside any call, sits with it.
        accumulator = next(head for head in graph.successors(parameter)
                           if graph.nodes[head]["label"] == "AccumulateGrad")
        assert accumulator in fc1.members
    relu = functions_named(graph, "ReluBackward0").pop()
    assert relu in model.members and relu not in fc1.members | fc2.members
    outside = functions_named(graph, "MeanBackward0") | functions_named(graph, "PowBackward0")
    assert not outside & model.members
    assert graph.nodes[relu]["scope"] == ("model",)


def test_outputs_join_their_producers_box_and_inputs_stay_out(two_layer):
    graph = build_graph(two_layer)
    fc1 = by_path(graph)[("model", "model.fc1")]
    addmm = next(iter(functions_named(graph, "AddmmBackward0") & fc1.members))
    output = next(iter(graph.successors(addmm)))
    assert graph.nodes[output]["kind"] == "tensor" and output in fc1.members
    x = named(graph, "x")
    assert not any(x in group.members for group in graph.graph["groups"])
    assert graph.nodes[named(graph, "model.fc1.weight")]["label"] == "model.fc1.weight"


def test_a_functions_call_is_a_group():
    graph = build_graph(last_snapshot(SQUARE))
    (group,) = graph.graph["groups"]
    assert group.label == "square()" and group.parent is None
    labels = sorted(graph.nodes[node]["label"] for node in group.members)
    assert labels == ["", "PowBackward0"]   # the op and the tensor it made
    assert named(graph, "a") not in group.members and named(graph, "b") not in group.members
    assert group.collapsed_label() == "square() (1 node)"


def test_top_level_programs_have_no_groups():
    graph = build_graph(last_snapshot(
        "import torch\na = torch.ones(2, requires_grad=True)\nb = (a * 2).sum()\n"))
    assert graph.graph["groups"] == []


def test_collapsing_replaces_the_members_by_one_node(two_layer):
    graph = build_graph(two_layer)
    fc1 = by_path(graph)[("model", "model.fc1")]
    collapsed = collapse(graph, {("model", "model.fc1")})
    node = group_node_id(fc1.path)
    assert collapsed.nodes[node]["kind"] == GROUP
    # A run names a Module variable's class ("<TwoLayer>"), not those of its children.
    assert collapsed.nodes[node]["label"] == "model.fc1 (4 nodes)"
    assert collapse(graph, {("model",)}).nodes["group:model"]["label"] == "model (TwoLayer, 9 nodes)"
    assert not fc1.members & set(collapsed)
    assert set(collapsed) == (set(graph) - fc1.members) | {node}
    # The edge leaving the box (fc1's output into relu) now leaves the node.
    relu = functions_named(graph, "ReluBackward0").pop()
    assert collapsed.has_edge(node, relu)
    groups = by_path(collapsed)
    assert list(groups) == [("model",), ("model", "model.fc2")]
    assert node in groups[("model",)].members
    assert graph.number_of_nodes() == 23   # the original is left alone
    # Collapsing the parent swallows the child; expanding (not collapsed) is the original.
    whole = collapse(graph, {("model",), ("model", "model.fc1")})
    assert [n for n in whole if n.startswith("group:")] == ["group:model"]
    assert whole.graph["groups"] == []
    assert collapse(graph, set()) is graph


def test_collapse_keeps_every_crossing_edge():
    graph = nx.DiGraph(view="tensor_function")
    for node, scope in (("a", None), ("f1", ("g",)), ("f2", ("g",)), ("z", ())):
        graph.add_node(node, kind="tensor" if scope is None else "function", order=("", 0), label=node,
                       **({"names": ()} if scope is None else {"scope": scope}))
    graph.add_edge("a", "f1", kind="input", slots=[0])
    graph.add_edge("a", "f2", kind="input", slots=[1])
    graph.add_edge("f1", "f2", kind="flow", slots=[0])
    graph.add_edge("f2", "z", kind="flow", slots=[0])
    graph.graph["groups"] = find_groups(graph)
    collapsed = collapse(graph, {("g",)})
    assert sorted(collapsed.edges) == [("a", "group:g"), ("group:g", "z")]
    assert collapsed.edges["a", "group:g"]["slots"] == [0, 1]


def test_module_classes_from_the_printed_variables():
    values = {"nn": "<module 'torch.nn'>", "x": "tensor([1., 2.])", "short": "<TwoLayer>",
              "model": "TwoLayer(   (fc1): Linear(in_features=3, out_features=4, bias=True)   (fc2): ...",
              "seq": "Sequential(   (0): Linear(in_features=3, out_features=4, bias=True)   (1): ReLU() )"}
    assert module_classes(values) == {"short": "TwoLayer", "model": "TwoLayer", "model.fc1": "Linear",
                                      "seq": "Sequential", "seq.0": "Linear", "seq.1": "ReLU"}


# --------------------------------------------------------------------------- layout


def layer_rows(layout):
    rows = {}
    for node, layer in layout.layers.items():
        rows.setdefault(layer, []).append(node)
    return {layer: sorted(nodes, key=lambda node: layout.positions[node][0]) for layer, nodes in rows.items()}


@pytest.mark.parametrize("view", ["tensor_function", "grad_fn"])
def test_layout_keeps_members_together_and_outsiders_out(two_layer, view):
    graph = build_graph(two_layer, view)
    layout = layered_layout(graph)
    plain = graph.copy()
    plain.graph["groups"] = []
    assert count_crossings(graph, layout) <= count_crossings(plain, layered_layout(plain))
    half_width = 40.0   # the default node size
    for group in graph.graph["groups"]:
        left = min(layout.positions[node][0] for node in group.members) - half_width
        right = max(layout.positions[node][0] for node in group.members) + half_width
        top = min(layout.layers[node] for node in group.members)
        bottom = max(layout.layers[node] for node in group.members)
        for layer, row in layer_rows(layout).items():
            inside = [node in group.members for node in row]
            if True in inside:   # side by side in the layer
                first, last = inside.index(True), len(inside) - inside[::-1].index(True)
                assert all(inside[first:last]), (group.label, row)
            if top <= layer <= bottom:   # and nothing else within the box
                for node in row:
                    if node not in group.members:
                        x = layout.positions[node][0]
                        assert x + half_width <= left or x - half_width >= right, (group.label, node)


def test_group_layout_is_deterministic(two_layer):
    first = layered_layout(build_graph(two_layer))
    second = layered_layout(build_graph(two_layer))
    assert first.positions == second.positions and first.edge_points == second.edge_points


def test_groups_cost_no_crossing_on_a_crossing_free_graph():
    # f1 and f3 in one call, f2 outside: grouping must not make the edges cross.
    graph = nx.DiGraph(view="tensor_function")
    graph.add_edges_from([("a", "f1"), ("b", "f2"), ("c", "f3"), ("f1", "d"), ("f2", "d"), ("f3", "e")])
    for node in graph:
        graph.nodes[node].update(kind="function", label=node, order=("", 0))
    graph.nodes["f1"]["scope"] = ("g",)
    graph.nodes["f3"]["scope"] = ("g",)
    graph.graph["groups"] = find_groups(graph)
    layout = layered_layout(graph)
    plain = graph.copy()
    plain.graph["groups"] = []
    assert count_crossings(graph, layout) == count_crossings(plain, layered_layout(plain)) == 0
