"""Layered (Sugiyama-style) layout of a computation graph, free of any GUI toolkit.

``layered_layout`` places the nodes of a directed graph whose edges run from producer
to consumer: producers sit in layers above their consumers, edges spanning several
layers bend through dummy slots, node order in each layer is chosen for few crossings
and x coordinates keep chains straight with parents centred over their children.

The pipeline: stable numbering -> cycle guard and layers (``ranking``) -> dummy nodes
for long edges -> crossing reduction (``crossings``) -> members of the graph's
``groups`` side by side (``group_order``) -> coordinates -> ``Layout``.
Every step works on integer ranks of the node ids sorted by a natural key, so the
same graph gives the same picture whatever order it was built in. Passing the
previous frame's ``Layout`` keeps nodes that were already drawn where they were.
``count_crossings`` measures any ``Layout``, this module's or one read back from dot.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from operator import add, sub

import numpy as np

from explorer.graph.crossings import LayerOrdering, starting_order
from explorer.graph.group_order import clear_boxes, keep_groups_together, member_chains
from explorer.graph.ranking import LayeredGraph, assign_layers, break_cycles
from explorer.graph.segment_crossings import count_segment_crossings
from explorer.program.collector import collections_paused

__all__ = ["Layout", "layered_layout", "count_crossings", "natural_key"]

DEFAULT_NODE_SIZE = (80.0, 30.0)
DIRECTIONS = ("TB", "BT", "LR", "RL")

# Weights of the coordinate objective by how many ends of an edge are dummies, as in
# dot: keeping long edges straight matters most.
EDGE_WEIGHT = (1.0, 2.0, 8.0)
DIGIT_RUNS = re.compile(r"(\d+)")
# Most ids are a name and one number ("t12"): matched whole, they skip the general split.
NAME_AND_NUMBER = re.compile(r"(\D*)(\d+)")
ASCII_DIGITS = "0123456789"
# Extra room between layers per nesting level of the graph's groups: a box's label
# sits above its top members, a nested box's label above the label holding it.
GROUP_HEADER_ROOM = 16.0
# A node that was on screen pulls towards its old place harder than all its edges.
ANCHOR_WEIGHT = 1e6


@dataclass
class Layout:
    """Where everything goes, in scene units.

    positions:   node id -> (x, y) of the node's centre.
    layers:      node id -> layer index, 0 for the top (or leftmost) layer.
    edge_points: (tail, head) -> polyline from the tail's centre to the head's centre,
                 one point per layer it passes, so long edges bend around other nodes.
    bounds:      (left, top, right, bottom) of all node boxes.
    direction:   "TB", "BT", "LR" or "RL": where layer 0 is and which way edges go.

    Layer 0 is at the top for "TB" (at the left for "LR"). "BT" and "RL" mirror that
    by negating the layer axis, so a graph growing by new layers never moves the old
    ones, whatever the direction.
    """

    positions: dict
    layers: dict
    edge_points: dict
    bounds: tuple[float, float, float, float]
    direction: str = "TB"

    @property
    def width(self) -> float:
        return self.bounds[2] - self.bounds[0]

    @property
    def height(self) -> float:
        return self.bounds[3] - self.bounds[1]


def natural_key(node):
    """Sort key for node ids: by type name, then text with digit runs compared as numbers.

    "t2" sorts before "t10"; ids of different types never get compared directly.
    """
    if type(node) is str:
        # Most ids are letters and a number ("t12"): the key the split below would give,
        # built directly. Letters are never digits, so stripping the trailing digits
        # leaves exactly the name the split would find.
        name = node.rstrip(ASCII_DIGITS)
        if len(name) < len(node) and name.isalpha():
            return "str", (name, int(node[len(name):]), "")
        simple = NAME_AND_NUMBER.fullmatch(node)
        if simple is not None:
            name, number = simple.groups()
            return "str", (name, int(number), "")
    parts = DIGIT_RUNS.split(str(node))
    parts[1::2] = map(int, parts[1::2])  # split() puts the digit runs at odd indices
    return type(node).__name__, tuple(parts)


def layered_layout(graph, previous: Layout | None = None, *, node_size=None, rank_sep=50.0,
                   node_sep=30.0, direction="TB") -> Layout:
    """Lay out ``graph`` (a networkx DiGraph, edges from producer to consumer).

    node_size: callable node -> (width, height); every node is 80 x 30 when None.
    rank_sep:  free space between consecutive layers.
    node_sep:  free space between neighbouring nodes in a layer (half that next to a
               bend of a long edge).
    previous:  the layout of the previous frame; nodes it holds keep their layer, their
               order within the layer and, as far as room allows, their coordinates.
    Self-loops are ignored; cycles are broken by reversing DFS back edges.
    A graph with ``groups`` (``explorer.graph.groups``: the calls its nodes were made
    in) gets each group's members side by side, the nodes beside a group's box moved
    out of it, and ``GROUP_HEADER_ROOM`` more between layers per nesting level, for
    the boxes' labels.
    """
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {DIRECTIONS}, not {direction!r}")
    # The layout allocates hundreds of thousands of small lists and tuples but makes no
    # reference cycle, so the cyclic collector would only rescan them (5-10% of the time).
    with collections_paused():
        return _layered_layout(graph, previous, node_size, rank_sep, node_sep, direction)


def _layered_layout(graph, previous, node_size, rank_sep, node_sep, direction):
    if previous is not None and previous.direction != direction:
        previous = None
    nodes = sorted(graph.nodes, key=natural_key)
    index = dict(zip(nodes, range(len(nodes))))
    original_edges = _ranked_edges(graph, index)
    edges, reversed_edges, topological = break_cycles(len(nodes), original_edges)
    layer_of = assign_layers(len(nodes), edges, _previous_layers(nodes, previous), topological)
    routed, direct = _within_bend_budget(edges, layer_of)
    proper = LayeredGraph(layer_of, routed)
    across = 1 if direction in ("LR", "RL") else 0
    sizes = [node_size(node) for node in nodes] if node_size else [DEFAULT_NODE_SIZE] * len(nodes)
    extent = [float(size[across]) for size in sizes] + [0.0] * proper.dummy_count
    anchors = _previous_anchors(nodes, proper, reversed_edges, previous, across)
    only = (proper.only_up, proper.only_down)
    if anchors:
        layers, gap_crossings = _order_near_previous(proper, anchors), None
    else:
        layers, gap_crossings = starting_order(proper.layer_of, proper.up, proper.down, only[1])
    pinned = [node in anchors for node in range(proper.size)] if anchors else [False] * proper.size
    layers = LayerOrdering(layers, proper.up, proper.down, pinned, gap_crossings, only).run()
    groups = graph.graph.get("groups")
    if groups:  # calls drawn as boxes: their members side by side where it costs no crossing
        chains = member_chains(nodes, groups, proper)
        layers = keep_groups_together(layers, chains, proper.down, proper.only_down, pinned)
    order_coordinate = _assign_order_coordinates(layers, proper, extent, node_sep, anchors)
    if groups:  # and the nodes beside a box out of it
        clear_boxes(layers, chains, order_coordinate, extent, node_sep)
        rank_sep += GROUP_HEADER_ROOM * max(len(group.path) for group in groups)
    if not anchors:
        left = min([centre - width / 2 for centre, width in zip(order_coordinate, extent[:len(nodes)])],
                   default=0.0)
        order_coordinate = [value - left for value in order_coordinate]
    # One pitch for all layers: a taller node joining later must not shift the rest.
    thickness = max([float(size[1 - across]) for size in sizes], default=0.0)
    pitch = thickness + rank_sep
    # Which routed edges are original matters only once a cycle was broken.
    originals = set(original_edges) if reversed_edges else None
    layout = _build_layout(nodes, proper, originals, reversed_edges, order_coordinate,
                           sizes, thickness, pitch, direction)
    for tail, head in direct:
        if (tail, head) in reversed_edges:
            tail, head = head, tail
        layout.edge_points[(nodes[tail], nodes[head])] = [layout.positions[nodes[tail]],
                                                          layout.positions[nodes[head]]]
    return layout


def _ranked_edges(graph, index):
    """The edges as sorted (tail rank, head rank) pairs, self-loops left out. A plain
    walk over the adjacency dicts: it takes half the time of ``graph.edges``, and each
    pair comes once, so no set is needed."""
    edges = []
    for tail, heads in graph.adjacency():
        rank = index[tail]
        for head in heads:
            if head != tail:
                edges.append((rank, index[head]))
    edges.sort()
    return edges


# NOTE [bend budget]
# Every layer a long edge passes gets a bend (dummy) node, and ordering costs grow
# with their number. A tensor used by every op of a long loop (a weight in
# ``y = y * w``) spans the whole graph hundreds of times: hundreds of thousands of
# bends, for edges whose route no one can follow anyway. Past a budget of bends
# per node, the longest edges are drawn straight and left out of the ordering.
BENDS_PER_NODE = 8


def _within_bend_budget(edges, layer_of):
    """Split ``edges`` into those routed through bends and the longest, drawn straight."""
    budget = BENDS_PER_NODE * len(layer_of) + 200
    total = -len(edges)
    for tail, head in edges:
        total += layer_of[head] - layer_of[tail]
    if total <= budget:  # the usual case, told without listing the spans
        return edges, []
    spans = [(layer_of[head] - layer_of[tail] - 1, index) for index, (tail, head) in enumerate(edges)]
    direct = set()
    for span, index in sorted(spans, reverse=True):
        if total <= budget or span <= 1:
            break
        direct.add(index)
        total -= span
    routed = [edge for index, edge in enumerate(edges) if index not in direct]
    return routed, [edges[index] for index in sorted(direct)]


# --------------------------------------------------------------------------- ordering


def _previous_layers(nodes, previous):
    """Each node's layer in the previous frame, -1 for nodes new in this one."""
    if previous is None:
        return [-1] * len(nodes)
    return [previous.layers.get(node, -1) for node in nodes]


def _previous_anchors(nodes, proper, reversed_edges, previous, across):
    """Old order coordinate of every node (real or dummy) still in the same layer."""
    if previous is None:
        return {}
    anchors = {}
    for rank, node in enumerate(nodes):
        if previous.layers.get(node) == proper.layer_of[rank]:
            anchors[rank] = previous.positions[node][across]
    for (top, bottom), chain in proper.chains.items():
        tail, head = (bottom, top) if (bottom, top) in reversed_edges else (top, bottom)
        points = previous.edge_points.get((nodes[tail], nodes[head]))
        if top not in anchors or bottom not in anchors or points is None:
            continue
        if len(points) != len(chain) + 2:
            continue
        if tail != top:
            points = points[::-1]
        for dummy, point in zip(chain, points[1:-1]):
            anchors[dummy] = point[across]
    return anchors


def _order_near_previous(proper, anchors):
    """Starting order from the old frame: old nodes by old coordinate, new ones near
    the mean of their already placed neighbours (top-down, then bottom-up)."""
    estimate = dict(anchors)
    by_layer = sorted(range(proper.size), key=lambda node: (proper.layer_of[node], node))
    for sequence, neighbours in ((by_layer, proper.up), (by_layer[::-1], proper.down)):
        for node in sequence:
            if node not in estimate:
                known = [estimate[other] for other in neighbours[node] if other in estimate]
                if known:
                    estimate[node] = sum(known) / len(known)
    layers = proper.empty_layers()
    unplaced = float("inf")
    for node in sorted(range(proper.size), key=lambda node: (estimate.get(node, unplaced), node)):
        layers[proper.layer_of[node]].append(node)
    return layers


# --------------------------------------------------------------------------- coordinates


def _assign_order_coordinates(layers, proper, extent, node_sep, anchors):
    """Coordinates across the layers, in two passes over the layers.

    Top-down, each node wants the weighted median of its producers' coordinates (or its
    old coordinate, if it was on screen); bottom-up, the weighted median of its
    consumers'. Medians keep chains straight when a side input joins them, and a tie
    takes the midpoint, so a parent ends up centred over two children. In each layer the
    wishes are met as closely as the order and the minimum gaps allow (``_fit_layer``).
    The second pass pulls leaf inputs next to the op that reads them; more passes (in
    the style of Gauss-Seidel) were tried and only bent more edges.
    """
    coordinate = [0.0] * proper.size
    first_dummy = proper.real_count
    offsets = [_layer_offsets(layer, first_dummy, extent, node_sep) for layer in layers]
    only_up, only_down = proper.only_up, proper.only_down
    if anchors:  # an old node wants its old place, not its one link: ``_wish`` handles it
        only_up = [-1 if node in anchors else other for node, other in enumerate(only_up)]
        only_down = [-1 if node in anchors else other for node, other in enumerate(only_down)]
    for index, layer in enumerate(layers):
        # Nodes with nothing above start packed and centred; the bottom-up pass moves them.
        centre = offsets[index][-1] / 2 if layer else 0.0
        _fit_layer(layer, offsets[index], proper.up, only_up, first_dummy, coordinate, anchors, centre)
    for index in range(len(layers) - 1, -1, -1):
        _fit_layer(layers[index], offsets[index], proper.down, only_down, first_dummy, coordinate, anchors,
                   None)
    return coordinate


def _layer_offsets(layer, first_dummy, extent, node_sep):
    """Minimum distance of each node's centre from the first node's centre."""
    if not layer:
        return []
    offsets, total = [0.0], 0.0
    for before, node in zip(layer, layer[1:]):
        gap = node_sep / 2 if node >= first_dummy or before >= first_dummy else node_sep
        total += (extent[before] + extent[node]) / 2 + gap
        offsets.append(total)
    return offsets


def _wish(node, others, first_dummy, coordinate, anchors, fallback):
    """(wanted coordinate, weight) of a node towards its ``others`` (up or down): its old
    place if it has one, else the weighted median of the neighbours' coordinates (the
    midpoint when the median is a tie), else ``fallback`` with a token weight.

    Links weigh as in dot: 1 between real nodes, 2 next to a dummy, 8 between dummies
    (long edges run straight).
    """
    anchor = anchors.get(node)
    if anchor is not None:
        return anchor, ANCHOR_WEIGHT
    dummy = node >= first_dummy
    if len(others) == 1:
        return coordinate[others[0]], EDGE_WEIGHT[dummy + (others[0] >= first_dummy)]
    if not others:
        return fallback, 1.0
    if len(others) == 2:  # the usual case (an op's two inputs), without the general sort
        low, high = others
        low = (coordinate[low], EDGE_WEIGHT[dummy + (low >= first_dummy)])
        high = (coordinate[high], EDGE_WEIGHT[dummy + (high >= first_dummy)])
        if high < low:
            low, high = high, low
        total = low[1] + high[1]
        if low[1] == high[1]:
            return (low[0] + high[0]) / 2, total
        return (low[0] if low[1] > high[1] else high[0]), total
    points = sorted((coordinate[other], EDGE_WEIGHT[dummy + (other >= first_dummy)]) for other in others)
    total = sum(weight for _, weight in points)
    reached = 0.0
    for slot, (value, weight) in enumerate(points):
        reached += weight
        if reached * 2 == total:
            return (value + points[slot + 1][0]) / 2, total
        if reached * 2 > total:
            return value, total
    return points[-1][0], total


def _fit_layer(layer, offsets, neighbours, only, first_dummy, coordinate, anchors, centre):
    """Closest coordinates to the wishes (weighted least squares, ``_wish`` towards
    ``neighbours``) that keep the layer's order and gaps. With y = x - offset the gaps
    become y non-decreasing, which pool adjacent violators solves exactly: merge
    neighbouring blocks while the left one wants to sit further right, each block
    sitting at its weighted mean.

    Wishes look only at another layer, so each is made as its slot comes up; the usual
    one, a single link (``only``, -1 for an anchored node), inline. A node with no
    neighbours falls back to its packed place around ``centre``, or with ``centre``
    None to where it is.
    """
    if not layer:
        return
    # Blocks as three parallel stacks: total weight, weighted sum of shifted wishes,
    # first slot.
    weights, sums, firsts = [], [], []
    for slot, node in enumerate(layer):
        other = only[node]
        if other >= 0:
            weight = EDGE_WEIGHT[(node >= first_dummy) + (other >= first_dummy)]
            total = weight * (coordinate[other] - offsets[slot])
        else:
            fallback = coordinate[node] if centre is None else offsets[slot] - centre
            wish, weight = _wish(node, neighbours[node], first_dummy, coordinate, anchors, fallback)
            total = weight * (wish - offsets[slot])
        first = slot
        while weights and sums[-1] * weight > total * weights[-1]:
            weight, total, first = weights.pop() + weight, sums.pop() + total, firsts.pop()
        weights.append(weight)
        sums.append(total)
        firsts.append(first)
    if len(firsts) == len(layer):  # no block merged, the usual case: each node at its wish
        for node, weight, total, offset in zip(layer, weights, sums, offsets, strict=True):
            coordinate[node] = total / weight + offset
        return
    firsts.append(len(layer))
    for block, (weight, total) in enumerate(zip(weights, sums, strict=True)):
        value = total / weight
        for slot in range(firsts[block], firsts[block + 1]):
            coordinate[layer[slot]] = value + offsets[slot]


# --------------------------------------------------------------------------- output


def _build_layout(nodes, proper, original_edges, reversed_edges, order_coordinate, sizes, thickness,
                  pitch, direction):
    """Turn (order coordinate, layer) pairs into scene points for ``direction``."""
    sign = -1.0 if direction in ("BT", "RL") else 1.0
    layer_count = max(proper.layer_of, default=-1) + 1
    along = [sign * (thickness / 2 + layer * pitch) for layer in range(layer_count)]
    along_of = [along[layer] for layer in proper.layer_of]
    if direction in ("LR", "RL"):
        points = list(zip(along_of, order_coordinate, strict=True))
    else:
        points = list(zip(order_coordinate, along_of, strict=True))
    positions = dict(zip(nodes, points, strict=False))  # the real nodes come first
    layers = dict(zip(nodes, proper.layer_of, strict=False))
    edge_points = {}
    down, first_dummy = proper.down, proper.real_count
    for top in range(first_dummy):
        start, name = points[top], nodes[top]
        for step in down[top]:
            if step < first_dummy:  # most edges: no bend
                path = [start, points[step]]
            else:
                path = [start]
                while step >= first_dummy:
                    path.append(points[step])
                    step = down[step][0]
                path.append(points[step])
            # With no cycle broken (the usual case) every edge is an original one.
            if not reversed_edges or (top, step) in original_edges:
                edge_points[(name, nodes[step])] = path
            if reversed_edges and (step, top) in reversed_edges:
                edge_points[(nodes[step], nodes[top])] = path[::-1]
    return Layout(positions, layers, edge_points, _bounds(points, sizes), direction)


def _bounds(points, sizes):
    """(left, top, right, bottom) around the boxes of the real nodes (the first points)."""
    if not sizes:
        return (0.0, 0.0, 0.0, 0.0)
    xs, ys = zip(*points[:len(sizes)])
    half_widths = [width / 2 for width, _ in sizes]
    half_heights = [height / 2 for _, height in sizes]
    return (min(map(sub, xs, half_widths)), min(map(sub, ys, half_heights)),
            max(map(add, xs, half_widths)), max(map(add, ys, half_heights)))


# --------------------------------------------------------------------------- measuring


def count_crossings(graph, layout) -> int:
    """Edge crossings of ``layout`` between adjacent layers, long edges through their bends.

    ``layout.layers`` gives each node's layer and ``layout.edge_points`` the polyline of
    each edge, one point per layer it passes (where it lacks the bends, a straight line
    between the ends stands in). Order within a layer is the coordinate across layers:
    x for top-down or bottom-up layouts, y for left-right ones.
    """
    across = 1 if layout.direction in ("LR", "RL") else 0
    gaps, upper, lower = [], [], []
    for tail, head in graph.edges:
        if tail == head:
            continue
        top, bottom = layout.layers[tail], layout.layers[head]
        crossing_at = _edge_order_coordinates(layout, tail, head, across)
        if top > bottom:
            top, bottom = bottom, top
            crossing_at = crossing_at[::-1]
        for step in range(bottom - top):
            gaps.append(top + step)
            upper.append(crossing_at[step])
            lower.append(crossing_at[step + 1])
    return count_segment_crossings(np.asarray(gaps), np.asarray(upper, float), np.asarray(lower, float))


def _edge_order_coordinates(layout, tail, head, across):
    """Order coordinate of edge (tail, head) at each layer from tail's to head's."""
    span = abs(layout.layers[head] - layout.layers[tail])
    points = layout.edge_points.get((tail, head))
    if points is not None and len(points) == span + 1:
        return [point[across] for point in points]
    start, end = layout.positions[tail][across], layout.positions[head][across]
    return [start + (end - start) * step / max(span, 1) for step in range(span + 1)]
