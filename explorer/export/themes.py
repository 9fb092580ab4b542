"""Looks an export can ask for by name, and the legend in the reader's language.

The themes are the app's own (``explorer.graph.style.THEMES``); exports add a
larger font for the projector theme.
"""
from __future__ import annotations

from dataclasses import replace

from explorer.graph.style import THEMES, Theme

EXPORT_THEMES = THEMES

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
