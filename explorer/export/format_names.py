"""Which exporter an output file name asks for: its suffix picks the format.

Still pictures and graph data show one frame; ``.gif`` and ``.html`` play the
backward animation of the chosen frame's ``backward()`` call (or the latest one
before it). Graph data is written without Qt (``data``); the rest is drawn
(``formats``).
"""
from __future__ import annotations

from .pipeline import ExportError

PICTURES = (".png", ".svg", ".pdf")
ANIMATIONS = (".gif", ".html")
DATA = (".dot", ".graphml", ".json")
FORMATS = PICTURES + ANIMATIONS + DATA


def format_of(path: str) -> str:
    lowered = path.lower()
    for suffix in FORMATS:
        if lowered.endswith(suffix):
            return suffix
    raise ExportError(f"{path}: unknown format (the file name must end in {', '.join(FORMATS)})")
