"""Joins the backward animation, the graph's life-cycle notes, the VJP panel and the
lesson browser to a main window, so the window itself needs one line for them.

The animator and the overlays draw on the graph panel's scene; they are put on
it again whenever the panel has drawn a frame (``graphShown``), because a redraw
replaces every item of the drawing.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget

from explorer.graph.backward_state import ran_backward
from explorer.i18n import current_language

from .animation_controls import AnimationControls
from .animator import BackwardAnimator
from .code_pane import source_line
from .lesson_browser import LessonBrowser
from .lifecycle_overlay import LifecycleOverlay
from .translation import tr
from .vjp_panel import VjpPanel


class BackwardTools(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self._notes_at_end = True
        self._following = False
        panel = window.graph_panel
        self.animator = BackwardAnimator(panel.scene, self)
        self.lifecycle = LifecycleOverlay(panel.scene)
        self.controls = AnimationControls(self.animator, window)
        panel.view.installEventFilter(self.controls.keys)
        central = window.centralWidget().layout()
        central.insertWidget(central.indexOf(panel) + 1, self.controls)
        self.vjp_panel = VjpPanel(window.document, window.controller, window)
        self.vjp_dock = self._dock(tr("Vector–Jacobian product"), self.vjp_panel, "vjp")
        self.lesson_browser = LessonBrowser(window, window)
        self.lessons_dock = self._dock(tr("Lessons"), self.lesson_browser, "lessons")
        # Beside the Output, not under the Inspector: there it squeezed the .grad history away.
        output = getattr(window, "console_dock", None)
        if output is not None:
            window.splitDockWidget(output, self.lessons_dock, Qt.Orientation.Horizontal)
        self.lessons_action = QAction(tr("&Lessons…"), window)
        self.lessons_action.triggered.connect(self.show_lessons)
        window.menuBar().addAction(self.lessons_action)
        window.controller.frameChanged.connect(self._frame_changed)
        window.document.opened.connect(self._document_opened)
        panel.graphShown.connect(self._redraw)
        self.animator.eventChanged.connect(self._event_changed)
        options = getattr(window, "view_options", None)
        if options is not None and hasattr(options, "languageChanged"):
            options.languageChanged.connect(self.set_language)
        self.set_language(current_language())

    def _dock(self, title, widget, name):
        dock = QDockWidget(title, self.window)
        dock.setObjectName(name)
        dock.setWidget(widget)
        self.window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        dock.hide()
        return dock

    def show_lessons(self):
        self.lessons_dock.show()
        self.lessons_dock.raise_()

    def _document_opened(self):
        # A lesson speaks through its narration: show it whenever the opened file has some.
        presenting = getattr(getattr(self.window, "presentation", None), "active", False)
        if self.window.document.fields.get("narration") and not presenting:
            self.show_lessons()   # while presenting, the caption speaks instead

    def set_language(self, language: str):
        self.language = language or "en"
        self.controls.set_language(self.language)
        self.lifecycle.language = self.language
        self.lesson_browser.set_language(self.language)
        self._redraw()

    # ------------------------------------------------------------------ following the timeline
    def _frame_changed(self, frame, _index):
        # "Predict, then reveal": a backward frame opens before its first event, not finished.
        self._following = True   # one redraw below, not one per animator signal as well
        try:
            self.animator.set_frame(frame, at_end=False)
        finally:
            self._following = False
        self.vjp_panel.show_frame(frame)
        if frame is not None and ran_backward(frame) and self.vjp_panel.applies:
            self.vjp_dock.show()
        self._redraw()

    def _event_changed(self, index):
        # The saved tensors are freed when backward ends: their notes come and go with that.
        at_end = index >= len(self.animator.events)
        if at_end != self._notes_at_end and not self._following:
            self._redraw()

    def _redraw(self):
        """Put the animation state and the frame's notes on the current drawing."""
        self.animator.refresh()
        controller = self.window.controller
        frame = controller.frame
        line = ""
        if frame is not None:
            try:
                line = _line_text(self.window.document.program, frame)
            except (IndexError, KeyError, AttributeError):
                line = ""
        at_end = self.animator.event_index >= len(self.animator.events)
        self._notes_at_end = at_end
        running = {event.function for event in self.animator.events if event.function}
        for node_id, item in self.window.graph_panel.scene.drawing.nodes.items():
            if node_id in running:
                item.show_saved_as_kept(not at_end)
        self.lifecycle.show(controller.frames, controller.index, line, saved=at_end)


def _line_text(program, frame) -> str:
    """The source text of the frame's step (for finding the variables an error names)."""
    from .program_bridge import program_source
    lines = program_source(program).splitlines()
    number = source_line(program, frame.path)
    return lines[number - 1] if 0 < number <= len(lines) else ""
