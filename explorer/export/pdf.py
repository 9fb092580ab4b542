"""PDF: the scene painted through ``QPdfWriter``, on pages readers accept.

PDF readers refuse or clip pages longer than 14,400 points a side (Acrobat's
limit, which other readers follow). A drawing within it is one page of exactly
its size. A longer one is shrunk onto one page when its text stays legible at
the shrunk size (``MIN_LEGIBLE_SCALE``, as for pictures); past that it is cut
into pages at its natural size, each cut placed between nodes wherever the
drawing has such a gap, so no node's name is split across two pages.

Labels stay text with embedded, searchable fonts (see ``pdf_text`` for the
Chinese characters that needs help to be found).
"""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, QSizeF
from PySide6.QtGui import QPageLayout, QPageSize, QPainter, QPdfWriter

from explorer.drawing.graph_items import GraphFonts
from explorer.graph.style import LIGHT, Theme

from .pdf_text import unify_radicals
from .raster import MIN_LEGIBLE_SCALE, SCREEN_DPI
from .scene import ExportScene, compose_scene

POINTS_PER_INCH = 72.0
POINTS_PER_UNIT = POINTS_PER_INCH / SCREEN_DPI  # one scene unit is one CSS pixel
MAX_PAGE_POINTS = 14_400.0


@dataclass
class PagePlan:
    """The parts of the drawing (scene rectangles) put on successive pages, and their scale."""

    scale: float
    parts: list


def plan_pages(rect: QRectF, keep_whole: list) -> PagePlan:
    """How ``rect`` goes onto pages within ``MAX_PAGE_POINTS``; ``keep_whole`` lists the scene
    rectangles (the nodes, the legend) that a cut between pages should not cross."""
    longest = max(rect.width(), rect.height()) * POINTS_PER_UNIT
    if longest <= MAX_PAGE_POINTS:
        return PagePlan(1.0, [QRectF(rect)])
    fitted = MAX_PAGE_POINTS / longest
    if fitted >= MIN_LEGIBLE_SCALE:
        return PagePlan(fitted, [QRectF(rect)])
    limit = MAX_PAGE_POINTS / POINTS_PER_UNIT
    rows = _cuts(rect.top(), rect.bottom(), limit, [(box.top(), box.bottom()) for box in keep_whole])
    columns = _cuts(rect.left(), rect.right(), limit, [(box.left(), box.right()) for box in keep_whole])
    parts = [QRectF(left, top, right - left, bottom - top)
             for top, bottom in rows for left, right in columns]
    return PagePlan(1.0, parts)


def _cuts(start: float, end: float, limit: float, spans: list) -> list:
    """``start``..``end`` cut into pieces at most ``limit`` long, each cut outside every span
    where one fits (else at the limit)."""
    pieces = []
    while end - start > limit:
        furthest = start + limit
        # A span crossing the furthest cut pushes the cut back to its start, and so on.
        cut = furthest
        moved = True
        while moved:
            moved = False
            for low, high in spans:
                if low < cut < high:
                    cut = low
                    moved = True
        if cut <= start + limit / 4:  # nothing but giant spans: cut at the limit
            cut = furthest
        pieces.append((start, cut))
        start = cut
    pieces.append((start, end))
    return pieces


def pdf_bytes(exported: ExportScene, title: str = "") -> bytes:
    """The scene's rectangle as a PDF: one page the size of the drawing, or several (see above)."""
    kept = [box for _item, box in exported.drawing.boxes]
    if exported.drawing.legend is not None:
        kept.append(exported.drawing.legend.sceneBoundingRect())
    plan = plan_pages(exported.rect, kept)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(int(SCREEN_DPI))
    writer.setTitle(title)
    writer.setCreator("autograd-explorer")
    writer.setPageLayout(_page_layout(plan.parts[0], plan.scale))
    painter = QPainter(writer)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    for number, part in enumerate(plan.parts):
        if number:
            writer.setPageLayout(_page_layout(part, plan.scale))
            writer.newPage()
        exported.scene.render(painter, QRectF(0, 0, writer.width(), writer.height()), part)
    painter.end()
    buffer.close()
    return unify_radicals(bytes(data.data()))


def _page_layout(part: QRectF, scale: float) -> QPageLayout:
    size = QSizeF(part.width() * scale * POINTS_PER_UNIT, part.height() * scale * POINTS_PER_UNIT)
    page_size = QPageSize(size, QPageSize.Unit.Point, "drawing", QPageSize.SizeMatchPolicy.ExactMatch)
    return QPageLayout(page_size, QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0),
                       QPageLayout.Unit.Point)


def render_pdf(graph, layout, theme: Theme = LIGHT, *, fonts: GraphFonts | None = None,
               sizes: dict | None = None, legend: bool = True, title: str = "") -> bytes:
    """``graph`` placed by ``layout`` as PDF bytes (the app's File ▸ Export)."""
    return pdf_bytes(compose_scene(graph, layout, theme, fonts, sizes, legend), title)
