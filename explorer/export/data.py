"""The graph as data: Graphviz DOT, GraphML and JSON, with the layout's coordinates.

DOT is written here (networkx's writer needs pydot or pygraphviz); it carries the
drawing's labels, colours and call boxes (as clusters) but no positions, so ``dot``
lays it out afresh.
GraphML goes through networkx with every attribute turned into a string, number
or boolean, the only types GraphML knows. JSON keeps attribute types where JSON
has them and adds each node's box and each edge's polyline from the layout.
None of them needs Qt.
"""
from __future__ import annotations

import dataclasses
import io
import json
from collections.abc import Callable

import networkx as nx

from explorer.graph.build import FUNCTION
from explorer.graph.layout import Layout, natural_key
from explorer.graph.node_text import node_lines, untranslated
from explorer.graph.style import Theme

from .format_names import DATA
from .pipeline import ExportError, Prepared

JSON_FORMAT = "autograd-explorer-graph/1"
DOT_STRING_CHARACTERS = 2000
DOT_LINE_STYLES = {"dash": "dashed", "dot": "dotted", "dashdot": "dashed", "solid": "solid"}


def data_bytes(prepared: Prepared, suffix: str) -> bytes:
    """One frame as graph data, for ``suffix`` one of ``DATA``."""
    graph, layout, sizes = prepared.graph, prepared.layout, prepared.sizes
    if suffix == ".dot":
        return dot_text(graph, prepared.theme, prepared.title, layout.direction,
                        prepared.look.translate).encode("utf-8")
    if suffix == ".graphml":
        return graphml_bytes(graph, layout, sizes)
    if suffix == ".json":
        return json_text(graph, layout, sizes, prepared.frame_number).encode("utf-8")
    raise ExportError(f"{suffix} is not a data format (those are {', '.join(DATA)})")


def dot_text(graph: nx.DiGraph, theme: Theme, title: str = "", rankdir: str = "TB",
             translate: Callable[[str], str] = untranslated) -> str:
    """The graph in Graphviz's DOT, its nodes labelled with their lines (the graph's own
    words through ``translate``)."""
    view = graph.graph.get("view", "tensor_function")
    lines = ["digraph autograd {",
             f"  graph [rankdir={rankdir}, bgcolor={_quote(theme.background)}, label={_quote(title)}, "
             f"fontcolor={_quote(theme.legend_text)}];",
             f"  edge [color={_quote(theme.edge)}, fontcolor={_quote(theme.edge_text)}];"]
    for node, attributes in graph.nodes(data=True):
        style = theme.node(attributes["role"])
        shape = "box"
        styles = ["filled"]
        if attributes["kind"] == FUNCTION and attributes["role"] != "accumulate":
            styles.append("rounded")
        if style.line != "solid":
            styles.append(DOT_LINE_STYLES.get(style.line, "solid"))
        label = "\n".join(text for text, _font in node_lines(attributes, view, translate))
        lines.append(f"  {_quote(node)} [label={_quote(label)}, shape={shape}, "
                     f"style={_quote(','.join(styles))}, fillcolor={_quote(style.fill)}, "
                     f"color={_quote(style.border)}, fontcolor={_quote(style.text)}];")
    lines += _dot_clusters(graph.graph.get("groups", ()), theme)
    for tail, head, attributes in graph.edges(data=True):
        extras = [f"style={DOT_LINE_STYLES.get(theme.edge_line(attributes['kind']), 'solid')}"]
        slots = attributes.get("slots", [0])
        if len(slots) > 1:
            extras.append(f"label={_quote('×' + str(len(slots)))}")
        lines.append(f"  {_quote(tail)} -> {_quote(head)} [{', '.join(extras)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def graphml_bytes(graph: nx.DiGraph, layout: Layout | None = None, sizes: dict | None = None) -> bytes:
    plain = nx.DiGraph()
    plain.graph.update({key: _graphml_value(value) for key, value in graph.graph.items()})
    for node, attributes in graph.nodes(data=True):
        values = {key: _graphml_value(value) for key, value in attributes.items()}
        values.update(_box(node, layout, sizes))
        plain.add_node(str(node), **values)
    for tail, head, attributes in graph.edges(data=True):
        values = {key: _graphml_value(value) for key, value in attributes.items()}
        plain.add_edge(str(tail), str(head), **values)
    stream = io.BytesIO()
    nx.write_graphml(plain, stream, encoding="utf-8")
    return stream.getvalue()


def json_text(graph: nx.DiGraph, layout: Layout | None = None, sizes: dict | None = None,
              frame_number: int | None = None) -> str:
    nodes = []
    for node, attributes in graph.nodes(data=True):
        entry = {"id": str(node)}
        entry.update({key: _json_value(value) for key, value in attributes.items()})
        entry.update(_box(node, layout, sizes))
        nodes.append(entry)
    edges = []
    for tail, head, attributes in graph.edges(data=True):
        entry = {"tail": str(tail), "head": str(head)}
        entry.update({key: _json_value(value) for key, value in attributes.items()})
        if layout is not None and (tail, head) in layout.edge_points:
            entry["points"] = [[float(x), float(y)] for x, y in layout.edge_points[(tail, head)]]
        edges.append(entry)
    document = {"format": JSON_FORMAT, "view": graph.graph.get("view", "tensor_function"),
                "frame": frame_number, "nodes": nodes, "edges": edges}
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def _dot_clusters(groups, theme: Theme, parent=None, depth=1) -> list[str]:
    """The call boxes as nested Graphviz clusters, each listing the members no box
    inside it holds (``dot`` draws a cluster around its own and its children's)."""
    lines = []
    children = [group for group in groups if group.parent == parent]
    for group in children:
        inner = [other for other in groups if other.parent == group.path]
        own = set(group.members).difference(*(other.members for other in inner))
        indent = "  " * depth
        fill = theme.group.fills[(len(group.path) - 1) % len(theme.group.fills)]
        lines.append(f"{indent}subgraph {_quote('cluster_' + '/'.join(group.path))} {{")
        lines.append(f"{indent}  label={_quote(group.label)}; labeljust=l; style={_quote('rounded,filled')}; "
                     f"fillcolor={_quote(fill)}; color={_quote(theme.group.border)}; "
                     f"fontcolor={_quote(theme.group.text)};")
        lines += [f"{indent}  {_quote(node)};" for node in sorted(own, key=natural_key)]
        lines += _dot_clusters(groups, theme, group.path, depth + 1)
        lines.append(f"{indent}}}")
    return lines


def _box(node, layout, sizes) -> dict:
    box = {}
    if layout is not None and node in layout.positions:
        x, y = layout.positions[node]
        box.update(x=float(x), y=float(y))
    if sizes is not None and node in sizes:
        width, height = sizes[node]
        box.update(width=float(width), height=float(height))
    return box


def _graphml_value(value):
    if isinstance(value, bool | int | float | str):
        return value
    if value is None:
        return ""
    if hasattr(value, "item") and getattr(value, "ndim", 1) == 0:
        return _graphml_value(value.item())
    if isinstance(value, list | tuple | set | frozenset | dict) or dataclasses.is_dataclass(value):
        # A call box's members are a frozenset: written as Python prints it, their order
        # changed from run to run, and so did the file.
        return json.dumps(_plain(value), ensure_ascii=False, sort_keys=True)
    return str(value)


def _plain(value):
    """``value`` as JSON's types, sets in a fixed order (GraphML's structured attributes)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {field.name: _plain(getattr(value, field.name)) for field in dataclasses.fields(value)}
    if isinstance(value, set | frozenset):
        return sorted((_plain(item) for item in value), key=lambda item: natural_key(str(item)))
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    return _json_value(value)


def _json_value(value):
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple):
        return [_json_value(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _json_value(item) for key, item in value.items()}
    if hasattr(value, "item") and getattr(value, "ndim", 1) == 0:
        return value.item()
    return str(value)


def _quote(text) -> str:
    """``text`` as a DOT string that Graphviz reads: no NUL (it ends the file for dot's
    reader), and at most ``DOT_STRING_CHARACTERS`` characters (dot refuses a quoted
    string over 16,384 bytes, and a character takes up to four, eight once escaped)."""
    text = str(text).replace("\0", "")
    if len(text) > DOT_STRING_CHARACTERS:
        text = text[: DOT_STRING_CHARACTERS - 1] + "…"
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'
