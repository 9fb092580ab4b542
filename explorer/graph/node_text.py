"""The text written in a node's box, line by line, and the box's size around it.

The drawing paints and measures these lines; the data exports write them as
labels. The graph's own words ("(unnamed)", "saved: freed", ...) are English
here: a reader in another language passes its ``translate`` (the drawing passes
Qt's translator).
"""
from __future__ import annotations

import math
from collections.abc import Callable

from .build import FUNCTION, shape_text
from .groups import GROUP


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Marks ``text`` for pyside6-lupdate, which reads this file too (Qt's own marker
    needs Qt); the text is translated where it is shown."""
    return text


UNNAMED = QT_TRANSLATE_NOOP("", "(unnamed)")
TEMPORARY = QT_TRANSLATE_NOOP("", "(temporary)")
SAVED_FREED = QT_TRANSLATE_NOOP("", "saved: freed")
SAVED_COUNT = QT_TRANSLATE_NOOP("", "saved: {count}")
# A call's box: marks of its state before the label.
COLLAPSED_MARK = "▸ "
EXPANDED_MARK = "▾ "


def untranslated(text: str) -> str:
    return text


def _detail_text(detail: str, translate: Callable[[str], str]) -> str:
    """A Function's "saved: ..." line in the reader's language."""
    if detail == SAVED_FREED:
        return translate(SAVED_FREED)
    prefix = SAVED_COUNT.split("{", 1)[0]
    if detail.startswith(prefix) and detail[len(prefix):].isdigit():
        return translate(SAVED_COUNT).format(count=detail[len(prefix):])
    return detail


def node_lines(attributes: dict, view: str = "tensor_function",
               translate: Callable[[str], str] = untranslated) -> list[tuple[str, str]]:
    """The text a node shows, as (text, font key) pairs from top to bottom."""
    if attributes["kind"] == GROUP:
        return [(COLLAPSED_MARK + attributes["label"], "label")]
    if attributes["kind"] == FUNCTION:
        lines = [(attributes["label"], "label")]
        if attributes.get("detail"):
            lines.append((_detail_text(attributes["detail"], translate), "detail"))
        return lines
    name = attributes["label"] or translate(UNNAMED if attributes.get("alive", True) else TEMPORARY)
    if view == "grad_fn":
        # torchviz's variable boxes: name and size only.
        return [(name, "label"), (shape_text(attributes["shape"]), "detail")]
    lines = [(name, "label"), (attributes["detail"], "detail")]
    if attributes.get("preview"):
        lines.append((attributes["preview"], "values"))
    return lines


def box_size(attributes: dict, measure: Callable[[str, str], tuple[float, float]], padding: float,
             view: str = "tensor_function", translate: Callable[[str], str] = untranslated
             ) -> tuple[float, float]:
    """Width and height of a node's box: its lines, each (width, height) by
    ``measure(text, font key)``, with ``padding`` around them."""
    width = 0.0
    height = 0.0
    for text, key in node_lines(attributes, view, translate):
        line_width, line_height = measure(text, key)
        width = max(width, line_width)
        height += line_height
    if attributes["kind"] == FUNCTION:
        # Room for the rounded ends of the pill shape.
        width += height
    return (math.ceil(width + 2 * padding), math.ceil(height + padding * 1.2))
