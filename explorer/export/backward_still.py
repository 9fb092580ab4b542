"""A still picture of the backward pass: the gradients after event N (``--event N``, ``--grads``).

The app's own ``BackwardOverlay`` draws it, from the same ``visual_state`` of the
recorded events the app's animation shows: the Functions run so far ringed, the
edges that carried gradients coloured and labelled with them, sums where two
met, and every leaf's ``.grad`` before → after. Nothing is recomputed.
"""
from __future__ import annotations

from contextlib import contextmanager

from explorer.drawing import overlay_items
from explorer.drawing.backward_overlay import BackwardOverlay
from explorer.graph.backward_state import visual_state

from .pipeline import ExportError
from .scene import ExportScene


class _Surface:
    """What ``BackwardOverlay`` draws on, made of an export scene: its items, drawing and graph."""

    def __init__(self, exported: ExportScene, graph):
        self._scene = exported.scene
        self.drawing = exported.drawing
        self.graph = graph

    def addItem(self, item):  # noqa: N802 (QGraphicsScene's names)
        self._scene.addItem(item)

    def removeItem(self, item):  # noqa: N802
        self._scene.removeItem(item)

    def items(self, *arguments):
        return self._scene.items(*arguments)


def event_count(frame) -> int:
    return len(frame.events or ())


def checked_event(frame, event: int | None) -> int:
    """How many of ``frame``'s backward events to show: ``event`` (from 1), or all of them."""
    count = event_count(frame)
    if event is None:
        return count
    if not 1 <= event <= count:
        raise ExportError(f"--event {event}: the backward() call of frame {frame.index + 1} has events "
                          f"1 to {count}")
    return event


def show_backward(exported: ExportScene, frame, graph, shown: int):
    """Draw the backward pass of ``frame`` after its first ``shown`` events on ``exported``, and
    grow the scene's rectangle to hold the badges."""
    state = visual_state(frame.events, shown)
    with badges_sized_for(exported):
        overlay_on(exported, graph).show(state, frame.snapshot)
    exported.fit_rect()


def overlay_on(exported: ExportScene, graph) -> BackwardOverlay:
    """The app's backward overlay, drawing on ``exported``."""
    return BackwardOverlay(_Surface(exported, graph))


@contextmanager
def badges_sized_for(exported: ExportScene):
    # Badges are sized from the graph's text size, which the app sets for its window:
    # an export draws them for its own fonts (the projector's are larger), then puts it back.
    previous = overlay_items.overlay_scale() * overlay_items.NODE_POINT_SIZE
    overlay_items.set_graph_point_size(exported.fonts.label.pointSizeF())
    try:
        yield
    finally:
        overlay_items.set_graph_point_size(previous)
