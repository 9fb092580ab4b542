"""Puts one ``VisualState`` of a backward pass on a ``GraphScene``.

``show`` first removes whatever the previous call added and restores the
drawing, then lights the running node, rings the nodes that have run, colours
and labels the edges carrying gradients, shows the sums where two gradients met
and each leaf's ``.grad`` before → after. Showing state k never depends on what
was shown before: the picture is a function of (drawing, state).

Each badge goes to the first of a few spots near what it labels where it covers
no node, no badge put down before it and not the legend (a gradient slides along its edge, then
beside it; a node's badge tries above, below, left and right; then rows further up
or down, with a dashed line leading back), so no label hides a node's name. Where
every spot is taken it keeps its first.
"""
from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QPen

from explorer.graph.backward_state import edge_gradients, full_text, value_text
from explorer.graph.chain_rule import chain_rule_labels

from .graph_items import NODE_OUTLINE
from .overlay_items import (
    BADGE_STYLES,
    DONE_COLOUR,
    FLOW_WIDTH,
    LIT_COLOUR,
    BadgeItem,
    LeaderLine,
    OverlayLayer,
    edge_midpoint,
)

OLD_FLOW_COLOUR = "#f4b37e"
BADGE_GAP = 4.0


class BackwardOverlay(OverlayLayer):
    def __init__(self, scene):
        super().__init__(scene)
        self._pens = {}          # edge item -> its own pen, restored on clear
        self._lit_nodes = []
        self._nodes_grid = (None, None)   # (drawing, _Grid of its node boxes and legend)
        self._placed = _Grid()            # the badges this show has put down

    # ------------------------------------------------------------------ clearing
    def clear(self):
        super().clear()
        drawing = self.scene.drawing
        for edge_item, pen in self._pens.items():
            if edge_item in drawing.edges.values():
                edge_item.setPen(pen)
        self._pens = {}
        for node_id in self._lit_nodes:
            item = drawing.nodes.get(node_id)
            if item is not None:
                item.set_highlight(None)
        self._lit_nodes = []

    # ------------------------------------------------------------------ showing
    def show(self, state, snapshot, chain_rule: bool = False, pass_functions=None):
        """``pass_functions``: the Functions this backward pass runs; the chain rule is
        written on their edges only (not on a previous pass's graph still drawn)."""
        self.clear()
        if state is None or snapshot is None:
            return
        drawing = self.scene.drawing
        graph = self.scene.graph
        if graph is None:
            return
        self._placed = _Grid()
        for node_id in state.done:
            self._highlight(node_id, DONE_COLOUR)
        for node_id in state.lit:
            self._highlight(node_id, LIT_COLOUR)
        for node_id in self._accumulators_of(state.lit, snapshot):
            self._highlight(node_id, LIT_COLOUR)
        flowing = edge_gradients(state, graph)
        for edge, gradient in flowing.items():
            item = drawing.edges.get(edge)
            if item is None:
                continue
            self._colour_edge(item, LIT_COLOUR if gradient.fresh else OLD_FLOW_COLOUR)
            if gradient.kind in ("accumulate", "variable"):
                continue   # the leaf's own badge says it
            text = " + ".join(value_text(grad) for grad in gradient.grads)
            tooltip = "gradient on this edge:\n" + "\n+\n".join(full_text(g) for g in gradient.grads)
            badge = BadgeItem("gradient" if gradient.fresh else "gradient_old", text, tooltip)
            badge.setPos(self._clear_spot(badge, _along_edge(item, badge)))
            badge.edge = edge
            self._add(badge)
        for root, seed in state.seeds.items():
            self._badge_at(root, "seed", f"grad {value_text(seed)}",
                           f"backward starts with\n{full_text(seed)}")
        for summed in state.sums:
            self._show_sum(summed, snapshot, current=summed is state.summing)
        for change in state.leaves.values():
            before = "None" if change.before is None else value_text(change.before)
            text = f".grad {before} → {value_text(change.after)}"
            tooltip = f".grad before:\n{full_text(change.before)}\nafter:\n{full_text(change.after)}"
            self._badge_at(change.tensor, "leaf_grad", text, tooltip)
        if chain_rule:
            self._show_chain_rule(snapshot, graph, state, pass_functions)

    def _highlight(self, node_id, colour):
        item = self.scene.drawing.nodes.get(node_id)
        if item is not None:
            item.set_highlight(colour)
            self._lit_nodes.append(node_id)

    def _colour_edge(self, item, colour):
        if item not in self._pens:
            self._pens[item] = QPen(item.pen())
        pen = QPen(item.pen())
        pen.setColor(QColor(colour))
        pen.setWidthF(FLOW_WIDTH)
        item.setPen(pen)

    def _badge_at(self, node_id, kind, text, tooltip=""):
        """A badge just above a node (stacked when the node already has some)."""
        node = self.scene.drawing.nodes.get(node_id)
        if node is None:
            return None
        badge = BadgeItem(kind, text, tooltip)
        stacked = [b for b in self.items if getattr(b, "node", None) == node_id]
        top = node.pos().y() + node.rect().top() - BADGE_GAP
        for other in stacked:
            top -= other.rect().height() + BADGE_GAP
        above = QPointF(node.pos().x(), top - badge.rect().height() / 2)
        badge.setPos(self._clear_spot(badge, [above, *_around_node(node, badge)]))
        badge.node = node_id
        return self._add(badge)

    def _badge_beside(self, node_id, kind, text, tooltip=""):
        """A badge left of a node, level with it (edges run above and below)."""
        node = self.scene.drawing.nodes.get(node_id)
        if node is None:
            return None
        badge = BadgeItem(kind, text, tooltip)
        stacked = [b for b in self.items if getattr(b, "beside", None) == node_id]
        y = node.pos().y() + sum(other.rect().height() + BADGE_GAP for other in stacked)
        left = QPointF(node.pos().x() + node.rect().left() - BADGE_GAP - badge.rect().width() / 2, y)
        badge.setPos(self._clear_spot(badge, [left, *_around_node(node, badge)]))
        badge.beside = node_id
        return self._add(badge)

    def _show_sum(self, summed, snapshot, current):
        """"a + b = c" where two gradients met: beside the tensor they met at, else the Function."""
        function = snapshot.functions.get(summed.function)
        where = summed.function
        if function is not None and summed.input_nr < len(function.outputs or ()):
            output = function.outputs[summed.input_nr]
            if output in self.scene.drawing.nodes:
                where = output
        text = f"{value_text(summed.before)} + {value_text(summed.added)} = {value_text(summed.after)}"
        tooltip = (f"two gradients for input {summed.input_nr} of {function.name if function else ''}"
                   f" are summed before it runs once:\n{full_text(summed.before)}\n+\n"
                   f"{full_text(summed.added)}\n=\n{full_text(summed.after)}")
        badge = self._badge_beside(where, "sum", "Σ " + text, tooltip)
        if badge is not None and not current:
            badge.setOpacity(0.75)

    def _show_chain_rule(self, snapshot, graph, state, pass_functions=None):
        drawing = self.scene.drawing
        for edge, label in chain_rule_labels(snapshot, graph, state).items():
            item = drawing.edges.get(edge)
            if item is None or pass_functions is not None and edge[1] not in pass_functions:
                continue
            badge = BadgeItem("chain_rule", f"{label.derivative}\n{label.product}")
            point = edge_midpoint(item)
            # Beside the edge, right of its gradient badge: short edges leave no room above or below.
            on_edge = [b for b in self.items if getattr(b, "edge", None) == edge]
            if on_edge:
                point = on_edge[0].pos()
            offset = on_edge[0].rect().width() / 2 if on_edge else 0.0
            shift = offset + 2 * BADGE_GAP + badge.rect().width() / 2
            badge.setPos(self._clear_spot(badge, [point + QPointF(shift, 0), point - QPointF(shift, 0),
                                                  *_along_edge(item, badge)]))
            badge.edge = edge
            self._add(badge)

    def _clear_spot(self, badge, spots) -> QPointF:
        """The first of ``spots`` where ``badge`` covers no node and no badge shown, else the
        nearest clear spot a few rows above or below the first; else the first."""
        rect = badge.rect().adjusted(-1, -1, 1, 1)   # as far as the badge paints
        rows = [QPointF(0, sign * row * (rect.height() + BADGE_GAP))
                for row in range(1, SEARCH_ROWS + 1) for sign in (1, -1)]
        nodes = self._node_grid(self.scene.drawing)
        candidates = [*spots, *(spots[0] + row for row in rows)]
        chosen = spots[0]
        for number, spot in enumerate(candidates):
            placed = rect.translated(spot)
            if not nodes.hits(placed) and not self._placed.hits(placed):
                chosen = spot
                if number >= len(spots):
                    # Rows away from what it labels: a dashed line leads back to it.
                    self._add(LeaderLine(spot, spots[0], BADGE_STYLES[badge.kind][1]))
                break
        self._placed.add(rect.translated(chosen))
        return chosen

    def _node_grid(self, drawing):
        """The node boxes (with their outline) and the legend, indexed once per drawing."""
        known, grid = self._nodes_grid
        if known is not drawing:
            grid = _Grid()
            for _item, box in drawing.boxes:
                grid.add(box.adjusted(-NODE_OUTLINE, -NODE_OUTLINE, NODE_OUTLINE, NODE_OUTLINE))
            if drawing.legend is not None:
                grid.add(drawing.legend.sceneBoundingRect())
            self._nodes_grid = (drawing, grid)
        return grid

    @staticmethod
    def _accumulators_of(lit, snapshot):
        """The AccumulateGrad of a leaf being accumulated into lights up with it."""
        return [f.id for f in snapshot.functions.values()
                if f.name == "AccumulateGrad" and getattr(f, "variable", None) in lit]


# How many badge-heights above or below its first spot a badge may move to find room.
SEARCH_ROWS = 8
# Where along its edge a gradient's badge may sit (fractions of the path from tail to head).
EDGE_SPOTS = (0.5, 0.35, 0.65, 0.2, 0.8)


def _along_edge(edge_item, badge) -> list:
    """Spots for ``badge`` on ``edge_item``: along it, then beside it, right before left."""
    path = edge_item.path()
    if path.length() <= 0:
        return [edge_midpoint(edge_item)]
    points = [path.pointAtPercent(fraction) for fraction in EDGE_SPOTS]
    aside = QPointF(badge.rect().width() / 2 + BADGE_GAP, 0)
    return points + [point + aside for point in points] + [point - aside for point in points]


def _around_node(node, badge) -> list:
    """Spots for ``badge`` next to ``node``: above, below, left and right of its box."""
    box = node.sceneBoundingRect()
    half_width, half_height = badge.rect().width() / 2, badge.rect().height() / 2
    centre = box.center()
    return [QPointF(centre.x(), box.top() - BADGE_GAP - half_height),
            QPointF(centre.x(), box.bottom() + BADGE_GAP + half_height),
            QPointF(box.left() - BADGE_GAP - half_width, centre.y()),
            QPointF(box.right() + BADGE_GAP + half_width, centre.y())]


class _Grid:
    """Rectangles bucketed by the square cells they touch: finding what a badge would cover
    looks at its neighbourhood only, however big the drawing."""

    CELL = 256.0

    def __init__(self):
        self._cells = {}

    def _cells_of(self, rect: QRectF):
        size = self.CELL
        for column in range(math.floor(rect.left() / size), math.floor(rect.right() / size) + 1):
            for row in range(math.floor(rect.top() / size), math.floor(rect.bottom() / size) + 1):
                yield column, row

    def add(self, rect: QRectF):
        for cell in self._cells_of(rect):
            self._cells.setdefault(cell, []).append(rect)

    def hits(self, rect: QRectF) -> bool:
        cells = self._cells
        return any(other.intersects(rect) for cell in self._cells_of(rect) for other in cells.get(cell, ()))
