"""Pixels: a scene rendered into a ``QImage`` with ``QPainter``, and PNG bytes of it."""
from __future__ import annotations

import math

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QImage, QPainter

from explorer.drawing.graph_items import GraphFonts
from explorer.graph.style import LIGHT, Theme

from .pipeline import ExportError
from .png import band_format, encode_png, encode_png_bands
from .scene import ExportScene, compose_scene

SCREEN_DPI = 96.0
INCHES_PER_METRE = 1 / 0.0254
# Beyond these, picture viewers and Qt's raster engine give up (or the memory runs out);
# bigger drawings are scaled down to fit, as Graphviz does. SVG and PDF have no limit.
MAX_SIDE = 32_767
MAX_PIXELS = 64 * 1024 * 1024
# Shrunk below this, 9-point labels are under 6 pixels high: a picture that must shrink
# further to fit the limits is refused rather than drawn unreadable (the app's items stop
# drawing text altogether at ``TEXT_LEVEL_OF_DETAIL``, 0.4).
MIN_LEGIBLE_SCALE = 0.5
# Rows of a PNG drawn and deflated at a time (see ``scene_png``).
BAND_ROWS = 256


def image_size(rect: QRectF, scale: float) -> tuple[int, int]:
    """Pixel size of ``rect`` drawn at ``scale`` (rounded up, at least one pixel)."""
    # Less a rounding error's worth: a slide 1920 wide stays 1920 pixels, not 1921.
    return (max(1, math.ceil(rect.width() * scale - 1e-6)), max(1, math.ceil(rect.height() * scale - 1e-6)))


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
    width, height = _checked_size(exported, scale)
    # An opaque picture is drawn without alpha: no premultiplied pixels to undo when reading it.
    image = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied if transparent
                   else QImage.Format.Format_RGB32)
    _paint_rows(exported, image, 0, scale, transparent)
    _set_resolution(image, scale)
    return image


def scene_png(exported: ExportScene, scale: float = 1.0, transparent: bool = False) -> bytes:
    """``exported.rect`` at ``scale`` as PNG bytes, the same picture ``render_scene`` makes.

    The picture is drawn and deflated a band of ``BAND_ROWS`` rows at a time, so a
    tall graph never needs its whole picture in memory, nor copies of it.
    """
    width, height = _checked_size(exported, scale)
    # Opaque bands are drawn without alpha (no premultiplied pixels to undo), then repacked as RGB.
    paint_format = (QImage.Format.Format_ARGB32_Premultiplied if transparent
                    else QImage.Format.Format_RGB32)

    def bands():
        for top in range(0, height, BAND_ROWS):
            band = QImage(width, min(BAND_ROWS, height - top), paint_format)
            _paint_rows(exported, band, top, scale, transparent)
            yield band.convertToFormat(band_format(transparent))

    dots_per_metre = round(SCREEN_DPI * scale * INCHES_PER_METRE)
    return encode_png_bands(width, height, bands(), transparent, (dots_per_metre, dots_per_metre))


def _checked_size(exported: ExportScene, scale: float) -> tuple[int, int]:
    width, height = image_size(exported.rect, scale)
    if fitting_scale(exported.rect, scale) != scale:
        raise ExportError(f"a {width} × {height} picture is over the limit of {MAX_SIDE} pixels a side "
                          f"and {MAX_PIXELS // 2 ** 20} megapixels; use a smaller scale, SVG or PDF")
    return width, height


def _paint_rows(exported: ExportScene, image: QImage, top: int, scale: float, transparent: bool):
    """Rows ``top`` to ``top + image.height()`` of the picture of ``exported`` into ``image``.

    The scene is mapped as one ``scene.render`` of the whole picture would map it,
    so bands painted one under another make the same picture as a single image.
    """
    width, height = image_size(exported.rect, scale)
    rect = exported.rect
    # QGraphicsScene.render's KeepAspectRatio: one ratio for both axes, anchored top-left.
    ratio = min(width / rect.width(), height / rect.height())
    brush = exported.scene.backgroundBrush()
    if transparent:
        image.fill(0)
    elif brush.style() == Qt.BrushStyle.SolidPattern:
        # Filling the image is the background: the scene need not paint it over again.
        image.fill(brush.color())
    else:
        image.fill(exported.background)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    # Painting over the scene's own background brush would undo ``transparent``.
    if transparent or brush.style() == Qt.BrushStyle.SolidPattern:
        exported.scene.setBackgroundBrush(QBrush(Qt.BrushStyle.NoBrush))
    rows = image.height()
    source = QRectF(rect.left(), rect.top() + top / ratio, rect.width(), rows / ratio)
    target = QRectF(0, 0, rect.width() * ratio, rows)
    exported.scene.render(painter, target, source, Qt.AspectRatioMode.IgnoreAspectRatio)
    painter.end()
    exported.scene.setBackgroundBrush(brush)


def _set_resolution(image: QImage, scale: float):
    # Recorded after painting: text is laid out at 96 dpi like the screen, and a
    # scale-2 picture then says it is a sharp picture of the same physical size.
    dots_per_metre = round(SCREEN_DPI * scale * INCHES_PER_METRE)
    image.setDotsPerMeterX(dots_per_metre)
    image.setDotsPerMeterY(dots_per_metre)


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
