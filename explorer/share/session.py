"""Sharing one program's run with a class: the server, the drawings and the tally together.

The teacher's side (the app's window, or a test with no display) calls, from its
own thread: ``start`` once, ``show_run`` whenever the program runs again,
``show`` at every step (frame, animation event, Reveal) and ``stop`` at the end.
Drawings are made on that thread, before the message that needs them is sent.
"""
from __future__ import annotations

import itertools

from explorer.export.pipeline import ExportError
from explorer.i18n import in_language, normalise_language
from explorer.program.files import Document
from explorer.program.timeline import Timeline

from .address import lan_address
from .drawings import FrameDrawings
from .hub import Hub
from .page import student_page
from .server import ShareServer
from .tally import Tally
from .teacher import question_id, teacher_message

_runs = itertools.count(1)


class ClassShare:
    def __init__(self, host: str | None = None, port: int = 0, language: str = "en",
                 view: str = "tensor-function"):
        self.hub = Hub()
        self.tally = Tally()
        self.server = ShareServer(self.hub, self.tally, host or lan_address(), port)
        self.language = normalise_language(language) or "en"
        self.view = view
        self.document: Document | None = None
        self.timeline: Timeline | None = None
        self.drawings: FrameDrawings | None = None
        self._run_key = ""
        self._drawn: set[str] = set()
        self._shown = (0, -1, False, None)

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def running(self) -> bool:
        return self.server.running

    def start(self) -> str:
        self.hub.set_page(student_page(self.language))
        return self.server.start()

    def stop(self):
        self.server.stop()

    def show_run(self, document: Document, timeline: Timeline):
        """A new run (another program, or the same one edited): frames are drawn afresh."""
        self.document, self.timeline = document, timeline
        self._run_key = f"r{next(_runs)}"
        self._new_drawings()

    def set_language(self, language: str):
        language = normalise_language(language) or "en"
        if language == self.language:
            return
        self.language = language
        self.hub.set_page(student_page(language))
        self._new_drawings()
        if self.timeline is not None:
            self.show(*self._shown)

    def show(self, frame_index: int, event_index: int = -1, revealed: bool = False,
             code_view: tuple | None = None) -> dict | None:
        """Send frame ``frame_index`` with event ``event_index`` shown (-1: none) to every page;
        ``code_view`` is (code, current line) as the teacher's screen shows them."""
        if self.timeline is None or not self.timeline.frames:
            return None
        frame_index = max(0, min(frame_index, len(self.timeline.frames) - 1))
        self._shown = (frame_index, event_index, revealed, code_view)
        key = self._drawing(frame_index)
        message = teacher_message(self.document, self.timeline, frame_index, event_index, revealed,
                                  self.language, key, self._run_key, code_view)
        return self.hub.publish(message)

    def question_id(self, frame_index: int) -> str | None:
        """The id of frame ``frame_index``'s question (None: it asks none)."""
        if self.timeline is None or not 0 <= frame_index < len(self.timeline.frames):
            return None
        return question_id(self.document, self.timeline.frames[frame_index], self._run_key)

    def answer_counts(self) -> tuple[dict | None, list[int]]:
        """The question on students' pages and how many chose each choice (before Reveal)."""
        message = self.hub.message
        question = message.get("question") if message else None
        if question is None:
            return None, []
        return question, self.tally.counts(question["id"], len(question["choices"]))

    def title(self) -> str:
        return in_language(self.document.title, self.language) if self.document is not None else ""

    # ------------------------------------------------------------------ drawings
    def _new_drawings(self):
        self.drawings = FrameDrawings(self.document, self.timeline, self.language, self.view,
                                      title=self.title())
        self._drawn.clear()

    def _drawing(self, frame_index: int) -> str:
        """The key of the drawing for ``frame_index``: a frame recorded without a graph (the
        middle of a long loop) shows the nearest earlier frame that has one."""
        frames = self.timeline.frames
        drawn_index = frame_index
        while drawn_index > 0 and frames[drawn_index].snapshot is None:
            drawn_index -= 1
        if frames[drawn_index].snapshot is None:
            return ""   # nothing drawn yet: the page keeps an empty view
        key = f"{self._run_key}-{self.language}-{drawn_index}"
        if key not in self._drawn or not self.hub.has_drawing(key):
            try:
                drawing = self.drawings.drawing(drawn_index)
            except ExportError:
                return ""   # a frame the exporters cannot draw: pages keep what they show
            self.hub.add_drawing(key, drawing)
            self._drawn.add(key)
        return key
