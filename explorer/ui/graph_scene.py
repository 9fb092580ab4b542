"""The drawing as a function of (graph, layout, theme).

``node_sizes`` measures boxes before layout; ``build_items`` turns a laid-out graph
into graphics items; ``GraphScene`` holds them for a view. Export code can call
``build_items`` on a bare ``QGraphicsScene`` and render it without any window.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QPointF, QRectF, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QGraphicsScene

from explorer.graph.style import LIGHT, Theme

from .graph_items import EdgeItem, GraphFonts, LegendItem, NodeItem, clip_to_rect, measure_node

SCENE_MARGIN = 24.0
# Graphs with more edges than this get their edge items a batch at a time.
EDGE_BATCH = 800


def graph_view_name(graph) -> str:
    return graph.graph.get("view", "tensor_function")


def node_sizes(graph, fonts: GraphFonts) -> dict:
    """node id -> (width, height) of its box; the layout needs these before placing."""
    view = graph_view_name(graph)
    return {node: measure_node(attributes, fonts, view) for node, attributes in graph.nodes(data=True)}


@dataclass
class Drawing:
    """The items of one drawing, by node id and edge."""

    nodes: dict = field(default_factory=dict)
    edges: dict = field(default_factory=dict)
    legend: LegendItem | None = None

    def all_items(self):
        yield from self.nodes.values()
        yield from self.edges.values()
        if self.legend is not None:
            yield self.legend


def _edge_points(layout, tail, head):
    points = layout.edge_points.get((tail, head))
    if points is None:
        reverse = layout.edge_points.get((head, tail))
        points = list(reversed(reverse)) if reverse else None
    if points is None:
        points = [layout.positions[tail], layout.positions[head]]
    return [QPointF(x, y) for x, y in points]


def add_edge_item(drawing: Drawing, edge, layout, theme, fonts, sizes):
    """The item of ``edge`` (tail, head, attributes) between two drawn nodes, if both are."""
    tail, head, attributes = edge
    if tail not in drawing.nodes or head not in drawing.nodes or tail == head:
        return None
    points = _edge_points(layout, tail, head)
    tail_width, tail_height = sizes[tail]
    head_width, head_height = sizes[head]
    points[0] = clip_to_rect(points[0], points[1], tail_width / 2, tail_height / 2)
    points[-1] = clip_to_rect(points[-1], points[-2], head_width / 2 + 1, head_height / 2 + 1)
    item = EdgeItem(tail, head, points, attributes["kind"], attributes.get("slots", [0]), theme, fonts)
    drawing.edges[(tail, head)] = item
    return item


def build_items(graph, layout, theme: Theme = LIGHT, fonts: GraphFonts | None = None,
                sizes: dict | None = None, legend: bool = True, edges: bool = True) -> Drawing:
    """Graphics items for ``graph`` placed by ``layout`` (not yet in any scene).

    ``edges=False`` leaves the edges out (``add_edge_item`` adds them later).
    """
    fonts = fonts or GraphFonts()
    sizes = sizes or node_sizes(graph, fonts)
    view = graph_view_name(graph)
    drawing = Drawing()
    for node, attributes in graph.nodes(data=True):
        if node not in layout.positions:
            continue
        item = NodeItem(node, attributes, sizes[node], theme.node(attributes["role"]), theme, fonts, view)
        x, y = layout.positions[node]
        item.setPos(x, y)
        drawing.nodes[node] = item
    if edges:
        for edge in graph.edges(data=True):
            add_edge_item(drawing, edge, layout, theme, fonts, sizes)
    if legend:
        roles = []
        for _node, attributes in sorted(graph.nodes(data=True), key=lambda pair: pair[1]["order"]):
            if attributes["role"] not in roles:
                roles.append(attributes["role"])
        order = list(theme.nodes)
        drawing.legend = LegendItem(sorted(roles, key=order.index), theme, fonts)
    return drawing


def place_legend(drawing: Drawing, graph_rect: QRectF):
    """Put the legend to the left of the graph, top-aligned, so it never covers a node."""
    if drawing.legend is None:
        return
    legend_rect = drawing.legend.boundingRect()
    drawing.legend.setPos(graph_rect.left() - legend_rect.width() - SCENE_MARGIN, graph_rect.top())


class GraphScene(QGraphicsScene):
    """A scene showing one drawing at a time; tells listeners which node is selected."""

    nodeSelected = Signal(str)
    edgesComplete = Signal()

    def __init__(self, theme: Theme = LIGHT, parent=None):
        super().__init__(parent)
        self.theme = theme
        self.fonts = GraphFonts()
        self.drawing = Drawing()
        self.graph = None
        self.layout = None
        self._edge_batches = None
        self.setBackgroundBrush(QBrush(QColor(theme.background)))
        self.selectionChanged.connect(self._report_selection)

    def set_theme(self, theme: Theme):
        self.theme = theme
        self.setBackgroundBrush(QBrush(QColor(theme.background)))
        if self.graph is not None:
            self.show_graph(self.graph, self.layout)

    def show_graph(self, graph, layout, sizes: dict | None = None):
        """Replace the drawing with ``graph`` at ``layout``; the selection survives by node id."""
        selected = self.selected_node()
        self.blockSignals(True)
        for item in list(self.drawing.all_items()):
            self.removeItem(item)
        self.graph = graph
        self.layout = layout
        sizes = sizes or node_sizes(graph, self.fonts)
        in_batches = graph.number_of_edges() > EDGE_BATCH
        self.drawing = build_items(graph, layout, self.theme, self.fonts, sizes, edges=not in_batches)
        for item in self.drawing.all_items():
            self.addItem(item)
        self._edge_batches = None
        if in_batches:
            # Thousands of edge items take most of a second to make: add them a batch
            # per turn of the event loop, so the window keeps answering meanwhile.
            self._edge_batches = (iter(list(graph.edges(data=True))), layout, sizes, self.drawing)
            QTimer.singleShot(0, self._add_edge_batch)
        graph_rect = self.graph_rect()
        place_legend(self.drawing, graph_rect)
        self.setSceneRect(self.itemsBoundingRect().adjusted(-SCENE_MARGIN, -SCENE_MARGIN,
                                                            SCENE_MARGIN, SCENE_MARGIN))
        if selected in self.drawing.nodes:
            self.drawing.nodes[selected].setSelected(True)
        self.blockSignals(False)
        if selected and selected not in self.drawing.nodes:
            self.nodeSelected.emit("")

    def _add_edge_batch(self):
        if self._edge_batches is None:
            return
        edges, layout, sizes, drawing = self._edge_batches
        if drawing is not self.drawing:
            return  # a newer graph replaced the one these edges belong to
        for _ in range(EDGE_BATCH):
            edge = next(edges, None)
            if edge is None:
                # Into the scene all at once: each addition to a shown scene costs a repaint.
                for item in drawing.edges.values():
                    self.addItem(item)
                self._edge_batches = None
                self.edgesComplete.emit()
                return
            add_edge_item(drawing, edge, layout, self.theme, self.fonts, sizes)
        QTimer.singleShot(0, self._add_edge_batch)

    def edges_pending(self) -> bool:
        return self._edge_batches is not None

    def graph_rect(self) -> QRectF:
        rect = QRectF()
        for item in self.drawing.nodes.values():
            rect = rect.united(item.sceneBoundingRect())
        return rect

    def node_item(self, node_id: str) -> NodeItem | None:
        return self.drawing.nodes.get(node_id)

    def selected_node(self) -> str:
        for item in self.selectedItems():
            if isinstance(item, NodeItem):
                return item.node_id
        return ""

    def select_node(self, node_id: str):
        self.clearSelection()
        item = self.drawing.nodes.get(node_id)
        if item is not None:
            item.setSelected(True)

    def _report_selection(self):
        self.nodeSelected.emit(self.selected_node())
