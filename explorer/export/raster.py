"""Pixels: a scene rendered into a ``QImage`` with ``QPainter``, and PNG bytes of it."""
from __future__ import annotations

import math

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QImage, QPainter

from explorer.graph.style import LIGHT, Theme
from explorer.ui.graph_items import GraphFonts

from .pipeline import ExportError
from .png import encode_png
from .scene import ExportScene, compose_scene

SCREEN_DPI = 96.0
INCHES_PER_METRE = 1 / 0.0254
# Beyond these, picture viewers and Qt's raster engine give up (or the memory runs out);
# bigger drawings are scaled down to fit, as Graphviz does. SVG and PDF have no limit.
MAX_SIDE = 32_767
MAX_PIXELS = 64 * 1024 * 1024


def image_size(rect: QRectF, scale: float) -> tuple[int, int]:
    """Pixel size of ``rect`` drawn at ``scale`` (rounded up, at least one pixel)."""
    return (max(1, math.ceil(rect.width() * scale)), max(1, math.ceil(rect.height() * scale)))


def fitting_scale(rect: QRectF, scale: float) -> float:
    """``scale``, or the largest smaller one at which ``rect`` fits the picture limits."""
    width, height = image_size(rect, scale)
    if width <= MAX_SIDE and height <= MAX_SIDE and width * height <= MAX_PIXELS:
        return scale
    shrink = min(MAX_SIDE / width, MAX_SIDE / height, math.sqrt(MAX_PIXELS / (width * height)))
    return scale * shrink * 0.999


def render_scene(exported: ExportScene, scale: float = 1.0, transparent: bool = False) -> QImage:
    """``exported.rect`` as an image ``scale`` times its size in scene units.

    Raises ``ExportError`` above the picture limits (see ``fitting_scale``).
    """
    width, height = image_size(exported.rect, scale)
    if fitting_scale(exported.rect, scale) != scale:
        raise ExportError(f"a {width} × {height} picture is over the limit of {MAX_SIDE} pixels a side "
                          f"and {MAX_PIXELS // 2 ** 20} megapixels; use a smaller scale, SVG or PDF")
    image = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
    if transparent:
        image.fill(0)
    else:
        image.fill(exported.background)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    # Painting over the scene's own background brush would undo ``transparent``.
    brush = exported.scene.backgroundBrush()
    if transparent:
        exported.scene.setBackgroundBrush(QBrush(Qt.BrushStyle.NoBrush))
    exported.scene.render(painter, QRectF(0, 0, width, height), exported.rect)
    painter.end()
    exported.scene.setBackgroundBrush(brush)
    # Recorded after painting: text is laid out at 96 dpi like the screen, and a
    # scale-2 picture then says it is a sharp picture of the same physical size.
    dots_per_metre = round(SCREEN_DPI * scale * INCHES_PER_METRE)
    image.setDotsPerMeterX(dots_per_metre)
    image.setDotsPerMeterY(dots_per_metre)
    return image


def render_image(graph, layout, theme: Theme = LIGHT, scale: float = 1.0, *,
                 fonts: GraphFonts | None = None, sizes: dict | None = None, legend: bool = True,
                 transparent: bool = False) -> QImage:
    """``graph`` placed by ``layout``, drawn as the app draws it, as an image.

    ``sizes`` must be the node sizes the layout was computed with (measured with
    ``fonts``); both default to the app's.
    """
    exported = compose_scene(graph, layout, theme, fonts, sizes, legend)
    return render_scene(exported, scale, transparent)


def png_bytes(image: QImage) -> bytes:
    """``image`` as a PNG file; an alpha channel is written only when some pixel needs it."""
    return encode_png(image, alpha=image.hasAlphaChannel() and not _opaque(image))


def _opaque(image: QImage) -> bool:
    # Cheap check of the corners: exports are opaque unless asked to be transparent.
    right, bottom = image.width() - 1, image.height() - 1
    corners = ((0, 0), (right, 0), (0, bottom), (right, bottom))
    return all(image.pixelColor(x, y).alpha() == 255 for x, y in corners)
