"""Shows one ``AnimationFrame`` at a time on an export scene: rings, edges, badges, caption.

The drawing itself is built once; each frame only recolours node rings and edges,
puts value badges beside nodes and rewrites the caption under the graph. The
scene's rectangle is the union over all frames, so every picture of an animation
has the same size.
"""
from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetricsF, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPolygonItem

from explorer.drawing.graph_scene import SCENE_MARGIN

from .animation import AnimationFrame
from .scene import ExportScene
from .text_fonts import export_code_font, export_ui_font

EDGE_HIGHLIGHT_WIDTH = 2.6
BADGE_GAP = 6.0


class TextPanel(QGraphicsItem):
    """Lines of text on a rounded panel; each line is (text, font)."""

    def __init__(self, lines, fill: str, border: str, text_colour: str, padding: float):
        super().__init__()
        self._lines = [(text, font, QFontMetricsF(font)) for text, font in lines]
        self._fill = QColor(fill)
        self._border = QColor(border)
        self._text = QColor(text_colour)
        self._padding = padding
        width = max((metrics.horizontalAdvance(text) for text, _font, metrics in self._lines), default=0)
        height = sum(metrics.height() for _text, _font, metrics in self._lines)
        self._rect = QRectF(0, 0, width + 2 * padding, height + 2 * padding)
        self.setZValue(5)

    def boundingRect(self) -> QRectF:
        return self._rect.adjusted(-1, -1, 1, 1)

    def paint(self, painter, option, widget=None):
        painter.setPen(QPen(self._border, 1.2))
        painter.setBrush(QBrush(self._fill))
        painter.drawRoundedRect(self._rect, 4, 4)
        painter.setPen(self._text)
        top = self._padding
        for text, font, metrics in self._lines:
            painter.setFont(font)
            line = QRectF(self._padding, top, self._rect.width(), metrics.height())
            painter.drawText(line, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)
            top += metrics.height()


class AnimatedScene:
    """An ``ExportScene`` that can show the frames of a backward animation."""

    def __init__(self, exported: ExportScene):
        self.exported = exported
        theme = exported.theme
        self._current = theme.selection
        self._visited = theme.hover
        points = exported.fonts.detail.pointSizeF()
        self._badge_font = export_code_font(points)
        self._heading_font = export_ui_font(points + 1, bold=True)
        self._caption_font = export_ui_font(points + 1)
        self._padding = exported.fonts.padding
        self._graph_rect = exported.graph_rect()
        self._edge_pens = {edge: _pens_of(item) for edge, item in exported.drawing.edges.items()}
        self._extras = []

    def show(self, frame: AnimationFrame):
        theme = self.exported.theme
        drawing = self.exported.drawing
        self.clear()
        for node in frame.visited:
            if node in drawing.nodes:
                drawing.nodes[node].set_highlight(self._visited)
        for node in frame.current:
            if node in drawing.nodes:
                drawing.nodes[node].set_highlight(self._current)
        for edge in frame.edges:
            if edge in drawing.edges:
                _recolour(drawing.edges[edge], QColor(self._current), EDGE_HIGHLIGHT_WIDTH)
        for node, text in frame.badges:
            item = drawing.nodes.get(node)
            if item is None:
                continue
            badge = TextPanel([(text, self._badge_font)], theme.legend_background, self._current,
                              theme.legend_text, self._padding / 2)
            badge_rect = badge.boundingRect()
            node_rect = item.sceneBoundingRect()
            badge.setPos(node_rect.right() + BADGE_GAP, node_rect.center().y() - badge_rect.height() / 2)
            self._add(badge)
        caption = TextPanel([(frame.heading, self._heading_font), (frame.caption, self._caption_font)],
                            theme.legend_background, theme.edge, theme.legend_text, self._padding)
        caption.setPos(QPointF(self._graph_rect.left(), self._graph_rect.bottom() + SCENE_MARGIN))
        self._add(caption)

    def fit(self, frames):
        """Fix the scene's rectangle to hold every frame of ``frames``."""
        union = QRectF()
        for frame in frames:
            self.show(frame)
            union = union.united(self.exported.scene.itemsBoundingRect())
        self.clear()
        self.exported.fit_rect(union)

    def each(self, frames, render):
        """``render(scene)`` for each of ``frames`` shown in turn, one at a time (a generator)."""
        try:
            for frame in frames:
                self.show(frame)
                yield render(self.exported)
        finally:
            self.clear()

    def _add(self, item):
        self.exported.scene.addItem(item)
        self._extras.append(item)

    def clear(self):
        for item in self._extras:
            self.exported.scene.removeItem(item)
        self._extras = []
        for node_item in self.exported.drawing.nodes.values():
            node_item.set_highlight(None)
        for edge, item in self.exported.drawing.edges.items():
            _restore(item, self._edge_pens[edge])


def _pens_of(edge_item):
    arrows = [(child, child.pen(), child.brush()) for child in edge_item.childItems()
              if isinstance(child, QGraphicsPolygonItem)]
    return edge_item.pen(), arrows


def _recolour(edge_item, colour: QColor, width: float):
    pen = QPen(edge_item.pen())
    pen.setColor(colour)
    pen.setWidthF(width)
    edge_item.setPen(pen)
    edge_item.setZValue(1.5)
    for child in edge_item.childItems():
        if isinstance(child, QGraphicsPolygonItem):
            child.setPen(QPen(colour, 1.0))
            child.setBrush(QBrush(colour))


def _restore(edge_item, pens):
    pen, arrows = pens
    edge_item.setPen(pen)
    edge_item.setZValue(1)
    for child, arrow_pen, arrow_brush in arrows:
        child.setPen(arrow_pen)
        child.setBrush(arrow_brush)
