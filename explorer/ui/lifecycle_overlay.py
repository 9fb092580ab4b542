"""Annotations of one timeline frame: what happened to the graph, drawn on the scene.

- saved tensors: "freed" after a backward without ``retain_graph``, "changed behind
  autograd's back" after a ``.data`` edit, "version a → b" after an in-place op;
- ``no_grad`` scopes: a rounded region behind the tensors made inside one;
- a leaf's ``.grad`` changed by a step other than backward (``zero_()``): before → after;
- the step's error (PyTorch's text verbatim, then the explanation and the fix)
  next to the node it belongs to, and its warnings the same way.

Like ``BackwardOverlay``, ``show`` starts from a clean drawing every time.
"""
from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QPointF, QRectF

from explorer.drawing.overlay_items import (
    BADGE_STYLES,
    CALLOUT_WIDTH,
    BadgeItem,
    LeaderLine,
    OverlayLayer,
    RegionItem,
)
from explorer.explain import explain
from explorer.graph.backward_state import full_text, ran_backward, value_text
from explorer.graph.lifecycle import BUMPED, FREED, STALE, error_anchor, no_grad_scopes, saved_states

from .translation import tr, trf

REGION_MARGIN = 14.0
GAP = 4.0
CALLOUT_GAP = 40.0

SAVED_TEXT = {
    FREED: QT_TRANSLATE_NOOP("", "saved {name}: freed"),
    STALE: QT_TRANSLATE_NOOP("", "saved {name} changed behind autograd's back"),
    BUMPED: QT_TRANSLATE_NOOP("", "saved {name}: version {saved} → {now}"),
}
SAVED_TOOLTIP = {
    FREED: QT_TRANSLATE_NOOP("", "backward() freed this saved tensor (no retain_graph=True): a second "
                                 "backward through this Function raises."),
    STALE: QT_TRANSLATE_NOOP("", "The saved tensor's values changed (a .data edit) but its _version "
                                 "did not: autograd cannot notice, and backward will use the new values."),
    BUMPED: QT_TRANSLATE_NOOP("", "An in-place op changed the saved tensor and raised its _version: "
                                  "backward through this Function raises."),
}


class LifecycleOverlay(OverlayLayer):
    def __init__(self, scene):
        super().__init__(scene)
        self.language = "en"

    def show(self, frames, index: int, source_line: str = "", saved: bool = True):
        """Annotate frame ``index``; ``saved`` False leaves out the saved tensors' states
        (while a backward animation is midway, they are not freed yet)."""
        self.clear()
        if not frames or not 0 <= index < len(frames) or frames[index].snapshot is None:
            return
        if self.scene.graph is None:
            return
        if saved:
            self._show_saved(frames, index)
        self._show_no_grad(frames, index)
        self._show_grad_changes(frames, index)
        self._show_problems(frames, index, source_line)

    # ------------------------------------------------------------------ parts
    def _show_saved(self, frames, index):
        snapshot = frames[index].snapshot
        for function_id, states in saved_states(frames, index).items():
            for saved in states:
                if saved.state not in SAVED_TEXT:
                    continue
                tensor = snapshot.tensors.get(saved.tensor)
                name = tensor.names[0] if tensor is not None and tensor.names else saved.name
                text = trf(SAVED_TEXT[saved.state], name=name, saved=saved.saved_version,
                           now=saved.version)
                self._beside(function_id, saved.state, text, tr(SAVED_TOOLTIP[saved.state]))

    def _show_no_grad(self, frames, index):
        drawing = self.scene.drawing
        for scope in no_grad_scopes(frames, index):
            nodes = [drawing.nodes[t] for t in scope.tensors if t in drawing.nodes]
            if not nodes:
                continue
            rect = QRectF()
            for node in nodes:
                rect = rect.united(node.sceneBoundingRect())
            region = RegionItem(rect.adjusted(-REGION_MARGIN, -REGION_MARGIN / 2,
                                              REGION_MARGIN, REGION_MARGIN),
                                "with torch.no_grad():")
            region.tensors = scope.tensors
            self._add(region)

    def _show_grad_changes(self, frames, index):
        frame = frames[index]
        if index == 0 or ran_backward(frame) or frames[index - 1].snapshot is None:
            return
        before, after = frames[index - 1].snapshot, frame.snapshot
        for tensor_id, info in after.tensors.items():
            old = before.tensors.get(tensor_id)
            if old is None or not info.is_leaf or info.grad is None:
                continue
            if old.grad is not None and old.grad.shape == info.grad.shape and \
                    (old.grad == info.grad).all():
                continue
            old_text = "None" if old.grad is None else value_text(old.grad)
            self._above(tensor_id, "leaf_grad", f".grad {old_text} → {value_text(info.grad)}",
                        f".grad before:\n{full_text(old.grad)}\nafter:\n{full_text(info.grad)}")

    def _show_problems(self, frames, index, source_line):
        frame = frames[index]
        problems = []
        error = getattr(frame, "error", None)
        if error is not None:
            problems.append(("error", str(error), getattr(error, "message", str(error))))
        for warning in getattr(frame, "warnings", ()):
            problems.append(("warning", warning, warning))
        if not problems:
            return
        anchor = error_anchor(frames, index, source_line) if error is not None else None
        if anchor is None:
            anchor = self._first_named(frame.snapshot, source_line)
        for kind, shown, message in problems:
            explanation = explain(message)
            text = shown if explanation is None else f"{shown}\n\n{explanation.text(self.language)}"
            self._callout(anchor, kind, text)

    def _first_named(self, snapshot, source_line):
        for name, tensor_id in snapshot.variables.items():
            if name in (source_line or "") and tensor_id in self.scene.drawing.nodes:
                return tensor_id
        return None

    # ------------------------------------------------------------------ placing
    def _above(self, node_id, kind, text, tooltip):
        node = self.scene.drawing.nodes.get(node_id)
        if node is None:
            return None
        badge = BadgeItem(kind, text, tooltip)
        badge.setPos(QPointF(node.pos().x(), node.pos().y() + node.rect().top() - GAP
                             - badge.rect().height() / 2))
        badge.node = node_id
        return self._add(badge)

    def _beside(self, node_id, kind, text, tooltip):
        node = self.scene.drawing.nodes.get(node_id)
        if node is None:
            return None
        badge = BadgeItem(kind, text, tooltip, point_size=7.5)
        # To the right of the node, stacked downwards: edges run above and below it.
        stacked = [b for b in self.items if getattr(b, "node", None) == node_id and b.kind == kind
                   or getattr(b, "beside", None) == node_id]
        top = node.pos().y() + node.rect().top()
        for other in stacked:
            top += other.rect().height() + GAP
        y = top + badge.rect().height() / 2
        right = QPointF(node.pos().x() + node.rect().right() + GAP + badge.rect().width() / 2, y)
        left = QPointF(node.pos().x() + node.rect().left() - GAP - badge.rect().width() / 2, y)
        badge.setPos(self._clear_place(badge, (right, left)))
        badge.beside = node_id
        badge.node = node_id
        return self._add(badge)

    def _clear_place(self, badge, candidates) -> QPointF:
        """The first of ``candidates`` where ``badge`` covers no node and no other note; else
        the first moved right past whatever it covers (a note over a neighbour hid its name)."""
        drawing = self.scene.drawing
        obstacles = [item.sceneBoundingRect() for item in drawing.nodes.values()]
        obstacles += [item.sceneBoundingRect() for item in self.items if isinstance(item, BadgeItem)]

        def covered(position):
            rect = badge.rect().translated(position)
            return [other for other in obstacles if rect.intersects(other)]

        for position in candidates:
            if not covered(position):
                return position
        position = QPointF(candidates[0])
        for _ in range(len(obstacles) + 1):
            hits = covered(position)
            if not hits:
                break
            position.setX(max(other.right() for other in hits) + GAP + badge.rect().width() / 2)
        return position

    def _callout(self, node_id, kind, text):
        """A wrapped box to the right of the graph, with a line to its node when it has one."""
        drawing = self.scene.drawing
        graph_rect = self.scene.graph_rect()
        callout = BadgeItem(kind, text, text, point_size=8.5, wrap_width=CALLOUT_WIDTH)
        taken = [b for b in self.items if b.kind in ("error", "warning") and not getattr(b, "anchor", False)]
        top = graph_rect.top() + sum(b.rect().height() + GAP for b in taken)
        x = graph_rect.right() + CALLOUT_GAP + callout.rect().width() / 2
        callout.setPos(QPointF(x, top + callout.rect().height() / 2))
        callout.node = node_id
        self._add(callout)
        node = drawing.nodes.get(node_id)
        if node is not None:
            marker = self._above(node_id, kind, "⚠ " + ("error" if kind == "error" else "warning"), text)
            marker.anchor = True
            start = QPointF(callout.pos().x() + callout.rect().left(), callout.pos().y())
            self._add(LeaderLine(start, node.pos() + QPointF(node.rect().right(), 0),
                                 BADGE_STYLES[kind][1]))
