"""Colours and line styles of the graph drawing, as plain data (no Qt here).

One ``Theme`` per look; the scene turns these hex strings into pens and brushes.
Tensor colours follow torchviz where it has a convention (leaf variables light
blue, the result olive green) so a drawing reads like the pictures in tutorials.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class NodeStyle:
    fill: str
    border: str
    text: str = "#1b1b1b"
    # "solid", "dash", "dot" or "dashdot": how the border is drawn.
    line: str = "solid"
    # Text for the legend; empty means the role is not listed there.
    legend: str = ""


@dataclass(frozen=True)
class GroupStyle:
    """A call's box (a function's or a Module's): a light tint behind its members.

    ``fills`` go by nesting depth, cycled, so a box inside another reads apart from it.
    """

    fills: tuple = ("#eef3fb", "#f4eefa", "#ecf6ef")
    border: str = "#8fa6c4"
    text: str = "#34506f"


@dataclass(frozen=True)
class Theme:
    name: str
    background: str
    edge: str
    edge_text: str
    selection: str
    hover: str
    legend_background: str
    legend_text: str
    nodes: dict = field(default_factory=dict)
    edges: dict = field(default_factory=dict)
    # Multiplies every pen width: a beamer washes thin lines out.
    line_scale: float = 1.0
    group: GroupStyle = GroupStyle()

    def node(self, role: str) -> NodeStyle:
        return self.nodes.get(role, self.nodes["function"])

    def edge_line(self, kind: str) -> str:
        return self.edges.get(kind, "solid")


# A collapsed call's node (``explorer.graph.groups``) in the legend.
COLLAPSED_LEGEND = "collapsed call (click to expand)"

# Edge kinds that are not plain data flow are drawn broken so they read as "bookkeeping".
EDGE_LINES = {"accumulate": "dash", "constant": "dot", "variable": "solid", "flow": "solid"}

LIGHT = Theme(
    name="light",
    background="#ffffff",
    edge="#5f6368",
    edge_text="#3c4043",
    selection="#f29900",
    hover="#1a73e8",
    legend_background="#f8f9fa",
    legend_text="#202124",
    nodes={
        "leaf": NodeStyle("#add8e6", "#2b6f8a", legend="leaf tensor (requires_grad)"),
        "nonleaf": NodeStyle("#d7f0c2", "#4d7f2a", legend="non-leaf tensor (has grad_fn)"),
        "constant": NodeStyle("#ffffff", "#9aa0a6", "#5f6368", legend="requires_grad=False"),
        "no_grad": NodeStyle("#f1f3f4", "#8e6bbf", "#5f6368", "dash", legend="made under no_grad"),
        "detach": NodeStyle("#fff4e5", "#e37400", "#5f6368", "dot", legend="made by .detach()"),
        "data": NodeStyle("#fde7e9", "#c5221f", "#5f6368", "dashdot", legend="made by .data"),
        "root": NodeStyle("#caff70", "#556b2f", legend="output tensor"),
        "function": NodeStyle("#eeeeee", "#616161", legend="Function (grad_fn)"),
        "accumulate": NodeStyle("#d9d9d9", "#424242", legend="AccumulateGrad"),
        "group": NodeStyle("#dfe9f7", "#34506f", legend=COLLAPSED_LEGEND),
    },
    edges=EDGE_LINES,
)

DARK = Theme(
    name="dark",
    background="#1e1f22",
    edge="#9aa0a6",
    edge_text="#c8c8c8",
    selection="#fbbc04",
    hover="#8ab4f8",
    legend_background="#2b2d30",
    legend_text="#e8eaed",
    nodes={
        "leaf": NodeStyle("#1f4e5f", "#7fc4dd", "#f1f3f4", legend="leaf tensor (requires_grad)"),
        "nonleaf": NodeStyle("#2e4a1f", "#9ccc65", "#f1f3f4", legend="non-leaf tensor (has grad_fn)"),
        "constant": NodeStyle("#2b2d30", "#80868b", "#bdc1c6", legend="requires_grad=False"),
        "no_grad": NodeStyle("#2b2d30", "#b39ddb", "#bdc1c6", "dash", legend="made under no_grad"),
        "detach": NodeStyle("#3a2a12", "#ffb74d", "#e8eaed", "dot", legend="made by .detach()"),
        "data": NodeStyle("#3b1e20", "#f28b82", "#e8eaed", "dashdot", legend="made by .data"),
        "root": NodeStyle("#3d4d1a", "#c5e1a5", "#f1f3f4", legend="output tensor"),
        "function": NodeStyle("#3c3f41", "#bdbdbd", "#f1f3f4", legend="Function (grad_fn)"),
        "accumulate": NodeStyle("#4a4a4a", "#e0e0e0", "#f1f3f4", legend="AccumulateGrad"),
        "group": NodeStyle("#2d3b4d", "#8ab4f8", "#f1f3f4", legend=COLLAPSED_LEGEND),
    },
    edges=EDGE_LINES,
    group=GroupStyle(fills=("#252c36", "#2d2836", "#24302a"), border="#5f7594", text="#a9c3e6"),
)

# For a room with a beamer: white ground, black text, strong borders, thick lines.
# Borders use the Okabe–Ito colours, which stay distinct under the common colour-vision
# deficiencies; the line styles (dash, dot, dash-dot) tell the same roles apart without colour.
PROJECTOR = Theme(
    name="projector",
    background="#ffffff",
    edge="#000000",
    edge_text="#000000",
    selection="#d55e00",
    hover="#0072b2",
    legend_background="#ffffff",
    legend_text="#000000",
    nodes={
        "leaf": NodeStyle("#cce7f7", "#0072b2", "#000000", legend="leaf tensor (requires_grad)"),
        "nonleaf": NodeStyle("#c9eee0", "#007a5a", "#000000", legend="non-leaf tensor (has grad_fn)"),
        "constant": NodeStyle("#ffffff", "#000000", "#000000", legend="requires_grad=False"),
        "no_grad": NodeStyle("#f5dcea", "#a3548a", "#000000", "dash", legend="made under no_grad"),
        "detach": NodeStyle("#fbe6bf", "#b37700", "#000000", "dot", legend="made by .detach()"),
        "data": NodeStyle("#f7d4bf", "#d55e00", "#000000", "dashdot", legend="made by .data"),
        "root": NodeStyle("#f7f2a8", "#000000", "#000000", legend="output tensor"),
        "function": NodeStyle("#e6e6e6", "#000000", "#000000", legend="Function (grad_fn)"),
        "accumulate": NodeStyle("#cccccc", "#000000", "#000000", legend="AccumulateGrad"),
        "group": NodeStyle("#e3eef8", "#0072b2", "#000000", legend=COLLAPSED_LEGEND),
    },
    edges=EDGE_LINES,
    line_scale=2.0,
    # Strong enough to survive a beamer, still light behind black text.
    group=GroupStyle(fills=("#e6f0fa", "#f6e9f1", "#e7f4ec"), border="#0072b2", text="#000000"),
)

THEMES = {"light": LIGHT, "dark": DARK, "projector": PROJECTOR}
