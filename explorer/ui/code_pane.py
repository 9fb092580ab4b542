"""The program as Python source, editable; kept in step with the blocks.

Typing is parsed after a short pause. A program that parses replaces the
document's (one undoable "Edit Code" per typing burst); one that does not is
marked at its line and the document keeps the last valid program. When the
document changes from elsewhere the text is regenerated, unless it already
says the same thing (so the cursor is not disturbed while typing).
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeySequence, QTextCharFormat, QTextCursor, QTextFormat
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QTextEdit, QVBoxLayout, QWidget

from explorer.drawing.fonts import code_font

from . import commands
from .program_bridge import ProgramSyntaxError, parse_program, program_source
from .translation import trf

PARSE_DELAY_MS = 350
ERROR_BACKGROUND = "#fde7e9"
STEP_BACKGROUND = "#fff8c5"


class CodePane(QWidget):
    parseFailed = Signal(str)

    def __init__(self, document, parent=None):
        super().__init__(parent)
        self.document = document
        self.editor = QPlainTextEdit(self)
        self.editor.setFont(code_font())
        self.editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.editor.setTabStopDistance(self.editor.fontMetrics().horizontalAdvance(" ") * 4)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #c5221f;")
        self.message.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.message)
        self.error_line = 0
        self._step_line = 0
        self._updating = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PARSE_DELAY_MS)
        self._timer.timeout.connect(self.parse_now)
        self.editor.textChanged.connect(self._text_changed)
        self.editor.installEventFilter(self)
        document.programChanged.connect(self._program_changed)
        document.opened.connect(self._document_opened)
        self._program_changed(None)

    def _document_opened(self):
        """A file's own text (comments, layout, even a line that does not parse) is shown."""
        source = self.document.fields.get("source")
        if source is None:
            return
        self._updating = True
        self.editor.setPlainText(source)
        self._updating = False
        try:
            parse_program(source)
        except ProgramSyntaxError as error:
            self._show_error(error)
        else:
            self._clear_error()

    def eventFilter(self, watched, event):
        """Ctrl+Z and Ctrl+Shift+Z in the editor go through the document's history, one
        "Edit Code" (or block edit) at a time. The editor's own history is wiped whenever
        the blocks rewrite the text, so a second Ctrl+Z there did nothing."""
        if watched is self.editor and event.type() in (QEvent.Type.ShortcutOverride,
                                                        QEvent.Type.KeyPress):
            stack = self.document.undo_stack
            for key, move, own in ((QKeySequence.StandardKey.Undo, stack.undo, self.editor.undo),
                                   (QKeySequence.StandardKey.Redo, stack.redo, self.editor.redo)):
                if event.matches(key):
                    if event.type() == QEvent.Type.KeyPress:
                        self.parse_now()   # pending typing becomes the newest edit first
                        # Text that does not parse is not in the history: the editor undoes the typo.
                        (own if self.error_line else move)()
                    event.accept()
                    return True
        return super().eventFilter(watched, event)

    def text(self) -> str:
        return self.editor.toPlainText()

    def set_text(self, text: str):
        """Replace the text as typing would (parsed after the pause, or at ``parse_now``)."""
        self.editor.setPlainText(text)

    def _text_changed(self):
        if not self._updating:
            self._timer.start()

    def parse_now(self):
        self._timer.stop()
        self.document.fields["source"] = self.text()  # what a .py save writes
        try:
            program = parse_program(self.text())
        except ProgramSyntaxError as error:
            self._show_error(error)
            return
        self._clear_error()
        if program != self.document.program:
            self.document.push(commands.CodeEditCommand(self.document, program))

    def _program_changed(self, _focus):
        try:
            same = parse_program(self.text()) == self.document.program
        except ProgramSyntaxError:
            same = False
        if same and self.text():
            return
        self._updating = True
        cursor_position = self.editor.textCursor().position()
        self.editor.setPlainText(program_source(self.document.program))
        cursor = self.editor.textCursor()
        cursor.setPosition(min(cursor_position, len(self.text())))
        self.editor.setTextCursor(cursor)
        self._updating = False
        self._clear_error()

    def _show_error(self, error: ProgramSyntaxError):
        self.error_line = error.line or 1
        self.message.setText(trf("line {line}: {message}", line=error.line, message=error.message)
                             if error.line else error.message)
        self.message.show()
        self._refresh_highlights()
        self.parseFailed.emit(str(error))

    def _clear_error(self):
        self.error_line = 0
        self.message.hide()
        self._refresh_highlights()

    def highlighted_line(self) -> int:
        """The line marked as the current step (0: none)."""
        return self._step_line

    def highlight_line(self, line: int):
        """Mark the line of the step the timeline is on (0 clears)."""
        self._step_line = line
        self._refresh_highlights()

    def _line_selection(self, line: int, colour: str, underline: bool = False):
        selection = QTextEdit.ExtraSelection()
        block = self.editor.document().findBlockByLineNumber(line - 1)
        cursor = QTextCursor(block)
        selection.cursor = cursor
        char_format = QTextCharFormat()
        char_format.setBackground(QColor(colour))
        char_format.setProperty(QTextFormat.Property.FullWidthSelection, True)
        if underline:
            char_format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
            char_format.setUnderlineColor(QColor(Qt.GlobalColor.red))
        selection.format = char_format
        return selection

    def _refresh_highlights(self):
        selections = []
        if self._step_line:
            selections.append(self._line_selection(self._step_line, STEP_BACKGROUND))
        if self.error_line:
            selections.append(self._line_selection(self.error_line, ERROR_BACKGROUND, True))
        self.editor.setExtraSelections(selections)


def source_line(program, path) -> int:
    """The 1-based line of the step at runner ``path`` in ``program_source(program)``."""
    from .program_bridge import step_lines
    return _line_in(program.steps, tuple(path), 1, step_lines)


def _line_in(steps, path, line, step_lines):
    for index, step in enumerate(steps):
        if index == path[0]:
            if len(path) == 1:
                return line
            return _line_in_compound(step, path[1:], line, step_lines)
        line += len(step_lines(step))
    return 0


def _line_in_compound(step, path, line, step_lines):
    bodies = step.bodies()
    body = bodies[0]
    if path[0] < len(body):
        return _line_in(body, path, line + 1, step_lines)
    body_lines = sum(len(step_lines(inner)) for inner in body)
    if all(inner.disabled for inner in body):
        body_lines += 1   # the "pass" that keeps an all-disabled block valid
    orelse = bodies[1]
    is_elif = len(orelse) == 1 and type(orelse[0]).__name__ == "If" and not orelse[0].disabled
    start = line + 1 + body_lines + (0 if is_elif else 1)
    return _line_in(orelse, (path[0] - len(body),) + path[1:], start, step_lines)
