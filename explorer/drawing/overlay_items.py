"""Items drawn over the graph: value badges, error callouts, scope regions, travelling dots.

Every item carries ``kind`` (what it shows, one of ``BADGE_STYLES``' keys or
"no_grad") and ``text``, so tests and the exporter can read the picture back.
They paint only what they are given; the overlays decide which exist and where.
"""
from __future__ import annotations

from PySide6.QtCore import Property, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetricsF, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsObject

from explorer.drawing.fonts import code_font, ui_font

# kind -> (fill, border, text colour)
BADGE_STYLES = {
    "gradient": ("#e8710a", "#b05000", "#ffffff"),      # a gradient on an edge
    "gradient_old": ("#fde3cc", "#e8710a", "#5f3000"),  # one that arrived earlier
    "seed": ("#e8710a", "#b05000", "#ffffff"),          # the gradient backward starts with
    "sum": ("#8e24aa", "#5e1675", "#ffffff"),           # two gradients meeting at one input
    "leaf_grad": ("#188038", "#0d5224", "#ffffff"),     # a leaf's .grad before → after
    "chain_rule": ("#e8f0fe", "#1a73e8", "#0b3d91"),    # the local derivative of an edge
    "freed": ("#f1f3f4", "#80868b", "#5f6368"),         # a saved tensor backward freed
    "stale": ("#fce8e6", "#c5221f", "#a50e0e"),         # changed without a version bump
    "bumped": ("#fef7e0", "#e37400", "#7a4100"),        # changed in place: version bumped
    "error": ("#fce8e6", "#c5221f", "#3c0a0a"),         # PyTorch's error and its explanation
    "warning": ("#fef7e0", "#e37400", "#3c2a00"),
}
LIT_COLOUR = "#e8710a"      # the node running now
DONE_COLOUR = "#1a73e8"     # nodes that have run
FLOW_WIDTH = 3.0
CALLOUT_WIDTH = 360.0


class OverlayLayer:
    """Items laid over a graph scene by one overlay, removed together by ``clear``."""

    def __init__(self, scene):
        self.scene = scene
        self.items = []

    def clear(self):
        for item in self.items:
            scene = item.scene()   # this layer's scene, or one standing in for it (exports)
            if scene is not None:
                scene.removeItem(item)
        self.items = []

    def _add(self, item):
        self.scene.addItem(item)
        self.items.append(item)
        return item

    def badges(self, kind: str | None = None):
        return [item for item in self.items if kind is None or item.kind == kind]


# The graph's node text size, set with its fonts (``set_graph_point_size``): badges,
# notes and regions are sized from it, so the text-size control and the projector
# enlarge them with the nodes (fixed at 8 pt, they stayed unreadable from a room's back).
NODE_POINT_SIZE = 9.0
_graph_point_size = [NODE_POINT_SIZE]


def set_graph_point_size(point_size: float):
    _graph_point_size[0] = point_size


def overlay_scale() -> float:
    """How many times their usual size overlays are drawn now."""
    return _graph_point_size[0] / NODE_POINT_SIZE


class BadgeItem(QGraphicsItem):
    """A rounded label centred on its position (or wrapped text, for callouts).

    ``point_size`` (None: as large as node names) and ``wrap_width`` are at the usual
    text size; both grow with the graph's text (``overlay_scale``)."""

    def __init__(self, kind: str, text: str, tooltip: str = "", point_size: float | None = None,
                 wrap_width: float | None = None, parent=None):
        super().__init__(parent)
        self.kind = kind
        self.text = text
        self._fill, self._border, self._text_colour = (QColor(c) for c in BADGE_STYLES[kind])
        scale = overlay_scale()
        point_size = (NODE_POINT_SIZE if point_size is None else point_size) * scale
        if wrap_width is not None:
            wrap_width *= scale
        self._font = code_font(point_size) if wrap_width is None else ui_font(point_size)
        metrics = QFontMetricsF(self._font)
        padding = metrics.height() * 0.3
        if wrap_width is None:
            lines = text.split("\n")
            width = max(metrics.horizontalAdvance(line) for line in lines)
            height = metrics.height() * len(lines)
            self._flags = Qt.AlignmentFlag.AlignCenter
        else:
            flags = Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft
            bounds = metrics.boundingRect(QRectF(0, 0, wrap_width, 1e6), int(flags), text)
            width, height = bounds.width(), bounds.height()
            self._flags = flags
        self._rect = QRectF(-width / 2 - padding, -height / 2 - padding / 2,
                            width + 2 * padding, height + padding)
        self._text_rect = self._rect.adjusted(padding, padding / 2, -padding, -padding / 2)
        self.setToolTip(tooltip or text)
        self.setZValue(6)

    def rect(self) -> QRectF:
        return QRectF(self._rect)

    def boundingRect(self) -> QRectF:
        return self._rect.adjusted(-1, -1, 1, 1)

    def paint(self, painter, option, widget=None):
        painter.setPen(QPen(self._border, 1.1))
        painter.setBrush(QBrush(self._fill))
        radius = min(self._rect.height() / 2, 6.0)
        painter.drawRoundedRect(self._rect, radius, radius)
        if self.kind == "freed":
            # Struck through: the value is gone.
            painter.drawLine(QPointF(self._rect.left() + 3, 0), QPointF(self._rect.right() - 3, 0))
        painter.setPen(self._text_colour)
        painter.setFont(self._font)
        painter.drawText(self._text_rect, int(self._flags), self.text)


class RegionItem(QGraphicsItem):
    """A rounded, labelled region drawn behind nodes: the ``with torch.no_grad():`` scope."""

    def __init__(self, rect: QRectF, label: str, kind: str = "no_grad", colour: str = "#8e6bbf"):
        super().__init__()
        self.kind = kind
        self.text = label
        self._colour = QColor(colour)
        self._font = code_font(8.0 * overlay_scale())
        height = QFontMetricsF(self._font).height()
        self._rect = QRectF(rect).adjusted(0, -height, 0, 0)
        self._label_height = height
        self.setZValue(0.5)
        self.setToolTip(label)

    def boundingRect(self) -> QRectF:
        return self._rect.adjusted(-2, -2, 2, 2)

    def paint(self, painter, option, widget=None):
        fill = QColor(self._colour)
        fill.setAlpha(28)
        painter.setBrush(QBrush(fill))
        painter.setPen(QPen(self._colour, 1.4, Qt.PenStyle.DashLine))
        painter.drawRoundedRect(self._rect, 12, 12)
        painter.setPen(self._colour)
        painter.setFont(self._font)
        label_rect = QRectF(self._rect.left() + 10, self._rect.top() + 2, self._rect.width() - 20,
                            self._label_height)
        painter.drawText(label_rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                         self.text)


class LeaderLine(QGraphicsItem):
    """A thin line from a callout to the node it is about."""

    def __init__(self, start: QPointF, end: QPointF, colour: str):
        super().__init__()
        self.kind = "leader"
        self.text = ""
        self._start, self._end = QPointF(start), QPointF(end)
        self._colour = QColor(colour)
        self.setZValue(5.5)

    def boundingRect(self) -> QRectF:
        return QRectF(self._start, self._end).normalized().adjusted(-2, -2, 2, 2)

    def paint(self, painter, option, widget=None):
        painter.setPen(QPen(self._colour, 1.2, Qt.PenStyle.DashLine))
        painter.drawLine(self._start, self._end)


class FlowDot(QGraphicsObject):
    """A dot travelling along an edge against its arrow, as a gradient does in backward.

    ``progress`` (0 → 1) is animated by a QPropertyAnimation owned by the animator.
    """

    def __init__(self, path: QPainterPath, colour: str = LIT_COLOUR, radius: float = 5.0):
        super().__init__()
        self.kind = "flow_dot"
        self.text = ""
        self._path = QPainterPath(path)
        self._colour = QColor(colour)
        self._radius = radius
        self._progress = 0.0
        self.setZValue(7)
        self._place()

    def _place(self):
        # The edge is drawn tail → head; the gradient runs head → tail.
        self.setPos(self._path.pointAtPercent(max(0.0, min(1.0, 1.0 - self._progress))))

    def get_progress(self) -> float:
        return self._progress

    def set_progress(self, value: float):
        self._progress = float(value)
        self._place()

    progress = Property(float, get_progress, set_progress)

    def boundingRect(self) -> QRectF:
        r = self._radius + 1
        return QRectF(-r, -r, 2 * r, 2 * r)

    def paint(self, painter, option, widget=None):
        painter.setPen(QPen(QColor("#ffffff"), 1.2))
        painter.setBrush(QBrush(self._colour))
        painter.drawEllipse(QPointF(0, 0), self._radius, self._radius)


def edge_midpoint(edge_item) -> QPointF:
    path = edge_item.path()
    return path.pointAtPercent(0.5) if path.length() > 0 else path.currentPosition()
