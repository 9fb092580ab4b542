"""Runs the document's program whenever it changes and holds the timeline position.

The run itself belongs to ``explorer.program``; this object only decides when to
run and which frame is current, and tells the views. After an edit the position
stays on the same frame number where the new timeline has one, else moves to the
last frame, so the graph shows the whole program by default.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from .program_bridge import run_program


class RunController(QObject):
    timelineChanged = Signal(object)
    # (frame or None, index); index is -1 when there is no frame.
    frameChanged = Signal(object, int)

    def __init__(self, document, parent=None):
        super().__init__(parent)
        self.document = document
        self.timeline = None
        self.index = -1
        self._follow_end = True
        document.programChanged.connect(lambda _focus: self.run())

    @property
    def frames(self):
        return list(self.timeline.frames) if self.timeline is not None else []

    @property
    def frame(self):
        frames = self.frames
        return frames[self.index] if 0 <= self.index < len(frames) else None

    def run(self):
        self.timeline = run_program(self.document.program)
        self.timelineChanged.emit(self.timeline)
        count = len(self.frames)
        if self._follow_end or self.index >= count:
            self.go_to(count - 1)
        else:
            self.go_to(self.index)

    def go_to(self, index: int):
        count = len(self.frames)
        index = max(-1, min(index, count - 1))
        if count and index < 0:
            index = 0
        self.index = index
        self._follow_end = index == count - 1
        self.frameChanged.emit(self.frame, index)

    def step_forward(self):
        self.go_to(self.index + 1)

    def step_back(self):
        self.go_to(max(0, self.index - 1))

    def first(self):
        self.go_to(0)

    def last(self):
        self.go_to(len(self.frames) - 1)

    def reset(self):
        """Back to before the first step: run again and stand on frame 0."""
        self.run()
        self.go_to(0)
