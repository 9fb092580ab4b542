"""Shows one ``AnimationFrame`` at a time on an export scene: the backward pass so far, and a caption.

The drawing itself is built once. For frame k the app's backward overlay shows
the pass after its first k events, as the app's animation and ``--event k`` do
(Functions run ringed, gradients on the edges they flowed along, sums, each
leaf's ``.grad`` before → after, no label over a node), and the caption under
the graph is rewritten. The last frame, held longest, shows every gradient. The
scene's rectangle is the union over all frames, so every picture of an
animation has the same size.
"""
from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetricsF, QPen
from PySide6.QtWidgets import QGraphicsItem

from explorer.drawing.graph_scene import SCENE_MARGIN
from explorer.graph.backward_state import visual_state

from .animation import AnimationFrame
from .backward_still import badges_sized_for, overlay_on
from .scene import ExportScene
from .text_fonts import export_ui_font


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

    def __init__(self, exported: ExportScene, backward, graph):
        """``backward``: the timeline frame whose backward() call the frames animate, drawn as ``graph``."""
        self.exported = exported
        self._backward = backward
        self._overlay = overlay_on(exported, graph)
        theme = exported.theme
        points = exported.fonts.detail.pointSizeF()
        self._heading_font = export_ui_font(points + 1, bold=True)
        self._caption_font = export_ui_font(points + 1)
        self._padding = exported.fonts.padding
        self._graph_rect = exported.graph_rect()
        self._theme = theme
        self._extras = []

    def show(self, frame: AnimationFrame):
        theme = self._theme
        self.clear()
        with badges_sized_for(self.exported):
            self._overlay.show(visual_state(self._backward.events, frame.number), self._backward.snapshot)
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
        self._overlay.clear()

