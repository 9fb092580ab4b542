"""Runs the document's program whenever it changes and holds the timeline position.

The run itself belongs to ``explorer.program`` and happens on a worker thread;
this object decides when to run, waits a moment for a short run (so an edit
redraws at once), and otherwise polls the worker while reporting progress, so
the window answers throughout and a run can always be cancelled. A new edit
cancels the run in flight and starts when the worker has stopped (one run at a
time: the engine's random stream is shared). After an edit the position stays
on the same frame number where the new timeline has one, else moves to the last
frame, so the graph shows the whole program by default.
"""
from __future__ import annotations

import os
import threading
import time

from PySide6.QtCore import QObject, QTimer, Signal

from explorer.program.timeline import Timeline

from .collector import CollectorHold
from .program_bridge import start_program_run


class RunController(QObject):
    timelineChanged = Signal(object)
    # (frame or None, index); index is -1 when there is no frame.
    frameChanged = Signal(object, int)
    # (running, frames recorded so far): for a progress line and the Cancel action.
    progressChanged = Signal(bool, int)

    # How long an edit waits on the window's thread for its run before going on
    # in the background: short runs redraw at once, long ones never freeze the window.
    sync_budget_s = float(os.environ.get("AUTOGRAD_EXPLORER_SYNC_RUN_S", "0.02"))
    POLL_MS = 30

    def __init__(self, document, parent=None):
        super().__init__(parent)
        self.document = document
        self.timeline = None
        self.index = -1
        self._follow_end = True
        self._handle = None
        self._pending = False
        self._frames_seen = 0
        self._lock = threading.Lock()
        self._collector = CollectorHold()
        self._poll = QTimer(self)
        self._poll.setInterval(self.POLL_MS)
        self._poll.timeout.connect(self._check_run)
        self._start_at_first = False
        document.programChanged.connect(lambda _focus: self.run())
        document.opened.connect(self._opened)

    def _opened(self):
        """A lesson opens on its first frame: "predict, then reveal" starts before the answer."""
        if not self.document.fields.get("narration"):
            return
        if self._handle is None:
            self.go_to(0)
        else:
            self._start_at_first = True

    @property
    def frames(self):
        return list(self.timeline.frames) if self.timeline is not None else []

    @property
    def frame(self):
        frames = self.frames
        return frames[self.index] if 0 <= self.index < len(frames) else None

    @property
    def running(self) -> bool:
        return self._handle is not None

    def run(self):
        """Run the document's program (cancelling a run in flight first)."""
        if self._handle is not None:
            self._handle.cancel()
            self._pending = True
            return
        self._start()

    def cancel(self):
        """Stop the run in flight; the timeline then ends with a 'cancelled' frame."""
        self._pending = False
        if self._handle is not None:
            self._handle.cancel()

    def wait(self, timeout: float = 30.0) -> bool:
        """Block until no run is in flight (tests, and closing the window); True when none is."""
        deadline = time.monotonic() + timeout
        while self._handle is not None:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            if self._handle.join(min(remaining, 0.05)):
                self._check_run()
        return True

    def _count_frame(self, _frame):
        with self._lock:
            self._frames_seen += 1

    def _start(self):
        self._pending = False
        self._frames_seen = 0
        # A full collection on the worker holds the interpreter for tens of milliseconds and
        # the window with it: the collector waits while the run goes (see collector.py).
        self._collector.take()
        handle = start_program_run(self.document.program, on_frame=self._count_frame)
        if isinstance(handle, Timeline):
            self._collector.let_go()
            self._show(handle)
            return
        self._handle = handle
        if handle.join(self.sync_budget_s):
            self._check_run()
            return
        self.progressChanged.emit(True, self._frames_seen)
        self._poll.start()

    def _check_run(self):
        handle = self._handle
        if handle is None:
            self._poll.stop()
            return
        if not handle.done:
            self.progressChanged.emit(True, self._frames_seen)
            return
        self._poll.stop()
        self._handle = None
        self._collector.let_go()
        try:
            timeline = handle.wait(0)
        except BaseException as error:  # the machinery failed, not the program
            from explorer.program.timeline import ERROR, ErrorInfo
            timeline = Timeline(frames=[], status=ERROR,
                                error=ErrorInfo(type(error).__name__, str(error)))
        self.progressChanged.emit(False, len(timeline.frames) if timeline else 0)
        if self._pending:
            self._start()  # an edit came while this run was in flight: it is stale
            return
        self._show(timeline)

    def _show(self, timeline):
        self.timeline = timeline
        self.timelineChanged.emit(self.timeline)
        count = len(self.frames)
        if self._start_at_first:
            self._start_at_first = False
            self.go_to(0)
        elif self._follow_end or self.index >= count:
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

    def _depth(self, index):
        frames = self.frames
        return _depth_of(frames[index]) if 0 <= index < len(frames) else 0

    def step_forward(self):
        """Step over: the next frame at this call depth or above (a call's inside is skipped)."""
        frames = self.frames
        depth = self._depth(self.index)
        index = self.index + 1
        while index < len(frames) and _depth_of(frames[index]) > depth:
            index += 1
        self.go_to(index)

    def step_into(self):
        """The very next frame: into a call when the step makes one."""
        self.go_to(self.index + 1)

    def step_out(self):
        """The first frame after the current call has returned."""
        frames = self.frames
        depth = self._depth(self.index)
        index = self.index + 1
        while index < len(frames) and _depth_of(frames[index]) >= depth > 0:
            index += 1
        self.go_to(index)

    def step_back(self):
        """Step back over: the previous frame at this call depth or above."""
        frames = self.frames
        depth = self._depth(self.index)
        index = self.index - 1
        while index > 0 and _depth_of(frames[index]) > depth:
            index -= 1
        self.go_to(max(0, index))

    def first(self):
        self.go_to(0)

    def last(self):
        self.go_to(len(self.frames) - 1)

    def reset(self):
        """Back to before the first step: run again and stand on frame 0."""
        self.run()
        self.go_to(0)


def _depth_of(frame):
    return len(getattr(frame, "call_stack", ()))
