"""Layered layout of computation graphs: layering, order, coordinates, stability, speed."""
import random
import time

import networkx as nx
import pytest

from explorer.graph.layout import Layout, count_crossings, layered_layout

NODE_SEP = 30.0


def chain(*names):
    """DiGraph of one path through ``names``."""
    return nx.DiGraph(list(zip(names, names[1:], strict=False)))


def computation_graph(node_count, seed=0):
    """Tensors and Function nodes alternating, inputs mostly from the latest tensors,
    sometimes a fresh leaf (a weight) and now and then a long skip connection."""
    rng = random.Random(seed)
    graph = nx.DiGraph()
    tensors = ["t0", "t1"]
    graph.add_nodes_from(tensors)
    while graph.number_of_nodes() + 2 <= node_count:
        function = f"f{graph.number_of_nodes()}"
        sources = {tensors[-1 - min(int(rng.expovariate(1.5)), len(tensors) - 1)]}
        if rng.random() < 0.5:
            if rng.random() < 0.3:
                tensors.append(f"t{graph.number_of_nodes()}")
                sources.add(tensors[-1])
            elif rng.random() < 0.1:
                sources.add(rng.choice(tensors))
            else:
                sources.add(tensors[-2])
        graph.add_edges_from((source, function) for source in sorted(sources))
        tensors.append(f"t{graph.number_of_nodes()}")
        graph.add_edge(function, tensors[-1])
    return graph


def shuffled_copy(graph, seed):
    """The same graph, nodes and edges inserted in another order."""
    rng = random.Random(seed)
    nodes, edges = list(graph.nodes), list(graph.edges)
    rng.shuffle(nodes)
    rng.shuffle(edges)
    copy = nx.DiGraph()
    copy.add_nodes_from(nodes)
    copy.add_edges_from(edges)
    return copy


def sized(node):
    """Node sizes that differ, as real labels do."""
    return (40.0 + 13 * (len(node) % 5), 24.0 if node.startswith("t") else 32.0)


# --------------------------------------------------------------------------- layering


def test_producers_sit_above_consumers():
    graph = computation_graph(120, seed=3)
    layout = layered_layout(graph)
    for tail, head in graph.edges:
        assert layout.layers[tail] < layout.layers[head]
        assert layout.positions[tail][1] < layout.positions[head][1]


def test_leaf_inputs_sit_just_above_their_first_consumer():
    graph = chain("x", "PowBackward0", "y", "MulBackward0", "z")
    graph.add_edge("w", "MulBackward0")
    layout = layered_layout(graph)
    assert layout.layers["w"] == layout.layers["MulBackward0"] - 1


def test_directions_turn_the_picture():
    graph = chain("a", "f", "b")
    down = layered_layout(graph, direction="TB").positions
    up = layered_layout(graph, direction="BT").positions
    right = layered_layout(graph, direction="LR").positions
    left = layered_layout(graph, direction="RL").positions
    assert down["a"][1] < down["b"][1] and up["a"][1] > up["b"][1]
    assert right["a"][0] < right["b"][0] and left["a"][0] > left["b"][0]
    with pytest.raises(ValueError):
        layered_layout(graph, direction="sideways")


def test_cycles_and_self_loops_do_not_break_it():
    graph = nx.DiGraph([("a", "b"), ("b", "c"), ("c", "a"), ("c", "c"), ("c", "d")])
    layout = layered_layout(graph)
    assert set(layout.positions) == set(graph.nodes)
    for tail, head in graph.edges:
        if tail != head:
            points = layout.edge_points[(tail, head)]
            assert points[0] == layout.positions[tail] and points[-1] == layout.positions[head]


def test_separate_pieces_each_start_at_the_top_and_do_not_overlap():
    graph = chain("a", "f", "b", "g", "c", "h", "d")
    graph.add_edges_from(chain("x", "k", "y").edges)
    graph.add_edge("d", "m")
    graph.add_node("alone")
    layout = layered_layout(graph)
    assert layout.layers["a"] == layout.layers["x"] == layout.layers["alone"] == 0
    points = sorted(layout.positions.values())
    assert len(set(points)) == len(points)


def test_empty_and_single_node_graphs():
    assert layered_layout(nx.DiGraph()).positions == {}
    single = nx.DiGraph()
    single.add_node("t0")
    layout = layered_layout(single)
    assert layout.layers == {"t0": 0}
    assert layout.width == 80.0 and layout.height == 30.0


# --------------------------------------------------------------------------- geometry


def test_nodes_in_a_layer_never_overlap():
    graph = computation_graph(150, seed=5)
    layout = layered_layout(graph, node_size=sized, node_sep=NODE_SEP)
    by_layer = {}
    for node, layer in layout.layers.items():
        by_layer.setdefault(layer, []).append(node)
    for nodes in by_layer.values():
        nodes.sort(key=lambda node: layout.positions[node][0])
        for left, right in zip(nodes, nodes[1:], strict=False):
            gap = layout.positions[right][0] - layout.positions[left][0]
            assert gap >= (sized(left)[0] + sized(right)[0]) / 2 + NODE_SEP - 1e-6


def test_bounds_hold_every_box():
    graph = computation_graph(80, seed=2)
    layout = layered_layout(graph, node_size=sized)
    left, top, right, bottom = layout.bounds
    assert left == 0.0 and top >= 0.0
    for node, (x, y) in layout.positions.items():
        width, height = sized(node)
        assert left <= x - width / 2 and x + width / 2 <= right
        assert top <= y - height / 2 and y + height / 2 <= bottom


def test_long_edges_bend_through_one_point_per_layer():
    graph = chain("x", "f1", "a", "f2", "b")
    graph.add_edge("x", "f2")
    layout = layered_layout(graph)
    points = layout.edge_points[("x", "f2")]
    assert len(points) == layout.layers["f2"] - layout.layers["x"] + 1
    assert [y for _, y in points] == sorted(y for _, y in points)


def test_a_chain_is_straight():
    layout = layered_layout(chain("x", "PowBackward0", "y", "MulBackward0", "z"))
    assert len({x for x, _ in layout.positions.values()}) == 1


def test_a_diamond_is_symmetric():
    # y feeds two ops whose results meet again: z = sin(y) + cos(y).
    graph = nx.DiGraph([("x", "PowBackward0"), ("PowBackward0", "y"),
                        ("y", "SinBackward0"), ("y", "CosBackward0"),
                        ("SinBackward0", "s"), ("CosBackward0", "c"),
                        ("s", "AddBackward0"), ("c", "AddBackward0"), ("AddBackward0", "z")])
    x = {node: point[0] for node, point in layered_layout(graph).positions.items()}
    centre = x["y"]
    for node in ("x", "PowBackward0", "AddBackward0", "z"):
        assert x[node] == pytest.approx(centre)
    assert x["SinBackward0"] + x["CosBackward0"] == pytest.approx(2 * centre)
    assert x["s"] + x["c"] == pytest.approx(2 * centre)
    assert abs(x["SinBackward0"] - x["CosBackward0"]) >= 80.0 + NODE_SEP - 1e-6


# --------------------------------------------------------------------------- order


def test_a_crossing_free_graph_gets_no_crossing():
    # Built so that the insertion order alone would cross a1->b2 with a2->b1.
    graph = nx.DiGraph([("r", "a2"), ("r", "a1"), ("a1", "b2"), ("a2", "b1"),
                        ("b1", "c"), ("b2", "d"), ("c", "e"), ("d", "e")])
    assert count_crossings(graph, layered_layout(graph)) == 0


def test_random_computation_graph_has_few_crossings():
    graph = computation_graph(200, seed=11)
    assert count_crossings(graph, layered_layout(graph)) <= 10


def test_same_graph_in_another_insertion_order_gives_the_same_layout():
    graph = computation_graph(150, seed=7)
    first = layered_layout(graph)
    for seed in range(3):
        again = layered_layout(shuffled_copy(graph, seed))
        assert again.positions == first.positions
        assert again.layers == first.layers
        assert again.edge_points == first.edge_points


# --------------------------------------------------------------------------- counting


def hand_layout(columns, layers, edge_points=None):
    """Layout with node x from ``columns`` and layer (and y) from ``layers``."""
    positions = {node: (float(x), 100.0 * layers[node]) for node, x in columns.items()}
    return Layout(positions, dict(layers), edge_points or {}, (0.0, 0.0, 1.0, 1.0))


def test_count_crossings_on_hand_made_layouts():
    graph = nx.DiGraph([("a", "c"), ("b", "d")])
    layers = {"a": 0, "b": 0, "c": 1, "d": 1}
    assert count_crossings(graph, hand_layout({"a": 0, "b": 1, "c": 0, "d": 1}, layers)) == 0
    assert count_crossings(graph, hand_layout({"a": 0, "b": 1, "c": 1, "d": 0}, layers)) == 1
    # Edges sharing an end never cross.
    fan = nx.DiGraph([("a", "c"), ("a", "d"), ("b", "d")])
    assert count_crossings(fan, hand_layout({"a": 0, "b": 1, "c": 0, "d": 1}, layers)) == 0
    # K(3,3) drawn in order: each of the 3 pairs of "parallel-shifted" edges cross.
    complete = nx.DiGraph([(u, v) for u in "abc" for v in "xyz"])
    columns = {"a": 0, "b": 1, "c": 2, "x": 0, "y": 1, "z": 2}
    k33_layers = {**{u: 0 for u in "abc"}, **{v: 1 for v in "xyz"}}
    assert count_crossings(complete, hand_layout(columns, k33_layers)) == 9


def test_count_crossings_follows_long_edges_through_their_bends():
    graph = nx.DiGraph([("a", "c"), ("m", "n")])
    layers = {"a": 0, "c": 2, "m": 1, "n": 2}
    columns = {"a": 0, "c": 0, "m": 1, "n": 1}
    # The long edge a->c bends right of m at layer 1, then comes back left of n.
    bent = {("a", "c"): [(0.0, 0.0), (2.0, 100.0), (0.0, 200.0)]}
    assert count_crossings(graph, hand_layout(columns, layers, bent)) == 1
    straight = {("a", "c"): [(0.0, 0.0), (0.0, 100.0), (0.0, 200.0)]}
    assert count_crossings(graph, hand_layout(columns, layers, straight)) == 0


# --------------------------------------------------------------------------- stability


def test_growing_a_chain_keeps_existing_nodes_in_place():
    graph = chain("x", "PowBackward0", "y", "MulBackward0", "z")
    before = layered_layout(graph)
    graph.add_edges_from([("z", "SumBackward0"), ("SumBackward0", "s")])
    after = layered_layout(graph, before)
    for node, point in before.positions.items():
        assert after.positions[node] == pytest.approx(point)
        assert after.layers[node] == before.layers[node]


@pytest.mark.parametrize("seed", range(6))
def test_growing_a_graph_moves_old_nodes_little_and_keeps_their_order(seed):
    graph = computation_graph(120, seed=seed)
    before = layered_layout(graph)
    latest = max((node for node in graph if node.startswith("t")), key=lambda node: int(node[1:]))
    graph.add_edges_from([("t_weight", "f_new"), (latest, "f_new"), ("f_new", "t_new")])
    after = layered_layout(graph, before)
    moved = 0
    for node, (x, y) in before.positions.items():
        assert after.layers[node] == before.layers[node]
        assert after.positions[node][1] == pytest.approx(y)
        shift = abs(after.positions[node][0] - x)
        # At worst a new node squeezes in between two old ones, which make half a
        # slot of room each.
        assert shift <= (80.0 + NODE_SEP) / 2 + 1e-3
        moved += shift > 1e-3
    assert moved <= 2
    for layer in set(before.layers.values()):
        old = [node for node in before.layers if before.layers[node] == layer]
        assert sorted(old, key=lambda node: before.positions[node][0]) == sorted(
            old, key=lambda node: after.positions[node][0])


def test_a_graph_recorded_op_by_op_stays_calm_frame_to_frame():
    full = computation_graph(80, seed=9)
    graph, previous = nx.DiGraph(), None
    for node in nx.topological_sort(full):
        graph.add_node(node)
        graph.add_edges_from((source, node) for source in full.predecessors(node))
        layout = layered_layout(graph, previous)
        if previous is not None:
            for old, (x, _) in previous.positions.items():
                assert layout.layers[old] == previous.layers[old]
                assert abs(layout.positions[old][0] - x) <= (80.0 + NODE_SEP) / 2 + 1e-3
        previous = layout
    assert count_crossings(graph, layout) <= count_crossings(graph, layered_layout(graph)) + 2


def test_previous_layout_of_another_direction_is_ignored():
    graph = chain("a", "f", "b")
    sideways = layered_layout(graph, direction="LR")
    assert layered_layout(graph, sideways).positions == layered_layout(graph).positions


# --------------------------------------------------------------------------- speed


def test_two_hundred_nodes_lay_out_well_under_a_second():
    graph = computation_graph(200, seed=1)
    layered_layout(graph)  # warm caches and imports
    start = time.process_time()
    layered_layout(graph)
    assert time.process_time() - start < 0.5
