"""The look of graph data written where Qt is missing: boxes sized from their text.

Without PySide6 there are no fonts to measure a node's text with. A line is as
wide as its characters at the average advance of the app's 9 pt fonts (an East
Asian wide or ambiguous one, "…" too, counts twice) and as high as that font's line, so the
layout keeps boxes apart much as the app's does; ``.dot`` output is the same
as with Qt, ``.json`` and ``.graphml`` coordinates differ by the estimate.
"""
from __future__ import annotations

import unicodedata

from explorer.graph.node_text import box_size, untranslated
from explorer.graph.style import THEMES

from .pipeline import Look

# Average advance of a Latin character and height of a line, in pixels, of the
# app's fonts at 9 pt (measured with Noto Sans CJK SC, bold for the label, and
# Noto Sans Mono CJK SC for values).
CHARACTER_WIDTHS = {"label": 7.1, "detail": 6.1, "values": 5.5}
LINE_HEIGHTS = {"label": 17.4, "detail": 15.9, "values": 15.9}
# As the drawing's: half a detail line around the text.
PADDING = LINE_HEIGHTS["detail"] * 0.5


def plain_look(theme: str = "light", language: str = "en") -> Look:
    """``theme``'s colours, with boxes sized by ``estimated_sizes`` and the graph's words in English."""
    return Look(THEMES[theme], language, None, estimated_sizes, untranslated)


def estimated_sizes(graph) -> dict:
    """node id -> (width, height) of its box, estimated from its text."""
    view = graph.graph.get("view", "tensor_function")
    return {node: box_size(attributes, _line_size, PADDING, view)
            for node, attributes in graph.nodes(data=True)}


def _line_size(text: str, key: str) -> tuple[float, float]:
    characters = sum(2 if unicodedata.east_asian_width(character) in "WFA" else 1 for character in text)
    return characters * CHARACTER_WIDTHS[key], LINE_HEIGHTS[key]
