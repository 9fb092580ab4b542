"""Looks an export can ask for by name, with the legend in the reader's language.

The themes and their translated legends are the app's own
(``explorer.drawing.graph_theme``, through Qt's translator), and so are the
fonts boxes are measured in; exports only add a larger font for the projector
theme.
"""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from explorer.drawing.graph_items import translated
from explorer.drawing.graph_scene import node_sizes
from explorer.drawing.graph_theme import graph_theme
from explorer.graph.style import Theme
from explorer.i18n import current_language, install_translator

from .pipeline import Look
from .scene import ensure_application
from .text_fonts import export_fonts

# Point size of the drawing's text per theme; the app draws at 9 pt.
FONT_POINTS = {"projector": 12.0}
DEFAULT_FONT_POINTS = 9.0


def drawn_look(theme: str = "light", language: str = "en") -> Look:
    """The app's look called ``theme``, in ``language`` ("en" or "zh"), measured in its fonts."""
    ensure_application()
    fonts = export_fonts(font_points(theme))
    return Look(export_theme(theme, language), language, fonts, lambda graph: node_sizes(graph, fonts),
                translated)


def export_theme(name: str, language: str = "en") -> Theme:
    """The theme called ``name`` with its legend in ``language`` ("en" or "zh")."""
    app = QCoreApplication.instance()
    previous = current_language(app)
    if previous == language:
        return graph_theme(name)
    install_translator(app, language)
    try:
        return graph_theme(name)
    finally:
        install_translator(app, previous)  # an export never changes the app's language


def font_points(theme_name: str) -> float:
    return FONT_POINTS.get(theme_name, DEFAULT_FONT_POINTS)
