"""The app's drawing placed on a bare ``QGraphicsScene``, with nothing on screen.

``compose_scene`` calls the same ``build_items`` and ``place_legend`` as the app's
graph pane, so an export looks exactly like the window. The scene's rectangle is
fixed once here; renderers draw that rectangle and nothing else.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass

from PySide6.QtCore import QRectF
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QApplication, QGraphicsScene

from explorer.drawing.graph_items import GraphFonts
from explorer.drawing.graph_scene import (
    SCENE_MARGIN,
    Drawing,
    build_items,
    node_sizes,
    nodes_rect,
    place_legend,
)
from explorer.graph.style import LIGHT, Theme

from .text_fonts import export_fonts


def ensure_application() -> QApplication:
    """The running QApplication, or a new one (graphics scenes need one, even headless)."""
    application = QApplication.instance()
    if application is None:
        application = QApplication(sys.argv[:1])
    return application


@dataclass
class ExportScene:
    """A scene holding one drawing, and the rectangle of it that exports show."""

    scene: QGraphicsScene
    drawing: Drawing
    rect: QRectF
    theme: Theme
    fonts: GraphFonts

    @property
    def background(self) -> QColor:
        return QColor(self.theme.background)

    def graph_rect(self) -> QRectF:
        return nodes_rect(self.drawing)

    def fit_rect(self, extra: QRectF | None = None):
        """Show every item (and ``extra``) with the app's margin around them."""
        rect = self.scene.itemsBoundingRect()
        if extra is not None:
            rect = rect.united(extra)
        self.rect = rect.adjusted(-SCENE_MARGIN, -SCENE_MARGIN, SCENE_MARGIN, SCENE_MARGIN)
        self.scene.setSceneRect(self.rect)


def compose_scene(graph, layout, theme: Theme = LIGHT, fonts: GraphFonts | None = None,
                  sizes: dict | None = None, legend: bool = True) -> ExportScene:
    """A scene with ``graph`` drawn at ``layout``; ``sizes`` must be the ones the layout used."""
    ensure_application()
    fonts = fonts or export_fonts()
    sizes = sizes or node_sizes(graph, fonts)
    drawing = build_items(graph, layout, theme, fonts, sizes, legend)
    scene = QGraphicsScene()
    # A scene that is drawn whole a few times gains nothing from an index: filling Qt's
    # BSP tree with the long edges of a big graph took quadratic time (69 s at 20,000 ops).
    scene.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)
    scene.setBackgroundBrush(QBrush(QColor(theme.background)))
    for item in drawing.all_items():
        scene.addItem(item)
    if drawing.nodes:
        place_legend(drawing, nodes_rect(drawing))
    exported = ExportScene(scene, drawing, QRectF(), theme, fonts)
    exported.fit_rect()
    return exported

