"""A QGraphicsView for the graph: zoom under the mouse, pan by dragging, fit."""
from __future__ import annotations

from PySide6.QtCore import Qt
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


class GraphView(QGraphicsView):
    def __init__(self, scene, parent=None):
        super().__init__(scene, parent)
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
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
        policy = Qt.ScrollBarPolicy.ScrollBarAsNeeded if zoomed else Qt.ScrollBarPolicy.ScrollBarAlwaysOff
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

    def scale_after_showing(self, rect) -> float:
        """The scale this view will have once a drawing covering ``rect`` is shown:
        the fitted one, unless the user has chosen a zoom (about: ``fit`` has the last word)."""
        if self.user_zoomed or rect.isEmpty():
            return self.current_scale()
        margin = rect.adjusted(-FIT_MARGIN, -FIT_MARGIN, FIT_MARGIN, FIT_MARGIN)
        viewport = self.viewport().rect()
        return min(MAX_FIT_SCALE, viewport.width() / margin.width(), viewport.height() / margin.height())

    def fit(self):
        scene = self.scene()
        rect = scene.fit_rect() if hasattr(scene, "fit_rect") else scene.itemsBoundingRect()
        if rect.isEmpty():
            return
        self.fitInView(rect.adjusted(-FIT_MARGIN, -FIT_MARGIN, FIT_MARGIN, FIT_MARGIN),
                       Qt.AspectRatioMode.KeepAspectRatio)
        if self.current_scale() > MAX_FIT_SCALE:
            self.resetTransform()
            self.scale(MAX_FIT_SCALE, MAX_FIT_SCALE)
        self.centerOn(rect.center())
        self.user_zoomed = False
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
            self.fit()
