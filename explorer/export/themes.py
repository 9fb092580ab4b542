"""Looks an export can ask for by name, and the legend in the reader's language.

``light`` and ``dark`` are the app's own themes. ``projector`` is for a room with
a washed-out beamer: white ground, strong borders, black text and a larger font
(it lives here until the app's presentation mode wants one too).
"""
from __future__ import annotations

from dataclasses import replace

from explorer.graph.style import LIGHT, THEMES, NodeStyle, Theme

PROJECTOR = replace(
    LIGHT,
    name="projector",
    edge="#202124",
    edge_text="#000000",
    legend_background="#ffffff",
    legend_text="#000000",
    nodes={
        "leaf": NodeStyle("#8fd3f4", "#004a6e", "#000000", legend="leaf tensor (requires_grad)"),
        "nonleaf": NodeStyle("#b9f08f", "#1e5b00", "#000000", legend="non-leaf tensor (has grad_fn)"),
        "constant": NodeStyle("#ffffff", "#444444", "#000000", legend="requires_grad=False"),
        "no_grad": NodeStyle("#eee6ff", "#5b2a9e", "#000000", "dash", legend="made under no_grad"),
        "detach": NodeStyle("#ffe0b2", "#b35900", "#000000", "dot", legend="made by .detach()"),
        "data": NodeStyle("#ffd6da", "#a50e0e", "#000000", "dashdot", legend="made by .data"),
        "root": NodeStyle("#d4ff66", "#3b5200", "#000000", legend="output tensor"),
        "function": NodeStyle("#e6e6e6", "#202124", "#000000", legend="Function (grad_fn)"),
        "accumulate": NodeStyle("#c8c8c8", "#000000", "#000000", legend="AccumulateGrad"),
    },
)

EXPORT_THEMES = {**THEMES, "projector": THEMES.get("projector", PROJECTOR)}

# Point size of the drawing's text per theme; the app draws at 9 pt.
FONT_POINTS = {"projector": 12.0}
DEFAULT_FONT_POINTS = 9.0

LANGUAGES = ("en", "zh")

LEGENDS_ZH = {
    "leaf": "叶子张量 (requires_grad)",
    "nonleaf": "非叶子张量 (有 grad_fn)",
    "constant": "requires_grad=False",
    "no_grad": "在 no_grad 中创建",
    "detach": "由 .detach() 创建",
    "data": "由 .data 创建",
    "root": "输出张量",
    "function": "Function (grad_fn)",
    "accumulate": "AccumulateGrad",
}


def export_theme(name: str, language: str = "en") -> Theme:
    """The theme called ``name`` with its legend in ``language`` ("en" or "zh")."""
    theme = EXPORT_THEMES[name]
    if language != "zh":
        return theme
    nodes = {role: replace(style, legend=LEGENDS_ZH.get(role, style.legend) if style.legend else "")
             for role, style in theme.nodes.items()}
    return replace(theme, nodes=nodes)


def font_points(theme_name: str) -> float:
    return FONT_POINTS.get(theme_name, DEFAULT_FONT_POINTS)
