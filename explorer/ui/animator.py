"""Replays a backward frame's recorded events on the graph scene, one event at a time.

The animator is its own QObject (as Ryven's NodeItemAnimator is): it holds the
events and the position ``event_index`` (how many events have been applied),
a timer for playing, and the QPropertyAnimations that move a dot along each
edge a gradient is travelling on. What the scene shows at position k is
``visual_state(events, k)`` put on it by ``BackwardOverlay``; stepping back
recomputes that state from the events, it never undoes anything. Gradients are
never recomputed: every number is one the engine recorded.
"""
from __future__ import annotations

from PySide6.QtCore import QEasingCurve, QObject, QParallelAnimationGroup, QPropertyAnimation, QTimer, Signal

from explorer.drawing.backward_overlay import BackwardOverlay
from explorer.drawing.overlay_items import FlowDot
from explorer.graph.backward_state import visual_state

BASE_INTERVAL_MS = 900    # one event per this many milliseconds at speed 1
SPEEDS = (0.25, 0.5, 1.0, 2.0, 4.0)


class BackwardAnimator(QObject):
    eventChanged = Signal(int)
    playingChanged = Signal(bool)
    # The events changed (another frame): their count.
    eventsChanged = Signal(int)

    def __init__(self, scene, parent=None):
        super().__init__(parent)
        self.scene = scene
        self.overlay = BackwardOverlay(scene)
        self.frame = None
        self.events = ()
        self.event_index = 0
        self.speed = 1.0
        self.chain_rule = False
        self.state = None
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._tick)
        self._flows = None
        self._dots = []

    # ------------------------------------------------------------------ the frame
    def set_frame(self, frame, at_end: bool = True):
        """Animate ``frame``'s backward events (none for other frames); stand at the end or start."""
        self.pause()
        self.frame = frame
        events = tuple(getattr(frame, "events", ()) or ()) if frame is not None else ()
        self.events = events if any(e.kind == "backward_started" for e in events) else ()
        self.eventsChanged.emit(len(self.events))
        self.seek(len(self.events) if at_end else 0)

    @property
    def snapshot(self):
        return getattr(self.frame, "snapshot", None)

    @property
    def playing(self) -> bool:
        return self._timer.isActive()

    # ------------------------------------------------------------------ moving
    def seek(self, index: int):
        """Show the state after ``index`` events (clamped)."""
        self.event_index = max(0, min(int(index), len(self.events)))
        self._stop_dots()
        self.refresh()
        self.eventChanged.emit(self.event_index)

    def refresh(self):
        """Put the current state on the scene again (after a redraw, or a toggle)."""
        self.state = visual_state(self.events, self.event_index) if self.events else None
        pass_functions = frozenset(event.function for event in self.events if event.function)
        self.overlay.show(self.state, self.snapshot, self.chain_rule, pass_functions)

    def step_forward(self):
        if self.event_index < len(self.events):
            self.seek(self.event_index + 1)
            self._launch_dots()

    def step_back(self):
        self.seek(self.event_index - 1)

    def first(self):
        self.seek(0)

    def last(self):
        self.seek(len(self.events))

    # ------------------------------------------------------------------ playing
    def play(self):
        if not self.events:
            return
        if self.event_index >= len(self.events):
            self.seek(0)   # play again from the start
        self._timer.start(self.interval_ms())
        self.playingChanged.emit(True)

    def pause(self):
        if self._timer.isActive():
            self._timer.stop()
            self.playingChanged.emit(False)

    def toggle_playing(self):
        if self.playing:
            self.pause()
        else:
            self.play()

    def set_speed(self, speed: float):
        self.speed = max(0.05, float(speed))
        if self._timer.isActive():
            self._timer.setInterval(self.interval_ms())

    def interval_ms(self) -> int:
        return max(30, int(BASE_INTERVAL_MS / self.speed))

    def set_chain_rule(self, shown: bool):
        self.chain_rule = bool(shown)
        self.refresh()

    def _tick(self):
        if self.event_index >= len(self.events):
            self.pause()
            return
        self.step_forward()
        if self.event_index >= len(self.events):
            self.pause()

    # ------------------------------------------------------------------ travelling dots
    def _launch_dots(self):
        """Dots run along the edges the current event sent gradients on (only while playing)."""
        if not self.playing or self.state is None:
            return
        group = QParallelAnimationGroup(self)
        for badge in self.overlay.badges("gradient"):
            edge_item = self.scene.drawing.edges.get(getattr(badge, "edge", None))
            if edge_item is None:
                continue
            dot = FlowDot(edge_item.path())
            self.scene.addItem(dot)
            self._dots.append(dot)
            animation = QPropertyAnimation(dot, b"progress", group)
            animation.setStartValue(0.0)
            animation.setEndValue(1.0)
            animation.setDuration(int(self.interval_ms() * 0.8))
            animation.setEasingCurve(QEasingCurve.Type.InOutQuad)
            group.addAnimation(animation)
        if group.animationCount():
            group.finished.connect(self._stop_dots)
            self._flows = group
            group.start()
        else:
            group.deleteLater()

    def _stop_dots(self):
        if self._flows is not None:
            self._flows.stop()
            self._flows.deleteLater()
            self._flows = None
        for dot in self._dots:
            if dot.scene() is not None:
                dot.scene().removeItem(dot)
        self._dots = []
