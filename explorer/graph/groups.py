"""The calls a graph's nodes were made in, as nested groups (boxes in the drawing).

Every Function node carries ``scope``, the labels of the calls it was made in,
outermost first (``("model", "model.fc1")``). Each distinct scope prefix is a
``Group``; a group's members are

- the Function nodes made in it (or in a call nested in it),
- the tensors those nodes output, when every producer of the tensor is inside,
- the parameters of a module group: inputs without a producer whose name starts
  with the group's label and a dot (``model.fc1.weight`` sits in ``model.fc1``
  and in ``model``), while other inputs (``x``) stay outside,
- the AccumulateGrad of a parameter inside: PyTorch makes it at the first use,
  outside any call, but it belongs to the parameter it accumulates into.

``collapse`` replaces the members of chosen groups by one node each, keeping the
edges that crossed the box border. Nothing here needs Qt.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import networkx as nx

GROUP = "group"
# The id of a collapsed group's node: never a snapshot id ("t3", "f7").
GROUP_NODE_PREFIX = "group:"
# Producer -> product edges: a tensor's producers are the tails of these.
PRODUCER_EDGES = ("output", "result")
# Leaf -> AccumulateGrad edges in the two views.
ACCUMULATOR_EDGES = ("accumulate", "variable")


@dataclass(frozen=True)
class Group:
    """One call's box: ``path`` is the scope prefix, its last label names the box."""

    path: tuple
    members: frozenset      # nodes inside, those of nested groups included
    kind: str = ""          # the Module's class name, when known ("Linear")
    function_count: int = 0  # Function nodes among the members

    @property
    def label(self) -> str:
        return self.path[-1]

    @property
    def parent(self) -> tuple | None:
        return self.path[:-1] or None

    @property
    def depth(self) -> int:
        return len(self.path) - 1

    def collapsed_label(self) -> str:
        """The text of the one node standing for the group: "model.fc1 (Linear, 4 nodes)"."""
        count = f"{self.function_count} node" + ("" if self.function_count == 1 else "s")
        return f"{self.label} ({self.kind}, {count})" if self.kind else f"{self.label} ({count})"


def group_node_id(path) -> str:
    return GROUP_NODE_PREFIX + "/".join(path)


def find_groups(graph: nx.DiGraph, classes: dict | None = None) -> list[Group]:
    """The groups of ``graph``, parents before their children (sorted by path).

    ``classes`` maps a label to its Module's class name, for the collapsed label.
    """
    members = {}
    for node, attributes in graph.nodes(data=True):
        scope = tuple(attributes.get("scope") or ())
        for depth in range(1, len(scope) + 1):
            members.setdefault(scope[:depth], set()).add(node)
    if not members:
        return []
    functions = {path: len(found) for path, found in members.items()}
    paths_of = {}
    for path, found in members.items():
        for node in found:
            paths_of.setdefault(node, set()).add(path)
    by_label = {}
    for path in members:
        by_label.setdefault(path[-1], []).append(path)

    for node, attributes in graph.nodes(data=True):
        if "scope" in attributes:
            continue  # a Function node: placed by its own scope
        producers = [tail for tail, _, kind in graph.in_edges(node, data="kind") if kind in PRODUCER_EDGES]
        if producers:
            inside = set.intersection(*(paths_of.get(tail, set()) for tail in producers))
        else:
            inside = {path for name in attributes.get("names", ()) for path in _owners(name, by_label)}
        for path in inside:
            members[path].add(node)
        if inside:
            paths_of[node] = set(inside)

    for tail, head, kind in graph.edges(data="kind"):
        if kind in ACCUMULATOR_EDGES and not graph.nodes[head].get("scope") and tail in paths_of:
            for path in paths_of[tail]:
                members[path].add(head)
                functions[path] += 1

    classes = classes or {}
    return [Group(path, frozenset(members[path]), classes.get(path[-1], ""), functions[path])
            for path in sorted(members)]


def _owners(name: str, by_label: dict):
    """The group paths whose label is a module prefix of the parameter ``name``."""
    parts = name.split(".")
    for end in range(1, len(parts)):
        yield from by_label.get(".".join(parts[:end]), ())


def collapse(graph: nx.DiGraph, collapsed) -> nx.DiGraph:
    """A copy of ``graph`` with each group whose path is in ``collapsed`` as one node.

    A collapsed group inside another collapsed one vanishes into it. Edges that
    crossed the border of a collapsed box join its node (parallel ones merge);
    edges within it go. The copy's ``groups`` lose the collapsed groups and their
    descendants, and their ancestors hold the group's node instead of its members.
    """
    groups = graph.graph.get("groups", [])
    collapsed = {tuple(path) for path in collapsed}
    outermost = [group for group in groups if group.path in collapsed
                 and not any(group.path[:depth] in collapsed for depth in range(1, len(group.path)))]
    if not outermost:
        return graph
    stand_in = {}
    for group in outermost:
        for node in group.members:
            stand_in[node] = group_node_id(group.path)
    result = nx.DiGraph(**graph.graph)
    for node, attributes in graph.nodes(data=True):
        if node not in stand_in:
            result.add_node(node, **attributes)
    for group in outermost:
        member_orders = [graph.nodes[node]["order"] for node in group.members]
        result.add_node(group_node_id(group.path), kind=GROUP, role=GROUP, label=group.collapsed_label(),
                        detail="", order=min(member_orders), path=group.path,
                        tooltip=f"{group.label}: {len(group.members)} nodes inside (click the box to expand)")
    for tail, head, attributes in graph.edges(data=True):
        tail, head = stand_in.get(tail, tail), stand_in.get(head, head)
        if tail == head:
            continue
        if result.has_edge(tail, head):
            slots = result.edges[tail, head]["slots"]
            slots.extend(slot for slot in attributes.get("slots", [0]) if slot not in slots)
        else:
            result.add_edge(tail, head, **{**attributes, "slots": list(attributes.get("slots", [0]))})
    gone = {group.path for group in groups
            if any(group.path[:len(top.path)] == top.path for top in outermost)}
    kept = []
    for group in groups:
        if group.path in gone:
            continue
        inside = {stand_in.get(node, node) for node in group.members}
        kept.append(Group(group.path, frozenset(inside), group.kind, group.function_count))
    result.graph["groups"] = kept
    return result


# A Module's printed form, flattened to one line: "TwoLayer(   (fc1): Linear(in_features=3, ...".
_CHILD_MODULE = re.compile(r"\((\w+)\): ([A-Za-z_]\w*)\(")
# Class names are capitalised; "tensor(" and "<module ...>" are not Modules.
_TOP_MODULE = re.compile(r"([A-Z]\w*)\(")
# An object a run shows by its class only: "<TwoLayer>".
_SHORT_OBJECT = re.compile(r"<([A-Z]\w*)>")


def module_classes(values: dict) -> dict:
    """label -> class name, read from the printed values of the program's variables.

    The snapshot records a call by its label only; the class names come from how
    each Module variable is shown: ``<TwoLayer>`` names the variable's class alone,
    a printed Module (``TwoLayer(\\n  (fc1): Linear(...``) its direct children too,
    as far as the text kept in the snapshot reaches.
    """
    classes = {}
    for name, text in (values or {}).items():
        if not isinstance(text, str):
            continue
        short = _SHORT_OBJECT.fullmatch(text)
        if short is not None:
            classes[name] = short.group(1)
            continue
        top = _TOP_MODULE.match(text)
        if top is None:
            continue
        classes[name] = top.group(1)
        depth, position = 0, top.end()
        while position < len(text):
            child = _CHILD_MODULE.match(text, position) if depth == 0 else None
            if child is not None:
                classes[f"{name}.{child.group(1)}"] = child.group(2)
                depth, position = 1, child.end()   # inside the child's own brackets
                continue
            if text[position] == "(":
                depth += 1
            elif text[position] == ")":
                if depth == 0:
                    break   # the top Module's closing bracket
                depth -= 1
            position += 1
    return classes
