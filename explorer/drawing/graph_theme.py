"""The graph's look by name, its legend in the interface's language.

The colours are ``explorer.graph.style`` themes; only the legend's words are
translated here, through Qt's translator, so the window and every export show
the same legend.
"""
from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from explorer.graph.style import THEMES, Theme

# The legend's English texts, listed so that the translation tools see them.
LEGEND_TEXTS = (
    QT_TRANSLATE_NOOP("", "leaf tensor (requires_grad)"),
    QT_TRANSLATE_NOOP("", "non-leaf tensor (has grad_fn)"),
    QT_TRANSLATE_NOOP("", "made under no_grad"),
    QT_TRANSLATE_NOOP("", "made by .detach()"),
    QT_TRANSLATE_NOOP("", "made by .data"),
    QT_TRANSLATE_NOOP("", "output tensor"),
    QT_TRANSLATE_NOOP("", "Function (grad_fn)"),
)


def graph_theme(name: str) -> Theme:
    """The graph's theme for look ``name``, its legend in the current language."""
    theme = THEMES[name]
    nodes = {role: replace(style, legend=_legend(style.legend)) for role, style in theme.nodes.items()}
    return replace(theme, nodes=nodes)


def _legend(text: str) -> str:
    return QCoreApplication.translate("", text) if text in LEGEND_TEXTS else text
