"""Keeping the members of a group (a call's box) side by side within each layer.

A box drawn around a group's members covers whatever sits between them, so after
crossing reduction the layers are re-sorted by group-aware keys: a group's members
gather where its first member is, nested groups likewise inside their parent,
everything else keeps its slot. Gathering can add crossings that another order
of the same blocks avoids, so a local search follows that swaps neighbouring
blocks (a node, or a whole group) among their siblings while that removes
crossings: groups stay whole throughout.

The result is taken only if it has no more crossings than the order it started
from; otherwise each layer is gathered on its own where that costs no crossing.
Nodes that were on screen in the previous frame (pinned) never change their
relative order.

Nodes are the layout's integers (real nodes, then dummies); ``chains[v]`` lists
the groups v belongs to, outermost first, as small integers.
"""
from __future__ import annotations

from explorer.graph.segment_crossings import count_gap

# Sweeps of the block search (down and up the layers), and its work per node.
BLOCK_SWEEPS = 6
SWAP_BUDGET = 40
# Clearing boxes may widen the drawing this many times (and a margin per group) at most.
MAX_WIDENING = 3.0


def member_chains(nodes, groups, proper) -> list[tuple]:
    """Each node's groups, outermost first: ``groups`` (parents before children) over
    ``nodes`` (the layout's real nodes in rank order). A dummy of a long edge belongs
    to the groups both ends share: the edge runs inside those boxes."""
    rank = {node: index for index, node in enumerate(nodes)}
    chains = [[] for _ in range(proper.size)]
    for number, group in enumerate(groups):
        for node in group.members:
            if node in rank:
                chains[rank[node]].append(number)
    for (top, bottom), chain in proper.chains.items():
        shared = []
        for first, second in zip(chains[top], chains[bottom]):
            if first != second:
                break
            shared.append(first)
        for dummy in chain:
            chains[dummy] = shared
    return [tuple(chain) for chain in chains]


def keep_groups_together(layers, chains, down, only_down, pinned):
    """``layers`` with each group's members adjacent wherever that costs no crossing."""
    position = [0] * len(chains)
    _number(layers, position)
    before = _total(layers, down, only_down, position)
    if not any(pinned):
        gathered = [_grouped_order(layer, chains) for layer in layers]
        _number(gathered, position)
        if _total(gathered, down, only_down, position) <= before:
            return gathered
        gathered = _swap_blocks(gathered, chains, down, only_down, position)
        if _total(gathered, down, only_down, position) <= before:
            return gathered
        _number(layers, position)
    return _gather_each_layer(layers, chains, down, only_down, pinned, position)


def _number(layers, position):
    for layer in layers:
        for slot, node in enumerate(layer):
            position[node] = slot


def _total(layers, down, only_down, position):
    return sum(count_gap(layer, down, only_down, position) for layer in layers[:-1])


def _gather_each_layer(layers, chains, down, only_down, pinned, position):
    """Each layer gathered on its own, where that adds no crossing to its two gaps."""
    result = [list(layer) for layer in layers]
    for index, layer in enumerate(result):
        regrouped = _grouped_order(layer, chains)
        if regrouped == layer or not _pinned_order_kept(layer, regrouped, pinned):
            continue
        fewest = _crossings_around(result, index, down, only_down, position)
        if _place(result, index, regrouped, down, only_down, position) > fewest:
            _place(result, index, layer, down, only_down, position)
    return result


def _swap_blocks(layers, chains, down, only_down, position):
    """Swap neighbouring sibling blocks to remove crossings (layers stay grouped).

    A swap that keeps the count is taken too, unless it gives a layer an order it had
    before: a crossing often has to move through a layer before it can go, and the
    remembered orders keep the walk from going round in circles. The best ordering
    met is returned; the work (the widths of the layers evaluated) is bounded by
    ``SWAP_BUDGET`` per node.
    """
    trees = [_block_tree(layer, chains) for layer in layers]
    seen = [{tuple(layer)} for layer in layers]
    total = best_total = _total(layers, down, only_down, position)
    best = [list(layer) for layer in layers]
    budget = SWAP_BUDGET * len(chains) + 2000
    for sweep in range(BLOCK_SWEEPS):
        if best_total == 0 or budget <= 0:
            break
        order = range(len(layers)) if sweep % 2 == 0 else range(len(layers) - 1, -1, -1)
        for index in order:
            current = _crossings_around(layers, index, down, only_down, position)
            for siblings in _sibling_lists(trees[index]):
                for slot in range(len(siblings) - 1):
                    if current == 0 or budget <= 0:
                        break
                    budget -= len(layers[index])   # an evaluation costs about a layer's width
                    siblings[slot], siblings[slot + 1] = siblings[slot + 1], siblings[slot]
                    flat = _flatten(trees[index])
                    crossings = _place(layers, index, flat, down, only_down, position)
                    if crossings < current or (crossings == current and tuple(flat) not in seen[index]):
                        seen[index].add(tuple(flat))
                        total += crossings - current
                        current = crossings
                        if total < best_total:
                            best_total, best = total, [list(layer) for layer in layers]
                    else:   # undone: the old order back, its count known
                        siblings[slot], siblings[slot + 1] = siblings[slot + 1], siblings[slot]
                        layers[index] = flat = _flatten(trees[index])
                        for place, node in enumerate(flat):
                            position[node] = place
    _number(best, position)
    return best


def _block_tree(layer, chains, depth=0):
    """A grouped layer as nested lists: a node, or a list standing for one group's block."""
    tree, run, run_group = [], [], None
    for node in layer:
        group = chains[node][depth] if len(chains[node]) > depth else None
        if run and group != run_group:
            tree.append(_block_tree(run, chains, depth + 1))
            run = []
        if group is None:
            tree.append(node)
        else:
            run.append(node)
            run_group = group
    if run:
        tree.append(_block_tree(run, chains, depth + 1))
    return tree


def _sibling_lists(tree):
    yield tree
    for entry in tree:
        if isinstance(entry, list):
            yield from _sibling_lists(entry)


def _flatten(tree):
    nodes = []
    for entry in tree:
        if isinstance(entry, list):
            nodes.extend(_flatten(entry))
        else:
            nodes.append(entry)
    return nodes


def _place(layers, index, order, down, only_down, position):
    """Put ``order`` at layer ``index``; the crossings around it then."""
    layers[index] = order
    for slot, node in enumerate(order):
        position[node] = slot
    return _crossings_around(layers, index, down, only_down, position)


def _grouped_order(layer, chains):
    """The layer sorted by (first slot of each enclosing group, outermost first; own slot).

    Two keys differ at the first group one node is in and the other is not, where one
    compares a member's slot with another node's: never equal, so no ties.
    """
    if not any(chains[node] for node in layer):
        return list(layer)
    first = {}
    for slot, node in enumerate(layer):
        for group in chains[node]:
            first.setdefault(group, slot)
    keys = {node: tuple(first[group] for group in chains[node]) + (slot,) for slot, node in enumerate(layer)}
    return sorted(layer, key=keys.__getitem__)


def _pinned_order_kept(old, new, pinned):
    return [node for node in old if pinned[node]] == [node for node in new if pinned[node]]


def _crossings_around(layers, index, down, only_down, position):
    """Crossings in the gaps above and below layer ``index``."""
    total = count_gap(layers[index], down, only_down, position) if index + 1 < len(layers) else 0
    if index > 0:
        total += count_gap(layers[index - 1], down, only_down, position)
    return total


# --------------------------------------------------------------------------- coordinates


def clear_boxes(layers, chains, coordinate, extent, margin, rounds=6):
    """Move things right until no box covers a node or box it does not hold.

    A group's box spans its members across all their layers, so where the group is
    narrow the node next to its block, or another group's box, can fall inside it.
    For each pair of neighbours in a layer the two things that must not overlap are
    the outermost groups that hold one and not the other (or the node itself when
    there is none); when the right one starts less than ``margin`` past the left
    one's end it moves right: a node with everything right of it in its layer, a
    group with everything right of its first member in each of its layers. Two
    groups that take turns left and right of each other in different layers cannot
    be kept apart and are left as they are. A move can make another overlap, so this
    repeats a few ``rounds`` or until nothing moves. Each round is linear in the
    nodes: the moves are gathered first and then applied layer by layer.
    """
    members = {}
    for node, chain in enumerate(chains):
        for group in chain:
            members.setdefault(group, []).append(node)
    pairs = _neighbour_pairs(layers, chains)
    tangled = {pair for pair in pairs if (pair[1], pair[0]) in pairs}
    firsts = {}   # group -> {layer index: slot of its first member there}
    for index, layer in enumerate(layers):
        for slot, node in enumerate(layer):
            for group in chains[node]:
                firsts.setdefault(group, {}).setdefault(index, slot)
    start_width = _width(coordinate, extent)
    for _ in range(rounds):
        saved = list(coordinate)
        spans = {group: _span(nodes, coordinate, extent) for group, nodes in members.items()}
        node_moves, group_moves = {}, {}
        for index, layer in enumerate(layers):
            for slot in range(1, len(layer)):
                left_key, right_key = _pair_keys(layer[slot - 1], layer[slot], chains)
                if left_key[0] == right_key[0] == NODE_KEY or (left_key, right_key) in tangled:
                    continue   # two nodes of the same boxes: the layer's own gap parts them
                left_kind, left_thing = left_key
                right_kind, right_thing = right_key
                end = (spans[left_thing][1] if left_kind == GROUP_KEY
                       else coordinate[left_thing] + extent[left_thing] / 2)
                start = (spans[right_thing][0] if right_kind == GROUP_KEY
                         else coordinate[right_thing] - extent[right_thing] / 2)
                shift = end + margin - start
                if shift <= 1e-6:
                    continue
                if right_key[0] == GROUP_KEY:
                    group_moves[right_key[1]] = max(group_moves.get(right_key[1], 0.0), shift)
                else:
                    node_moves[(index, slot)] = max(node_moves.get((index, slot), 0.0), shift)
        if not node_moves and not group_moves:
            return
        by_layer = {}
        for (index, slot), shift in node_moves.items():
            by_layer.setdefault(index, {})
            by_layer[index][slot] = by_layer[index].get(slot, 0.0) + shift
        for group, shift in group_moves.items():
            for index, slot in firsts[group].items():
                by_layer.setdefault(index, {})
                by_layer[index][slot] = by_layer[index].get(slot, 0.0) + shift
        for index, moves in by_layer.items():
            carried = 0.0
            layer = layers[index]
            for slot in range(min(moves), len(layer)):
                carried += moves.get(slot, 0.0)
                coordinate[layer[slot]] += carried
        if _width(coordinate, extent) > MAX_WIDENING * start_width + margin * len(members):
            # Boxes tangled across layers push each other without end: the round is undone.
            coordinate[:] = saved
            return


def _width(coordinate, extent):
    if not coordinate:
        return 0.0
    return (max(value + size / 2 for value, size in zip(coordinate, extent))
            - min(value - size / 2 for value, size in zip(coordinate, extent)))


GROUP_KEY, NODE_KEY = "group", "node"


def _pair_keys(left, right, chains):
    """What must not overlap between neighbours ``left`` and ``right``: for each, the
    outermost group holding it and not the other, else the node itself."""
    left_chain, right_chain = chains[left], chains[right]
    common = 0
    for one, other in zip(left_chain, right_chain):
        if one != other:
            break
        common += 1
    left_key = (GROUP_KEY, left_chain[common]) if common < len(left_chain) else (NODE_KEY, left)
    right_key = (GROUP_KEY, right_chain[common]) if common < len(right_chain) else (NODE_KEY, right)
    return left_key, right_key


def _neighbour_pairs(layers, chains):
    pairs = set()
    for layer in layers:
        for slot in range(1, len(layer)):
            pairs.add(_pair_keys(layer[slot - 1], layer[slot], chains))
    return pairs


def _span(nodes, coordinate, extent):
    return (min(coordinate[node] - extent[node] / 2 for node in nodes),
            max(coordinate[node] + extent[node] / 2 for node in nodes))
