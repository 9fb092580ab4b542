"""An export with Chinese text needs a Chinese font, found exactly as the app finds one.

Without one, Qt draws Chinese characters as empty boxes. The app then shows a
notice and goes on; a picture or PDF of boxes is of no use, so the exporter
stops with one line instead. SVG and HTML leave fonts to the viewer, and graph
data has none, so only the formats drawn here are checked.
"""
from __future__ import annotations

import re

from explorer.drawing import fonts

from .pipeline import ExportError

DRAWN_FORMATS = (".png", ".gif", ".pdf")
# CJK ideographs (the unified blocks, extension A and the compatibility block).
CHINESE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def has_chinese_text(prepared) -> bool:
    """Whether ``prepared``'s drawing holds Chinese: its language, title or any node's text."""
    if prepared.language == "zh" or CHINESE.search(prepared.title):
        return True
    for _node, attributes in prepared.graph.nodes(data=True):
        for value in attributes.values():
            if isinstance(value, str) and CHINESE.search(value):
                return True
    return False


def check_chinese_font(prepared_frames, suffix: str):
    """Raise ``ExportError`` when a drawn format would show Chinese text with no font for it."""
    if suffix not in DRAWN_FORMATS or fonts.installed_cjk_family() is not None:
        return
    if any(has_chinese_text(prepared) for prepared in prepared_frames):
        raise ExportError(f"the drawing has Chinese text but no Chinese font is installed, so {suffix} would "
                          f"show boxes; install one (for example fonts-noto-cjk), or export .svg or .html")
