"""The projector theme draws slides: a 1920 x 1080 picture with the graph as large as fits.

Growing the text alone does nothing for a slide: a picture with bigger text and a
canvas grown alike is shrunk back by the presentation program to fit the screen.
So the canvas is the slide instead, 16:9 around the drawing, and the drawing is
scaled to fill it: the fewer the nodes, the bigger the text. ``--scale`` still
multiplies the pixels (2 gives a 3840 x 2160 slide of the same picture).
"""
from __future__ import annotations

from PySide6.QtCore import QRectF

from .pipeline import ExportError
from .raster import MIN_LEGIBLE_SCALE
from .scene import ExportScene

SLIDE_WIDTH, SLIDE_HEIGHT = 1920, 1080
# A two-node graph blown up to fill the slide would look like a poster: enough is enough.
MAX_ZOOM = 3.0
SLIDE_THEMES = ("projector",)


def is_slide(theme) -> bool:
    return theme.name in SLIDE_THEMES


def fit_slide(exported: ExportScene, scale: float = 1.0) -> float:
    """Make ``exported``'s rectangle the slide's shape around the drawing (centred); return the
    pixel scale that draws it ``SLIDE_WIDTH`` x ``SLIDE_HEIGHT`` times ``scale``.

    Raises ``ExportError`` when the drawing would be shrunk past legibility to fit."""
    rect = exported.rect
    zoom = min(SLIDE_WIDTH / rect.width(), SLIDE_HEIGHT / rect.height(), MAX_ZOOM)
    if zoom < MIN_LEGIBLE_SCALE:
        raise ExportError(f"the drawing does not fit a {SLIDE_WIDTH} × {SLIDE_HEIGHT} slide at a readable "
                          f"size (it would be scaled to {zoom:.2g}); use --rankdir LR, --view autograd, "
                          f"an earlier --step, or another --theme")
    width, height = SLIDE_WIDTH / zoom, SLIDE_HEIGHT / zoom
    centre = rect.center()
    exported.rect = QRectF(centre.x() - width / 2, centre.y() - height / 2, width, height)
    exported.scene.setSceneRect(exported.rect)
    return zoom * scale
