"""Graphics items of the graph drawing: nodes, edges with arrowheads, the legend.

Items only paint what they are given; which items exist and where they go is
decided in ``graph_scene.build_items``. Nothing here needs a view or a window,
so the same items render headless into images.
"""
from __future__ import annotations

import math

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetricsF, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsPolygonItem,
    QGraphicsSimpleTextItem,
    QStyle,
)

from explorer.graph.build import FUNCTION
from explorer.graph.groups import GROUP
from explorer.graph.node_text import EXPANDED_MARK, box_size, node_lines

from .fonts import code_font, ui_font

PEN_STYLES = {
    "solid": Qt.PenStyle.SolidLine, "dash": Qt.PenStyle.DashLine,
    "dot": Qt.PenStyle.DotLine, "dashdot": Qt.PenStyle.DashDotLine,
}
ARROW_LENGTH = 9.0
# Below this scale a node's text would be under about 4 pixels high and is not drawn.
TEXT_LEVEL_OF_DETAIL = 0.4
ARROW_HALF_WIDTH = 4.5
# How far a node item's bounding rectangle reaches past its box (room for a thick border).
NODE_OUTLINE = 3.0
# A call's box: room between it and its members.
GROUP_PADDING = 8.0
# Between a box's label and its top members: room for the badges a run puts above a node.
GROUP_BADGE_ROOM = 14.0
GROUP_RADIUS = 8.0


class GraphFonts:
    """Fonts and metrics shared by every item of one drawing (measured once)."""

    def __init__(self, point_size: float = 9.0):
        self.label = ui_font(point_size, bold=True)
        self.detail = ui_font(point_size - 1)
        self.values = code_font(point_size - 1)
        self.label_metrics = QFontMetricsF(self.label)
        self.detail_metrics = QFontMetricsF(self.detail)
        self.values_metrics = QFontMetricsF(self.values)
        self.padding = self.detail_metrics.height() * 0.5


def translated(text: str) -> str:
    """The graph's own words (``explorer.graph.node_text``) in the interface's language.

    Qt's translator itself, with nothing remembered: nodes are measured on layout
    workers too.
    """
    return QCoreApplication.translate("", text)


def measure_node(attributes: dict, fonts: GraphFonts, view: str = "tensor_function") -> tuple[float, float]:
    """Width and height of a node's box, from its text and the font metrics."""
    metrics = {"label": fonts.label_metrics, "detail": fonts.detail_metrics,
               "values": fonts.values_metrics}

    def measure(text: str, key: str) -> tuple[float, float]:
        return metrics[key].horizontalAdvance(text), metrics[key].height()

    return box_size(attributes, measure, fonts.padding, view, translated)


class NodeItem(QGraphicsItem):
    """One tensor or Function, centred on its position."""

    def __init__(self, node_id: str, attributes: dict, size, style, theme, fonts: GraphFonts,
                 view: str = "tensor_function"):
        super().__init__()
        self.node_id = node_id
        self.attributes = attributes
        self._style = style
        self._theme = theme
        self._fonts = fonts
        self._lines = node_lines(attributes, view, translated)
        width, height = size
        self._rect = QRectF(-width / 2, -height / 2, width, height)
        self._hovered = False
        self._highlight = None
        # Set while a ``NodeOverview`` paints this box instead (see there).
        self.overview = None
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setAcceptHoverEvents(True)
        self.setToolTip(attributes.get("tooltip", ""))
        self.setZValue(2)
        if attributes["kind"] == GROUP:
            self.setCursor(Qt.CursorShape.PointingHandCursor)   # a click expands it

    def rect(self) -> QRectF:
        return QRectF(self._rect)

    def show_saved_as_kept(self, kept: bool):
        """While a backward animation has not reached the end, a Function it frees still
        holds its saved tensors: "saved: 2", not yet "saved: freed" (no spoiler)."""
        if self.attributes["kind"] != FUNCTION or not self.attributes.get("freed"):
            return
        detail = f"saved: {self.attributes.get('saved_count', 0)}" if kept else self.attributes["detail"]
        lines = node_lines(dict(self.attributes, detail=detail), translate=translated)
        if lines != self._lines:
            self._lines = lines
            self.update()

    def set_highlight(self, colour: str | None):
        """A coloured ring drawn over the border (used to point at a node), None to clear."""
        self._highlight = colour
        self.repaint_box()

    def boundingRect(self) -> QRectF:
        return self._rect.adjusted(-NODE_OUTLINE, -NODE_OUTLINE, NODE_OUTLINE, NODE_OUTLINE)

    def repaint_box(self):
        if self.overview is not None:
            # An item without contents is never repainted by Qt: ask the item painting it.
            self.overview.node_changed(self)
        self.update()

    def in_base_look(self) -> bool:
        """Neither hovered nor highlighted (selection is asked of the scene)."""
        return not self._hovered and not self._highlight

    def hoverEnterEvent(self, event):
        self._hovered = True
        self.repaint_box()
        super().hoverEnterEvent(event)

    def hoverLeaveEvent(self, event):
        self._hovered = False
        self.repaint_box()
        super().hoverLeaveEvent(event)

    def box_paint(self, selected: bool):
        """(pen, brush) of the box's border and fill in its current state."""
        style = self._style
        border, width = style.border, 1.3
        if selected:
            border, width = self._theme.selection, 2.6
        elif self._highlight:
            border, width = self._highlight, 2.6
        elif self._hovered:
            border, width = self._theme.hover, 2.0
        return _box_paint(border, width * self._theme.line_scale, style.line, style.fill)

    def paint(self, painter, option, widget=None):
        pen, brush = self.box_paint(bool(option.state & QStyle.StateFlag.State_Selected))
        painter.setPen(pen)
        painter.setBrush(brush)
        if option.levelOfDetailFromTransform(painter.worldTransform()) < TEXT_LEVEL_OF_DETAIL:
            # Zoomed this far out text is a smudge: plain boxes keep big graphs fast to repaint.
            painter.drawRect(self._rect)
            return
        if self.attributes["kind"] == FUNCTION and self.attributes["role"] != "accumulate":
            radius = self._rect.height() / 2
        else:
            radius = 4.0
        painter.drawRoundedRect(self._rect, radius, radius)
        if self.attributes["role"] == "accumulate":
            # A second inner border marks AccumulateGrad as the end of the backward pass.
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(self._rect.adjusted(2.5, 2.5, -2.5, -2.5), 3, 3)
        self._paint_text(painter)

    def mousePressEvent(self, event):
        toggle = getattr(self.scene(), "toggle_group", None)
        if self.attributes["kind"] == GROUP and toggle is not None:
            toggle(self.attributes["path"])   # a collapsed call: a click opens it again
            event.accept()
            return
        super().mousePressEvent(event)

    def _paint_text(self, painter):
        fonts = self._fonts
        by_key = {"label": (fonts.label, fonts.label_metrics),
                  "detail": (fonts.detail, fonts.detail_metrics),
                  "values": (fonts.values, fonts.values_metrics)}
        total = sum(by_key[key][1].height() for _, key in self._lines)
        top = -total / 2
        painter.setPen(QColor(self._style.text))
        for text, key in self._lines:
            font, metrics = by_key[key]
            painter.setFont(font)
            line_rect = QRectF(self._rect.left(), top, self._rect.width(), metrics.height())
            painter.drawText(line_rect, Qt.AlignmentFlag.AlignCenter, text)
            top += metrics.height()


_BOX_PAINT = {}


def _box_paint(border: str, width: float, line: str, fill: str):
    """(pen, brush) of a node box: made once per look, shared by every node that has it."""
    key = (border, width, line, fill)
    paint = _BOX_PAINT.get(key)
    if paint is None:
        pen = QPen(QColor(border), width, PEN_STYLES.get(line, Qt.PenStyle.SolidLine))
        paint = _BOX_PAINT[key] = (pen, QBrush(QColor(fill)))
    return paint


class NodeOverview(QGraphicsItem):
    """Every node's plain box in one paint, for big drawings zoomed out past text.

    Zoomed out, a ``NodeItem`` draws only a rectangle, yet calling thousands of
    Python ``paint`` methods dominates the frame (about 0.1 s per 5,000 nodes).
    While the overview is shown the nodes are marked as having no contents (they
    still take clicks and hovers) and this item draws the very same rectangles,
    at their z value: the boxes of one look in one ``drawRects`` call, then the
    few selected, hovered or highlighted ones over them in their own look.
    """

    def __init__(self):
        super().__init__()
        self._nodes = []
        self._box_of = {}
        self._bounds = QRectF()
        self._looks = {}      # id of a (pen, brush) pair -> (the pair, boxes drawn with it)
        self._changed = set()  # nodes hovered or highlighted now
        self.setZValue(2)
        self.setVisible(False)

    def add(self, node, box: QRectF):
        """Paint ``node``'s ``box`` (scene coordinates) too; a few per slice for big drawings."""
        self._nodes.append((node, box))
        self._box_of[node] = box
        self._bounds = self._bounds.united(box.adjusted(-NODE_OUTLINE, -NODE_OUTLINE, NODE_OUTLINE,
                                                        NODE_OUTLINE))
        paint = node.box_paint(False)
        self._looks.setdefault(id(paint), (paint, []))[1].append(box)

    def boundingRect(self) -> QRectF:
        return QRectF(self._bounds)

    def set_shown(self, shown: bool):
        """Take over painting the node boxes (True) or hand it back to the nodes."""
        if shown == self.isVisible():
            return
        self._changed = set()
        for node, _rect in self._nodes:
            node.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents, shown)
            node.overview = self if shown else None
            if shown and not node.in_base_look():
                self._changed.add(node)
        self.setVisible(shown)

    def node_changed(self, node):
        """``node`` was hovered, highlighted or let go: repaint its box in its new look."""
        if node.in_base_look():
            self._changed.discard(node)
        else:
            self._changed.add(node)
        self.update(self._box_of[node].adjusted(-NODE_OUTLINE, -NODE_OUTLINE, NODE_OUTLINE, NODE_OUTLINE))

    def paint(self, painter, option, widget=None):
        for (pen, brush), rects in self._looks.values():
            painter.setPen(pen)
            painter.setBrush(brush)
            painter.drawRects(rects)
        scene = self.scene()
        selected = scene.selectedItems() if scene is not None else []
        for node in list(self._changed) + [item for item in selected if item in self._box_of]:
            pen, brush = node.box_paint(node.isSelected())
            painter.setPen(pen)
            painter.setBrush(brush)
            painter.drawRect(self._box_of[node])


class EdgeLayer(QGraphicsItem):
    """The parent of a big drawing's edges: hiding it hides them all in one call."""

    def __init__(self):
        super().__init__()
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents)
        self.setZValue(1)

    def boundingRect(self) -> QRectF:
        return QRectF()

    def paint(self, painter, option, widget=None):
        pass


class EdgeOverview(QGraphicsItem):
    """Every edge of a big drawing in a few paths, shown with ``NodeOverview``.

    Thousands of edge items, each with an arrowhead child, cost Qt most of a
    zoomed-out frame even though each paints in C++. Meanwhile their
    ``EdgeLayer`` is hidden and this item strokes all shafts of one look as one
    path and fills all arrowheads as another. An edge recoloured since (the
    backward overlay lights the edges gradients flow on) is drawn again on top.
    """

    def __init__(self):
        super().__init__()
        self._shafts = {}      # id of an edge look -> (shaft pen, path of every such shaft)
        self._heads = {}       # id of an edge look -> (arrow pen, arrow brush, path of the heads)
        self._recoloured = set()
        self._bounds = QRectF()
        self.setZValue(1)
        self.setVisible(False)

    def add(self, edge: EdgeItem):
        pen, arrow_pen, arrow_brush = edge.look
        key = id(edge.look)
        if key not in self._shafts:
            heads = QPainterPath()
            # Heads meeting at one node overlap; odd-even filling would cut holes there.
            # Every head turns the same way, so winding filling gives their union.
            heads.setFillRule(Qt.FillRule.WindingFill)
            self._shafts[key] = (pen, QPainterPath())
            self._heads[key] = (arrow_pen, arrow_brush, heads)
        self._shafts[key][1].addPath(edge.path())
        # Point by point: addPolygon reserves exactly what it adds, so a path grown by
        # thousands of polygons is copied thousands of times.
        heads = self._heads[key][2]
        tip, left, right = edge.arrow_points
        heads.moveTo(tip)
        heads.lineTo(left)
        heads.lineTo(right)
        heads.closeSubpath()
        self._bounds = None   # measured when first asked (before the item joins a scene)
        edge.overview = self

    def edge_changed(self, edge: EdgeItem):
        if edge.pen() == edge.look[0]:
            self._recoloured.discard(edge)
        else:
            self._recoloured.add(edge)
        self.update(edge.boundingRect())

    def boundingRect(self) -> QRectF:
        if self._bounds is None:
            bounds = QRectF()
            for _pen, path in self._shafts.values():
                bounds = bounds.united(path.controlPointRect())
            for _pen, _brush, path in self._heads.values():
                bounds = bounds.united(path.controlPointRect())
            # Room for the pens, which the control points leave out.
            self._bounds = bounds.adjusted(-2, -2, 2, 2)
        return QRectF(self._bounds)

    def paint(self, painter, option, widget=None):
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for pen, path in self._shafts.values():
            painter.setPen(pen)
            painter.drawPath(path)
        for pen, brush, path in self._heads.values():
            painter.setPen(pen)
            painter.setBrush(brush)
            painter.drawPath(path)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for edge in self._recoloured:
            painter.setPen(edge.pen())
            painter.drawPath(edge.path())


def clip_to_rect(centre: QPointF, toward: QPointF, half_width: float, half_height: float) -> QPointF:
    """Where the segment from ``centre`` toward ``toward`` leaves a box around ``centre``."""
    dx = toward.x() - centre.x()
    dy = toward.y() - centre.y()
    if dx == 0 and dy == 0:
        return QPointF(centre)
    scale_x = half_width / abs(dx) if dx else math.inf
    scale_y = half_height / abs(dy) if dy else math.inf
    scale = min(scale_x, scale_y, 1.0)
    return QPointF(centre.x() + dx * scale, centre.y() + dy * scale)


_EDGE_PAINT = {}


def _edge_paint(theme, kind: str):
    """(line pen, arrow pen, arrow brush) of an edge of ``kind``: made once, shared by every edge."""
    line = theme.edge_line(kind)
    key = (theme.edge, theme.line_scale, line)
    paint = _EDGE_PAINT.get(key)
    if paint is None:
        colour = QColor(theme.edge)
        pen = QPen(colour, 1.2 * theme.line_scale, PEN_STYLES.get(line, Qt.PenStyle.SolidLine))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        paint = _EDGE_PAINT[key] = (pen, QPen(colour, 1.0), QBrush(colour))
    return paint


class EdgeItem(QGraphicsPathItem):
    """A polyline from tail to head with an arrowhead at the head's border."""

    def __init__(self, tail: str, head: str, points: list[QPointF], kind: str, slots, theme,
                 fonts: GraphFonts):
        super().__init__()
        self.tail = tail
        self.head = head
        self.kind = kind
        # Set while an ``EdgeOverview`` draws this edge (see there).
        self.overview = None
        self.look = _edge_paint(theme, kind)
        pen, arrow_pen, arrow_brush = self.look
        self.setPen(pen)
        self.setZValue(1)
        path = QPainterPath(points[0])
        for point in points[1:-1]:
            path.lineTo(point)
        end = points[-1]
        before = points[-2]
        end_x, end_y = end.x(), end.y()
        direction_x, direction_y = end_x - before.x(), end_y - before.y()
        length = math.hypot(direction_x, direction_y) or 1.0
        unit_x, unit_y = direction_x / length, direction_y / length
        base_x, base_y = end_x - unit_x * ARROW_LENGTH, end_y - unit_y * ARROW_LENGTH
        path.lineTo(base_x, base_y)
        self.setPath(path)
        normal_x, normal_y = -unit_y * ARROW_HALF_WIDTH, unit_x * ARROW_HALF_WIDTH
        self.arrow_points = (end, QPointF(base_x + normal_x, base_y + normal_y),
                             QPointF(base_x - normal_x, base_y - normal_y))
        arrow = QGraphicsPolygonItem(QPolygonF(list(self.arrow_points)), self)
        arrow.setPen(arrow_pen)
        arrow.setBrush(arrow_brush)
        self.arrow = arrow
        if len(slots) > 1:
            # One edge standing for several inputs (y * y): say how many.
            label = QGraphicsSimpleTextItem(f"×{len(slots)}", self)
            label.setFont(fonts.detail)
            label.setBrush(QBrush(QColor(theme.edge_text)))
            middle = points[len(points) // 2 - 1] if len(points) > 2 else points[0]
            middle = (middle + points[len(points) // 2]) / 2
            label.setPos(middle + QPointF(4, -fonts.detail_metrics.height() / 2))


    def setPen(self, pen):
        super().setPen(pen)
        if self.overview is not None:
            self.overview.edge_changed(self)


class LegendItem(QGraphicsItem):
    """Swatches and names for the node roles present in a drawing."""

    def __init__(self, roles, theme, fonts: GraphFonts):
        super().__init__()
        self._entries = [(role, theme.node(role)) for role in roles if theme.node(role).legend]
        self._theme = theme
        self._fonts = fonts
        metrics = fonts.detail_metrics
        self._row = metrics.height() * 1.35
        self._swatch = metrics.height() * 1.6
        text_width = max((metrics.horizontalAdvance(style.legend) for _, style in self._entries),
                         default=0.0)
        padding = fonts.padding
        self._rect = QRectF(0, 0, self._swatch + text_width + 3 * padding,
                            self._row * len(self._entries) + 2 * padding)
        self.setZValue(3)

    def boundingRect(self) -> QRectF:
        return QRectF(self._rect)

    def paint(self, painter, option, widget=None):
        if not self._entries:
            return
        padding = self._fonts.padding
        painter.setPen(QPen(QColor(self._theme.edge), 0.8))
        painter.setBrush(QBrush(QColor(self._theme.legend_background)))
        painter.drawRoundedRect(self._rect, 5, 5)
        painter.setFont(self._fonts.detail)
        height = self._fonts.detail_metrics.height()
        for row, (_role, style) in enumerate(self._entries):
            top = padding + row * self._row
            swatch = QRectF(padding, top + (self._row - height) / 2, self._swatch, height)
            painter.setPen(QPen(QColor(style.border), 1.2, PEN_STYLES.get(style.line)))
            painter.setBrush(QBrush(QColor(style.fill)))
            painter.drawRoundedRect(swatch, 3, 3)
            painter.setPen(QColor(self._theme.legend_text))
            text_rect = QRectF(swatch.right() + padding, top, self._rect.width(), self._row)
            painter.drawText(text_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                             style.legend)


class GroupBoxItem(QGraphicsItem):
    """The box of one call behind its members: tinted, rounded, labelled at the top left.

    ``rect`` is in scene coordinates (the item sits at the origin). The label, with
    its ▾ mark, is the handle: a click there asks the scene to collapse the call
    (``toggle_group``); the rest of the box lets clicks through to the canvas.
    """

    def __init__(self, path: tuple, rect: QRectF, style, theme, fonts: GraphFonts):
        super().__init__()
        self.path = tuple(path)
        self.label = self.path[-1]
        self._rect = QRectF(rect)
        self._style = style
        self._theme = theme
        self._fonts = fonts
        depth = len(self.path) - 1
        self._fill = style.fills[depth % len(style.fills)]
        metrics = fonts.label_metrics
        text = EXPANDED_MARK + self.label
        room = max(self._rect.width() - 2 * GROUP_PADDING, 0.0)
        self._text = metrics.elidedText(text, Qt.TextElideMode.ElideRight, room)
        self._header = QRectF(self._rect.left() + GROUP_PADDING / 2, self._rect.top() + 2,
                              min(metrics.horizontalAdvance(self._text) + GROUP_PADDING, self._rect.width()),
                              metrics.height() + 2)
        self.setToolTip(f"{self.label}: click the label to collapse")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        # Behind the edges and nodes; a nested box above the one holding it.
        self.setZValue(-1.0 + 0.01 * depth)

    def rect(self) -> QRectF:
        return QRectF(self._rect)

    def header_rect(self) -> QRectF:
        """Where the label is: the part of the box that answers clicks."""
        return QRectF(self._header)

    def boundingRect(self) -> QRectF:
        return self._rect.adjusted(-2, -2, 2, 2)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRect(self._header)
        return path

    def mousePressEvent(self, event):
        toggle = getattr(self.scene(), "toggle_group", None)
        if toggle is None or not self._header.contains(event.pos()):
            event.ignore()
            return
        toggle(self.path)
        event.accept()

    def paint(self, painter, option, widget=None):
        style = self._style
        painter.setPen(QPen(QColor(style.border), 1.0 * self._theme.line_scale))
        painter.setBrush(QBrush(QColor(self._fill)))
        painter.drawRoundedRect(self._rect, GROUP_RADIUS, GROUP_RADIUS)
        if option.levelOfDetailFromTransform(painter.worldTransform()) < TEXT_LEVEL_OF_DETAIL:
            return
        painter.setPen(QColor(style.text))
        painter.setFont(self._fonts.label)
        painter.drawText(self._header.adjusted(GROUP_PADDING / 2, 0, 0, 0),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, self._text)
