"""The drawing as a function of (graph, layout, theme).

``node_sizes`` measures boxes before layout; ``build_items`` turns a laid-out graph
into graphics items; ``GraphScene`` holds them for a view. Export code can call
``build_items`` on a bare ``QGraphicsScene`` and render it without any window.
"""
from __future__ import annotations

import math
import time
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field

from PySide6.QtCore import QPointF, QRectF, QSizeF, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QGraphicsScene

from explorer.graph.style import LIGHT, Theme

from .graph_items import (
    GROUP_BADGE_ROOM,
    GROUP_PADDING,
    NODE_OUTLINE,
    TEXT_LEVEL_OF_DETAIL,
    EdgeItem,
    EdgeLayer,
    EdgeOverview,
    GraphFonts,
    GroupBoxItem,
    LegendItem,
    NodeItem,
    NodeOverview,
    clip_to_rect,
    measure_node,
)

SCENE_MARGIN = 24.0
# Graphs with more nodes than this are laid out off the window's thread; below it
# laying out takes a few milliseconds: done in place, sparing the drawing a frame of lag.
BACKGROUND_THRESHOLD = 250
# Graphs with more nodes than this get their items a slice at a time (and come
# from the background layout, so the drawing is asynchronous anyway).
INCREMENTAL_NODES = BACKGROUND_THRESHOLD
# Work done per turn of the event loop while drawing a big graph: well under the
# ~100 ms at which a window feels stuck, even on a slow machine.
SLICE_SECONDS = 0.02


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
    # The boxes of the calls the nodes were made in, by group path ("model", "model.fc1").
    groups: dict = field(default_factory=dict)
    legend: LegendItem | None = None
    # Draw the node boxes and the edges of big drawings when zoomed out (None for
    # small ones); the edges of big drawings are then children of ``edge_layer``.
    overview: NodeOverview | None = None
    edge_overview: EdgeOverview | None = None
    edge_layer: EdgeLayer | None = None
    # Each node item with its box in scene coordinates, and the extent of the boxes
    # (left, top, right, bottom, with the items' 3 px outline): known from the layout,
    # so big drawings never ask thousands of items for their rectangles.
    boxes: list = field(default_factory=list)
    extent: list = field(default_factory=lambda: [math.inf, math.inf, -math.inf, -math.inf])

    def add_box(self, item, x: float, y: float, width: float, height: float):
        self.boxes.append((item, QRectF(x - width / 2, y - height / 2, width, height)))
        half_width, half_height = width / 2 + NODE_OUTLINE, height / 2 + NODE_OUTLINE
        self._extend(x - half_width, y - half_height, x + half_width, y + half_height)

    def _extend(self, left, top, right, bottom):
        extent = self.extent
        extent[0] = min(extent[0], left)
        extent[1] = min(extent[1], top)
        extent[2] = max(extent[2], right)
        extent[3] = max(extent[3], bottom)

    def add_group(self, item: GroupBoxItem):
        """A call's box: the drawing's extent (legend place, fit) covers it too."""
        self.groups[item.path] = item
        rect = item.boundingRect()
        self._extend(rect.left(), rect.top(), rect.right(), rect.bottom())

    def all_items(self):
        """Every item, each parent before its children."""
        yield from self.groups.values()
        yield from self.nodes.values()
        if self.edge_layer is not None:
            yield self.edge_layer
        yield from self.edges.values()
        if self.legend is not None:
            yield self.legend
        if self.overview is not None:
            yield self.overview
        if self.edge_overview is not None:
            yield self.edge_overview

    def show_overview(self, shown: bool):
        """Zoomed out past text (True): the overviews paint instead of the items."""
        if self.overview is not None:
            self.overview.set_shown(shown)
        if self.edge_overview is not None:
            self.edge_overview.setVisible(shown)
            self.edge_layer.setVisible(not shown)


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


def build_steps(drawing: Drawing, graph, layout, theme: Theme, fonts: GraphFonts, sizes: dict,
                legend: bool = True, edges: bool = True):
    """Fill ``drawing`` with the items of ``graph``, yielding after each one.

    A generator so that big drawings can be made a slice per turn of the event
    loop; ``build_items`` runs it through in one go.
    """
    view = graph_view_name(graph)
    for node, attributes in graph.nodes(data=True):
        if node not in layout.positions:
            continue
        item = NodeItem(node, attributes, sizes[node], theme.node(attributes["role"]), theme, fonts, view)
        x, y = layout.positions[node]
        item.setPos(x, y)
        drawing.nodes[node] = item
        drawing.add_box(item, x, y, *sizes[node])
        yield
    groups = graph.graph.get("groups")
    if groups:
        for path, rect in group_rects(groups, drawing, fonts).items():
            drawing.add_group(GroupBoxItem(path, rect, theme.group, theme, fonts))
        yield
    if edges:
        for edge in graph.edges(data=True):
            add_edge_item(drawing, edge, layout, theme, fonts, sizes)
            yield
    if legend:
        roles = []
        for _node, attributes in sorted(graph.nodes(data=True), key=lambda pair: pair[1]["order"]):
            if attributes["role"] not in roles:
                roles.append(attributes["role"])
        order = list(theme.nodes)
        drawing.legend = LegendItem(sorted(roles, key=order.index), theme, fonts)


def group_rects(groups, drawing: Drawing, fonts: GraphFonts) -> dict:
    """group path -> its box in scene coordinates, around its drawn members with room
    for the label above them; a box holds the boxes nested in it. Groups none of whose
    members are drawn get none."""
    node_rects = {item.node_id: rect for item, rect in drawing.boxes}
    header = fonts.label_metrics.height() + 4 + GROUP_BADGE_ROOM
    rects = {}
    for group in sorted(groups, key=lambda group: len(group.path), reverse=True):
        inside = [node_rects[node] for node in group.members if node in node_rects]
        inside += [rect for path, rect in rects.items() if path[:-1] == group.path]
        if not inside:
            continue
        rect = QRectF(inside[0])
        for other in inside[1:]:
            rect = rect.united(other)
        rects[group.path] = rect.adjusted(-GROUP_PADDING, -GROUP_PADDING - header,
                                          GROUP_PADDING, GROUP_PADDING)
    return dict(sorted(rects.items()))


def build_items(graph, layout, theme: Theme = LIGHT, fonts: GraphFonts | None = None,
                sizes: dict | None = None, legend: bool = True, edges: bool = True) -> Drawing:
    """Graphics items for ``graph`` placed by ``layout`` (not yet in any scene).

    ``edges=False`` leaves the edges out (``add_edge_item`` adds them later).
    """
    fonts = fonts or GraphFonts()
    sizes = sizes or node_sizes(graph, fonts)
    drawing = Drawing()
    for _ in build_steps(drawing, graph, layout, theme, fonts, sizes, legend, edges):
        pass
    return drawing


def nodes_rect(drawing: Drawing) -> QRectF:
    """The nodes' bounding rectangle in scene coordinates (empty without nodes)."""
    left, top, right, bottom = drawing.extent
    if left > right:
        return QRectF()
    return QRectF(left, top, right - left, bottom - top)


def place_legend(drawing: Drawing, graph_rect: QRectF):
    """Put the legend to the left of the graph, top-aligned, so it never covers a node."""
    if drawing.legend is None:
        return
    legend_rect = drawing.legend.boundingRect()
    drawing.legend.setPos(graph_rect.left() - legend_rect.width() - SCENE_MARGIN, graph_rect.top())


# Yielded by drawing steps to end the current slice: what follows is a step of
# tens of milliseconds that should have a turn of the event loop to itself.
NEW_TURN = object()


def _run_for(steps, seconds: float) -> bool:
    """Advance ``steps`` for about ``seconds``; True once they are all done."""
    deadline = time.perf_counter() + seconds
    for step in steps:
        if step is NEW_TURN or time.perf_counter() >= deadline:
            return False
    return True


class GraphScene(QGraphicsScene):
    """A scene showing one drawing at a time; tells listeners which node is selected."""

    nodeSelected = Signal(str)
    # A call's box (by group path) was clicked: collapse it, or expand its node.
    groupToggled = Signal(object)
    # A drawing made a slice at a time (see ``show_graph``) is complete and shown.
    drawingComplete = Signal()

    def __init__(self, theme: Theme = LIGHT, parent=None):
        super().__init__(parent)
        self.theme = theme
        self.fonts = GraphFonts()
        self.drawing = Drawing()
        self.graph = None
        self.layout = None
        self._pending = None   # the steps of a drawing being made a slice at a time
        # What a big drawing covers (measured while it is made), and the items added
        # by others (overlays, badges): ``fit_rect`` unites them instead of asking
        # every item in the scene.
        self._drawing_bounds = QRectF()
        self._extras = []
        self._frozen_viewports = []
        self._level_of_detail = 1.0
        self.setBackgroundBrush(QBrush(QColor(theme.background)))
        self.selectionChanged.connect(self._report_selection)

    def set_theme(self, theme: Theme):
        self.theme = theme
        self.setBackgroundBrush(QBrush(QColor(theme.background)))
        if self._pending is not None:
            graph, layout, sizes = self._pending[1:]
            self.show_graph(graph, layout, sizes)   # the drawing in progress, in the new colours
        elif self.graph is not None:
            self.show_graph(self.graph, self.layout)

    def show_graph(self, graph, layout, sizes: dict | None = None):
        """Replace the drawing with ``graph`` at ``layout``; the selection survives by node id.

        Big graphs are drawn over several turns of the event loop (``drawing_pending``
        says so meanwhile, ``drawingComplete`` when done); the old drawing stays
        until the new one is complete. Small ones are drawn before this returns.
        """
        sizes = sizes or node_sizes(graph, self.fonts)
        if self._pending is not None:
            self._pending[0].close()   # a newer drawing overtakes it; leaves the scene usable
            self._pending = None
            self._thaw_views()
        if graph.number_of_nodes() > INCREMENTAL_NODES:
            steps = self._incremental_steps(graph, layout, sizes)
            self._pending = (steps, graph, layout, sizes)
            QTimer.singleShot(0, self._continue_drawing)
            return
        selected = self.selected_node()
        self.blockSignals(True)
        # Only a big drawing going needs _bulk_changes (small ones are drawn exactly as before).
        with self._bulk_changes() if self.drawing.overview is not None else nullcontext():
            for _ in self._remove_drawing():
                pass
        self.graph = graph
        self.layout = layout
        self.drawing = build_items(graph, layout, self.theme, self.fonts, sizes)
        for item in self.drawing.all_items():
            QGraphicsScene.addItem(self, item)
        place_legend(self.drawing, self.graph_rect())
        self.setSceneRect(self.itemsBoundingRect().adjusted(-SCENE_MARGIN, -SCENE_MARGIN,
                                                            SCENE_MARGIN, SCENE_MARGIN))
        self._restore_selection(selected)

    def _restore_selection(self, selected: str):
        if selected in self.drawing.nodes:
            self.drawing.nodes[selected].setSelected(True)
        self.blockSignals(False)
        if selected and selected not in self.drawing.nodes:
            self.nodeSelected.emit("")

    def _continue_drawing(self):
        if self._pending is None:
            return   # drawn already, or replaced by a drawing that needed no slices
        # Removing the selected node midway would report an empty selection: the
        # selection is put back by node id at the end (see ``_restore_selection``).
        self.blockSignals(True)
        try:
            done = _run_for(self._pending[0], SLICE_SECONDS)
        finally:
            self.blockSignals(False)
        if done:
            self._pending = None
            self.drawingComplete.emit()   # listeners fit their views before the first paint
            self._thaw_views()
        else:
            QTimer.singleShot(0, self._continue_drawing)

    def _incremental_steps(self, graph, layout, sizes):
        """Make the items off-scene, then swap them for the old ones, a slice per turn."""
        drawing = Drawing()
        yield from build_steps(drawing, graph, layout, self.theme, self.fonts, sizes)
        graph_rect = nodes_rect(drawing)
        place_legend(drawing, graph_rect)
        drawing.overview = NodeOverview()
        for node, box in drawing.boxes:
            drawing.overview.add(node, box)
            yield
        drawing.edge_layer = EdgeLayer()
        drawing.edge_overview = EdgeOverview()
        for edge in drawing.edges.values():
            drawing.edge_overview.add(edge)
            yield
        bounds = QRectF(graph_rect)
        for item in drawing.all_items():
            bounds = bounds.united(item.sceneBoundingRect())
            if item.childItems():
                bounds = bounds.united(item.mapRectToScene(item.childrenBoundingRect()))
            yield

        # The swap: old items out, new ones in, a slice per turn. The views show
        # nothing new until the drawing is complete (``_continue_drawing`` thaws them).
        selected = self.selected_node()
        self._freeze_views()
        # The new rectangle first: a scene without one grows it with every item added,
        # and each growth makes the views recompute their scroll bars (and refit).
        self._drawing_bounds = bounds
        self.setSceneRect(bounds.adjusted(-SCENE_MARGIN, -SCENE_MARGIN, SCENE_MARGIN, SCENE_MARGIN))
        with self._unindexed():
            for _ in self._remove_drawing():
                yield
            self.graph = graph
            self.layout = layout
            self.drawing = drawing
            for item in drawing.all_items():
                self._skip_item_updates()
                if isinstance(item, EdgeItem):
                    item.setParentItem(drawing.edge_layer)   # joins the scene with its parent
                else:
                    QGraphicsScene.addItem(self, item)
                yield
            yield NEW_TURN
            # Decided at the scale the views will have (a fitted big drawing is far
            # zoomed out), so the fit on completion does not flip thousands of items.
            drawing.show_overview(self._expected_level_of_detail(bounds) < TEXT_LEVEL_OF_DETAIL)
            yield NEW_TURN
            self._restore_selection(selected)
        yield NEW_TURN
        # The BSP index is rebuilt at its first use: let that be here, in a turn of its
        # own, rather than in the first paint or with the fit that follows completion.
        self.items(QRectF(bounds.topLeft(), QSizeF(1, 1)))
        yield NEW_TURN

    def _remove_drawing(self):
        """Take the drawing's items out of the scene, yielding after each (a generator).

        Children go before their parents: a parent would take all of them at once.
        """
        for item in reversed(list(self.drawing.all_items())):
            # An overtaken swap may have left some out already (or not put them in yet).
            if item.scene() is self:
                self._skip_item_updates()
                self.removeItem(item)
            yield

    def _skip_item_updates(self):
        """Schedule a whole-scene update (a no-op if one is pending already).

        While one is pending Qt skips the per-item update bookkeeping of each item
        added or removed: the bookkeeping costs several times the addition itself
        and would end in a full repaint anyway.
        """
        self.update()

    @contextmanager
    def _bulk_changes(self):
        """Index-free and unpainted while thousands of items come or go."""
        self._freeze_views()
        try:
            with self._unindexed():
                yield
        finally:
            self._thaw_views()

    @contextmanager
    def _unindexed(self):
        """No BSP index meanwhile: each addition to or removal from it costs far more
        one by one (seconds for 10,000 removals) than rebuilding it once at the end."""
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)
        try:
            yield
        finally:
            self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.BspTreeIndex)

    def _freeze_views(self):
        """Stop repainting the views: they would show half a drawing, at the cost of a
        full repaint per slice."""
        for view in self.views():
            viewport = view.viewport()
            if viewport.updatesEnabled():
                viewport.setUpdatesEnabled(False)
                self._frozen_viewports.append(viewport)

    def _thaw_views(self):
        """Repaint the views again (one full repaint each, of what is there now)."""
        for viewport in self._frozen_viewports:
            try:
                viewport.setUpdatesEnabled(True)
            except RuntimeError:
                pass   # its view was closed meanwhile
        self._frozen_viewports = []

    def set_level_of_detail(self, level: float):
        """The views' scale: below ``TEXT_LEVEL_OF_DETAIL`` big drawings paint their boxes at once."""
        self._level_of_detail = level
        self.drawing.show_overview(level < TEXT_LEVEL_OF_DETAIL)

    def _expected_level_of_detail(self, bounds: QRectF) -> float:
        scales = [view.scale_after_showing(bounds) for view in self.views()
                  if hasattr(view, "scale_after_showing")]
        return min(scales, default=self._level_of_detail)

    def drawing_pending(self) -> bool:
        """True while a big drawing is still being made (the old one is shown meanwhile)."""
        return self._pending is not None

    def graph_rect(self) -> QRectF:
        return nodes_rect(self.drawing)

    def addItem(self, item):
        """Add an item that is not part of the drawing (an overlay, a badge)."""
        super().addItem(item)
        self._extras.append(item)

    def fit_rect(self) -> QRectF:
        """What a view fitting the scene should show: every item's bounding rectangle.

        Small drawings ask Qt; big ones (thousands of items, tens of milliseconds)
        unite their measured bounds with the few items others added.
        """
        if self.drawing.overview is None:
            return self.itemsBoundingRect()
        self._extras = [item for item in self._extras if item.scene() is self]
        rect = QRectF(self._drawing_bounds)
        for item in self._extras:
            if item.parentItem() is None and item.isVisible():
                rect = rect.united(item.sceneBoundingRect())
                if item.childItems():
                    rect = rect.united(item.mapRectToScene(item.childrenBoundingRect()))
        return rect

    def toggle_group(self, path):
        """Called by a box's label or a collapsed call's node when clicked. Reported on
        the next turn of the event loop: the redrawing it starts removes the very item
        whose mouse event is still running."""
        QTimer.singleShot(0, lambda: self.groupToggled.emit(tuple(path)))

    def group_item(self, label: str) -> GroupBoxItem | None:
        """The box of the call labelled ``label`` ("model.fc1"), if one is drawn."""
        return next((item for item in self.drawing.groups.values() if item.label == label), None)

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
