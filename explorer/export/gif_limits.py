"""How big a GIF export may be, checked before any frame is drawn.

The encoder holds about six bytes per pixel of one frame at a time, so the
pixels of a frame bound its memory (16 megapixels: about 100 MB); the number of
frames bounds its time and the file's size. Past either limit the export stops
with one line saying what to do instead.
"""
from __future__ import annotations

import math

from .pipeline import ExportError
from .raster import MIN_LEGIBLE_SCALE

MAX_FRAMES = 1000
MAX_FRAME_PIXELS = 16 * 1024 * 1024


def check_gif_size(frame_count: int, width: int, height: int, scale: float, smaller_view: bool = True):
    """Raise ``ExportError`` when ``frame_count`` frames of ``width`` × ``height`` pixels are too many.

    ``smaller_view``: whether the autograd view (no tensor nodes) would be smaller.
    """
    if frame_count > MAX_FRAMES:
        raise ExportError(f"the backward animation has {frame_count} events, over the GIF limit of "
                          f"{MAX_FRAMES}; export .html instead, or a smaller program")
    if width * height > MAX_FRAME_PIXELS:
        fitting = scale * math.sqrt(MAX_FRAME_PIXELS / (width * height)) * 0.99
        view = ", --view autograd" if smaller_view else ""
        # A scale too small to read the labels at is no advice.
        smaller = f"--scale {_round_down(fitting)}" if fitting >= MIN_LEGIBLE_SCALE else "an earlier --step"
        raise ExportError(f"GIF frames of {width} × {height} pixels are over the limit of "
                          f"{MAX_FRAME_PIXELS // 2 ** 20} megapixels; use {smaller}{view}, or .html")


def _round_down(scale: float) -> str:
    """``scale`` rounded down to two significant digits, as typed on a command line."""
    digits = 1 - math.floor(math.log10(scale))
    return f"{math.floor(scale * 10 ** digits) / 10 ** digits:g}"
