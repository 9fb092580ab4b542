"""SVG: written from the scene's items, or painted through ``QSvgGenerator``.

SVG mirrors the items' painting element by element (``svg.py``), falling back to
painting through ``QSvgGenerator``; labels stay ``<text>`` elements. PDF lives in
``pdf.py``. pyqtgraph's SVG exporter is not used (it fails with Qt 6.11 and later).

One scene unit is one CSS pixel: the SVG generator works at 96 dpi, the
resolution fonts were measured at, so text fits its boxes.
"""
from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, QSize
from PySide6.QtGui import QPainter
from PySide6.QtSvg import QSvgGenerator

from explorer.drawing.graph_items import GraphFonts
from explorer.graph.style import LIGHT, Theme

from .raster import SCREEN_DPI, image_size
from .scene import ExportScene, compose_scene
from .svg import scene_svg


def _paint(exported: ExportScene, device, width: float, height: float):
    painter = QPainter(device)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    exported.scene.render(painter, QRectF(0, 0, width, height), exported.rect)
    painter.end()


def svg_bytes(exported: ExportScene, title: str = "", description: str = "") -> bytes:
    """The scene's rectangle as an SVG document (UTF-8).

    Written from the items directly (``svg.scene_svg``); a scene with items that
    writer does not know is painted through ``QSvgGenerator``.
    """
    written = scene_svg(exported, title, description)
    if written is not None:
        return written
    return generated_svg(exported, title, description)


def generated_svg(exported: ExportScene, title: str = "", description: str = "") -> bytes:
    """The scene's rectangle painted through ``QSvgGenerator`` into an SVG document."""
    width, height = image_size(exported.rect, 1.0)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setResolution(int(SCREEN_DPI))
    generator.setSize(QSize(width, height))
    generator.setViewBox(QRectF(0, 0, width, height))
    generator.setTitle(title)
    generator.setDescription(description)
    _paint(exported, generator, width, height)
    buffer.close()
    return bytes(data.data())


def render_svg(graph, layout, theme: Theme = LIGHT, *, fonts: GraphFonts | None = None,
               sizes: dict | None = None, legend: bool = True, title: str = "") -> bytes:
    """``graph`` placed by ``layout`` as SVG bytes (the app's File ▸ Export)."""
    return svg_bytes(compose_scene(graph, layout, theme, fonts, sizes, legend), title)

