"""A QGraphicsView for the graph: zoom under the mouse, pan by dragging, fit.

NOTE [readable fit]
Shown a new frame, or resized, the view fits the drawing to its window, but never
so small that the text cannot be read: below ``MIN_READABLE_TEXT_PX`` it stays at
the readable scale, shows its scroll bars and centres on what the frame is about
(the node the backward animation lights up, else the one the step made). Fit to
Window (Ctrl+9) still shows everything drawn, text or not: the user asked for the
whole. Drawings big enough to be painted as an overview when zoomed out are
fitted whole: their overview is the point of showing them at once.
"""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QAction, QKeySequence, QPainter
from PySide6.QtWidgets import QGraphicsView

from .translation import tr

ZOOM_STEP = 1.2
MIN_SCALE = 0.05
MAX_SCALE = 8.0
# Fitting a tiny graph should not blow it up to poster size.
MAX_FIT_SCALE = 1.6
FIT_MARGIN = 12
ANTIALIAS_MIN_SCALE = 0.3
# The smallest node text (in pixels on screen) the automatic fit shrinks to; at
# 1280x720 the tutorial's graph was fitted at 4.5 px, drawn as empty boxes.
MIN_READABLE_TEXT_PX = 8.0


class GraphView(QGraphicsView):
    def __init__(self, scene, parent=None):
        super().__init__(scene, parent)
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        # Asked for the node to keep in sight when the drawing is too big to read whole.
        self.focus_node: Callable[[], str] | None = None
        self.user_zoomed = False
        self.zoom_in_action = self._action(tr("Zoom In"), [QKeySequence.StandardKey.ZoomIn,
                                                       QKeySequence("Ctrl+=")], self.zoom_in)
        self.zoom_out_action = self._action(tr("Zoom Out"), [QKeySequence.StandardKey.ZoomOut],
                                            self.zoom_out)
        self.reset_zoom_action = self._action(tr("Actual Size"), [QKeySequence("Ctrl+0")], self.reset_zoom)
        self.fit_action = self._action(tr("Fit to Window"), [QKeySequence("Ctrl+9")], self.fit)

    def _action(self, text, shortcuts, slot):
        action = QAction(text, self)
        keys = []
        for shortcut in shortcuts:
            keys.extend(QKeySequence.keyBindings(shortcut) if isinstance(shortcut, QKeySequence.StandardKey)
                        else [shortcut])
        action.setShortcuts(keys)
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    @property
    def user_zoomed(self) -> bool:
        """True once the user chose a zoom; False while the view fits the drawing."""
        return self._user_zoomed

    @user_zoomed.setter
    def user_zoomed(self, zoomed: bool):
        # Fitted, the view shows everything and needs no scroll bars. Kept off, they cannot
        # appear after a fit, shrink the viewport and ask for another fit (a resize loop
        # that kept a core busy, or froze the window). Zoomed by the user, they come back.
        self._user_zoomed = zoomed
        self._whole_chosen = False   # zoomed, or back to the automatic fit
        self._show_scroll_bars(zoomed)

    def _show_scroll_bars(self, shown: bool):
        # Shown only when the view does not fit the drawing, where their coming and going
        # cannot change the scale (the readable scale does not depend on the window's size).
        policy = Qt.ScrollBarPolicy.ScrollBarAsNeeded if shown else Qt.ScrollBarPolicy.ScrollBarAlwaysOff
        if self.horizontalScrollBarPolicy() != policy:
            self.setHorizontalScrollBarPolicy(policy)
            self.setVerticalScrollBarPolicy(policy)

    def current_scale(self) -> float:
        return self.transform().m11()

    def _update_render_hints(self):
        # Antialiasing a thousand tiny edges costs more than it shows; keep it for readable zooms.
        self.setRenderHint(QPainter.RenderHint.Antialiasing, self.current_scale() >= ANTIALIAS_MIN_SCALE)
        # Big drawings paint their node boxes in one go when zoomed out (NodeOverview).
        self.scene().set_level_of_detail(self.current_scale())

    def zoom_by(self, factor: float):
        target = min(max(self.current_scale() * factor, MIN_SCALE), MAX_SCALE)
        factor = target / self.current_scale()
        self.scale(factor, factor)
        self.user_zoomed = True
        self._update_render_hints()

    def zoom_in(self):
        self.zoom_by(ZOOM_STEP)

    def zoom_out(self):
        self.zoom_by(1 / ZOOM_STEP)

    def reset_zoom(self):
        self.resetTransform()
        self.user_zoomed = True
        self._update_render_hints()

    def _fitted_scale(self, rect: QRectF) -> float:
        margin = rect.adjusted(-FIT_MARGIN, -FIT_MARGIN, FIT_MARGIN, FIT_MARGIN)
        viewport = self.viewport().rect()
        return min(MAX_FIT_SCALE, viewport.width() / margin.width(), viewport.height() / margin.height())

    def readable_scale(self) -> float:
        """The smallest scale at which node text is ``MIN_READABLE_TEXT_PX`` tall; 0 for a
        drawing painted as an overview when zoomed out (see NOTE [readable fit])."""
        scene = self.scene()
        drawing = getattr(scene, "drawing", None)
        fonts = getattr(scene, "fonts", None)
        if fonts is None or drawing is None or getattr(drawing, "overview", None) is not None:
            return 0.0
        font = fonts.label
        pixels = font.pixelSize() if font.pixelSize() > 0 else font.pointSizeF() * self.logicalDpiY() / 72
        return MIN_READABLE_TEXT_PX / pixels if pixels > 0 else 0.0

    def scale_after_showing(self, rect) -> float:
        """The scale this view will have once a drawing covering ``rect`` is shown:
        the automatic fit's, unless the user has chosen a zoom (about: ``auto_fit`` has the
        last word)."""
        if self.user_zoomed or rect.isEmpty():
            return self.current_scale()
        return max(self._fitted_scale(rect), self.readable_scale())

    def _drawing_rect(self) -> QRectF:
        scene = self.scene()
        return scene.fit_rect() if hasattr(scene, "fit_rect") else scene.itemsBoundingRect()

    def auto_fit(self):
        """Fit the drawing, down to the readable scale (NOTE [readable fit])."""
        rect = self._drawing_rect()
        if rect.isEmpty():
            return
        readable = self.readable_scale()
        if self._whole_chosen or self._fitted_scale(rect) >= readable:
            self._fit_whole(rect)
            return
        self.resetTransform()
        self.scale(readable, readable)
        self._user_zoomed = False
        self._show_scroll_bars(True)
        self.centerOn((self.focus_rect() or rect).center())
        self._update_render_hints()

    def focus_rect(self) -> QRectF | None:
        """Where the node the frame is about is drawn, if it is drawn."""
        node = self.focus_node() if self.focus_node is not None else ""
        item = self.scene().node_item(node) if node and hasattr(self.scene(), "node_item") else None
        return item.sceneBoundingRect() if item is not None else None

    def fit(self):
        """Show everything drawn (Fit to Window), however small its text becomes; resized,
        the view goes on showing everything until a zoom or a new program (NOTE [readable fit])."""
        rect = self._drawing_rect()
        if rect.isEmpty():
            return
        self._whole_chosen = True   # first: hiding the scroll bars resizes the view at once
        self._fit_whole(rect)

    def _fit_whole(self, rect: QRectF):
        self.fitInView(rect.adjusted(-FIT_MARGIN, -FIT_MARGIN, FIT_MARGIN, FIT_MARGIN),
                       Qt.AspectRatioMode.KeepAspectRatio)
        if self.current_scale() > MAX_FIT_SCALE:
            self.resetTransform()
            self.scale(MAX_FIT_SCALE, MAX_FIT_SCALE)
        self.centerOn(rect.center())
        self._user_zoomed = False
        self._show_scroll_bars(False)
        self._update_render_hints()

    def wheelEvent(self, event):
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = event.angleDelta().y() / 120
            if steps:
                self.zoom_by(ZOOM_STEP ** steps)
            event.accept()
            return
        super().wheelEvent(event)

    def resizeEvent(self, event):
        super().resizeEvent(event)
        if not self.user_zoomed:
            self.auto_fit()
