"""Presentation mode: the graph full screen for a classroom, driven by a clicker.

F5 enters and F5 or Esc leaves. While presenting, everything but the graph and a
narration caption is hidden, the projector theme is shown with the drawing's text
and lines about twice their usual size, and the keys a presentation clicker sends
(PageDown/PageUp, Space, the arrows, Home/End) step through the program; B or "."
blank the screen, as in slide software. The view keeps the active node in sight.

Stepping goes through the backward animator's events first when the window has
one (``window.backward_tools.animator``, see ``animator.py``): a backward step is
shown event by event, and only after its last event does the timeline move on to
the next frame. Without an animator the timeline moves one frame per key.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QColor, QFont, QKeySequence, QPalette
from PySide6.QtWidgets import QApplication, QDockWidget, QLabel, QWidget

from explorer.i18n import current_language
from explorer.program.files import narrated_step

from .translation import tr

PRESENTATION_THEME = "projector"
# The drawing's text while presenting, in multiples of its usual size.
PRESENTATION_GRAPH_SCALE = 1.75
CAPTION_FONT_SCALE = 1.6

FORWARD_KEYS = {Qt.Key.Key_PageDown, Qt.Key.Key_Space, Qt.Key.Key_Right, Qt.Key.Key_Down}
BACK_KEYS = {Qt.Key.Key_PageUp, Qt.Key.Key_Left, Qt.Key.Key_Up, Qt.Key.Key_Backspace}
BLANK_KEYS = {Qt.Key.Key_B, Qt.Key.Key_Period}
LEAVE_KEYS = {Qt.Key.Key_Escape, Qt.Key.Key_F5}
REVEAL_KEYS = {Qt.Key.Key_R}
HANDLED_KEYS = FORWARD_KEYS | BACK_KEYS | BLANK_KEYS | LEAVE_KEYS | REVEAL_KEYS | {Qt.Key.Key_Home,
                                                                                 Qt.Key.Key_End}
CHOICE_MARKS = "ABCDEFGH"


def question_text(question, language: str, revealed: bool) -> str:
    """A lesson question as the room sees it: the prompt and lettered choices; the answer
    and its explanation only once revealed."""
    from .lesson_browser import in_language
    lines = [in_language(question.get("prompt", {}), language)]
    for index, choice in enumerate(question.get("choices", ())):
        mark = CHOICE_MARKS[index] if index < len(CHOICE_MARKS) else str(index + 1)
        tick = "✓ " if revealed and index == question.get("answer") else ""
        lines.append(f"{tick}{mark}. {in_language(choice, language)}")
    if revealed:
        lines.append(in_language(question.get("explanation", {}), language))
    else:
        lines.append(tr("(R reveals the answer)"))
    return "\n".join(line for line in lines if line)


def narration_text(fields: dict, frame, language: str) -> str:
    """The narration of the top-level step ``frame`` belongs to, in ``language`` (else English)."""
    if frame is None or not frame.path:
        return ""
    narration = tuple((fields or {}).get("narration", ()))
    step = narrated_step((fields or {}).get("cells", ()), frame.path[0])
    if step >= len(narration) or not isinstance(narration[step], dict):
        return ""
    entry = narration[step]
    # An imported page's prose is in the page's language only: shown as written.
    written = [text for key, text in entry.items() if key != "question" and isinstance(text, str)]
    return entry.get(language) or entry.get("en") or (written[0] if written else "")


def newest_node(graph) -> str:
    """The most recently created node of ``graph``: what the current step just made."""
    best, best_order = "", None
    for node, order in graph.nodes(data="order"):
        if order is not None and (best_order is None or order > best_order):
            best, best_order = node, order
    return best


class BlankScreen(QWidget):
    """A black sheet over the whole window (the audience looks at the teacher, not the screen)."""

    def __init__(self, parent):
        super().__init__(parent)
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor("black"))
        self.setPalette(palette)
        parent.installEventFilter(self)
        self.hide()

    def cover(self):
        self.setGeometry(self.parentWidget().rect())
        self.raise_()
        self.show()

    def eventFilter(self, watched, event):
        # The window goes full screen after the sheet may already be up: keep covering all of it.
        if event.type() == QEvent.Type.Resize and self.isVisible():
            self.setGeometry(self.parentWidget().rect())
        return False


class PresentationMode(QObject):
    enteredChanged = Signal(bool)
    answerRevealed = Signal()

    def __init__(self, window, view_options):
        super().__init__(window)
        self.window = window
        self.view_options = view_options
        self.active = False
        self._saved = {}
        self.action = QAction(tr("&Presentation Mode"), window)
        self.action.setCheckable(True)
        self.action.setShortcut(QKeySequence(Qt.Key.Key_F5))
        # The menu bar is hidden while presenting; the window itself keeps the shortcut alive.
        self.action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.action.triggered.connect(lambda checked: self.enter() if checked else self.leave())
        window.addAction(self.action)
        self.caption = QLabel(window)
        self.caption.setObjectName("narration_caption")
        self.caption.setWordWrap(True)
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption.hide()
        # The step's question and what it printed: the room sees them too (the docks are hidden).
        self.details = QLabel(window)
        self.details.setObjectName("presentation_details")
        self.details.setWordWrap(True)
        self.details.hide()
        self.revealed = False
        central = window.centralWidget()
        if central is not None and central.layout() is not None:
            central.layout().addWidget(self.caption)
            central.layout().addWidget(self.details)
        self.blank = BlankScreen(window)
        window.controller.frameChanged.connect(lambda _frame, _index: self._frame_changed())
        window.graph_panel.graphShown.connect(self.follow_active_node)

    # ------------------------------------------------------------------ entering and leaving
    def toggle(self):
        self.leave() if self.active else self.enter()

    def enter(self):
        if self.active:
            return
        window = self.window
        self.active = True
        self._saved = {
            "state": window.saveState(),
            "maximized": window.isMaximized(),
            "theme": self.view_options.theme_name,
            "hidden": [widget for widget in self._chrome() if widget.isVisible()],
        }
        for widget in self._saved["hidden"]:
            widget.hide()
        self.caption.show()
        self.view_options.graph_scale = PRESENTATION_GRAPH_SCALE
        self.view_options.apply_theme(PRESENTATION_THEME)
        self._style_caption()
        window.graph_panel.view.user_zoomed = False
        window.showFullScreen()
        QApplication.instance().installEventFilter(self)
        self.action.setChecked(True)
        self._frame_changed()
        self.enteredChanged.emit(True)

    def leave(self):
        if not self.active:
            return
        window = self.window
        self.active = False
        QApplication.instance().removeEventFilter(self)
        self.blank.hide()
        self.caption.hide()
        self.details.hide()
        animation_caption = self._animation_caption()
        if animation_caption is not None:
            animation_caption.setFont(QFont())   # back to the window's font
        self.view_options.graph_scale = 1.0
        self.view_options.apply_theme(self._saved["theme"])
        for widget in self._saved["hidden"]:
            widget.show()
        window.showMaximized() if self._saved["maximized"] else window.showNormal()
        window.restoreState(self._saved["state"])
        window.graph_panel.view.user_zoomed = False
        window.graph_panel.view.auto_fit()
        self.action.setChecked(False)
        self.enteredChanged.emit(False)

    def _chrome(self):
        """Everything that is not the graph: docks, bars, the timeline and the graph's own buttons."""
        window = self.window
        widgets = [dock for dock in window.findChildren(QDockWidget) if dock.parentWidget() is window]
        widgets += [window.menuBar(), window.statusBar(), window.timeline_bar]
        panel = window.graph_panel
        widgets += [child for child in panel.findChildren(QWidget)
                    if child.parentWidget() is panel and child is not panel.view]
        return widgets

    def _animation_caption(self):
        controls = getattr(getattr(self.window, "backward_tools", None), "controls", None)
        return getattr(controls, "caption", None)

    def _style_caption(self):
        font = self.window.font()
        font.setPointSizeF(font.pointSizeF() * CAPTION_FONT_SCALE)
        self.caption.setFont(font)
        self.details.setFont(font)
        # The backward animation's caption ("MulBackward0 runs: ...") is read by the room too.
        animation_caption = self._animation_caption()
        if animation_caption is not None:
            animation_caption.setFont(font)
        margin = self.caption.fontMetrics().height() // 2
        self.caption.setContentsMargins(margin, margin, margin, margin)
        self.details.setContentsMargins(margin, 0, margin, margin)

    # ------------------------------------------------------------------ keys
    def eventFilter(self, watched, event):
        if not self.active or event.type() not in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride):
            return False
        if not isinstance(watched, QWidget) or watched.window() is not self.window:
            return False
        if event.key() not in HANDLED_KEYS or event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False
        if event.type() == QEvent.Type.ShortcutOverride:
            # Claim the key before any shortcut (Home/End, the F5 action) can take it.
            event.accept()
            return True
        self.handle_key(event.key())
        return True

    def handle_key(self, key):
        if key in LEAVE_KEYS:
            self.leave()
        elif key in BLANK_KEYS:
            self.toggle_blank()
        elif key in REVEAL_KEYS:
            self.revealed = True
            self._show_details()
            self.answerRevealed.emit()
        elif self.blank.isVisible():
            self.blank.hide()   # any step key brings the picture back first
        elif key in FORWARD_KEYS:
            self.step(+1)
        elif key in BACK_KEYS:
            self.step(-1)
        elif key == Qt.Key.Key_Home:
            self.window.controller.first()
        elif key == Qt.Key.Key_End:
            self.window.controller.last()

    def toggle_blank(self):
        if self.blank.isVisible():
            self.blank.hide()
        else:
            self.blank.cover()

    def animator(self):
        tools = getattr(self.window, "backward_tools", None)
        return getattr(tools, "animator", None) or getattr(self.window, "animator", None)

    def step(self, direction: int):
        animator = self.animator()
        events = len(getattr(animator, "events", ()) or ())
        index = getattr(animator, "event_index", 0)
        if animator is not None and direction > 0 and index < events:
            animator.step_forward()   # its eventChanged scrolls the lit node into sight
            return
        if animator is not None and direction < 0 and 0 < index <= events:
            animator.step_back()
            return
        controller = self.window.controller
        if direction > 0:
            controller.step_forward()
            if animator is not None and getattr(animator, "events", ()):
                animator.first()   # a backward step is told from its first event
        else:
            controller.step_back()

    # ------------------------------------------------------------------ caption and view
    def _frame_changed(self):
        if not self.active:
            return
        window = self.window
        text = narration_text(window.document.fields, window.controller.frame, current_language())
        if not text and window.controller.frame is not None:
            text = window.code_pane.editor.document().findBlockByLineNumber(
                max(0, window.controller.frame.line - 1)).text().strip()
        self.caption.setText(text)
        question = self._question()
        if question is not self._shown_question:
            self.revealed = False   # a new question: predict first
            self._shown_question = question
        self._show_details()

    _shown_question = None

    def _question(self):
        browser = getattr(getattr(self.window, "backward_tools", None), "lesson_browser", None)
        entry = browser.narration_entry(self.window.controller.frame) if browser is not None else None
        question = entry.get("question") if isinstance(entry, dict) else None
        return question if isinstance(question, dict) else None

    def _show_details(self):
        """The current step's question (answer on R only) and the text it printed."""
        parts = []
        question = self._question()
        if question is not None:
            parts.append(question_text(question, current_language(), self.revealed))
        frame = self.window.controller.frame
        printed = (getattr(frame, "output", "") or "").rstrip("\n")
        if printed:
            parts.append(printed)
        self.details.setText("\n\n".join(parts))
        self.details.setVisible(self.active and bool(parts))

    def active_node(self) -> str:
        """The node the animator lights up, else the one the current step made."""
        state = getattr(self.animator(), "state", None)
        lit = sorted(getattr(state, "lit", ()) or ())
        return lit[0] if lit else newest_node(self.window.graph_panel.graph)

    def follow_active_node(self):
        """Scroll the active node into sight: always while presenting; in the window only
        while the view fits by itself (a zoom the user chose is theirs to pan)."""
        panel = self.window.graph_panel
        if not self.active and panel.view.user_zoomed:
            return
        item = panel.scene.node_item(self.active_node())
        if item is None:
            return
        view = panel.view
        visible = view.mapToScene(view.viewport().rect()).boundingRect()
        if not visible.contains(item.sceneBoundingRect()):
            view.centerOn(item)

    def retranslate(self):
        self._frame_changed()
