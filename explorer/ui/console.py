"""Printed output and errors of the run, the current step's part highlighted."""
from __future__ import annotations

from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit

from explorer.drawing.fonts import code_font

from .translation import trf

ERROR_COLOUR = "#c5221f"
CURRENT_BACKGROUND = "#fff8c5"


class OutputConsole(QPlainTextEdit):
    """Shows what the program printed up to the current frame, that frame's part highlighted.

    Nothing of a later frame shows: in "predict, then reveal" a print or an error that has
    not happened yet would give the answer away."""

    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.setReadOnly(True)
        self.setFont(code_font())
        self.controller = controller
        controller.frameChanged.connect(self.show_frame)

    def show_frame(self, _frame, index):
        self.clear()
        cursor = self.textCursor()
        frames = self.controller.frames
        for number, frame in enumerate(frames[:max(index, -1) + 1]):
            text = frame.output
            if frame.error is not None:
                text += f"{frame.error}\n"
            if not text:
                continue
            char_format = QTextCharFormat()
            if frame.error is not None:
                char_format.setForeground(QColor(ERROR_COLOUR))
            if number == index:
                char_format.setBackground(QColor(CURRENT_BACKGROUND))
            cursor.movePosition(QTextCursor.MoveOperation.End)
            cursor.insertText(text, char_format)
        timeline = self.controller.timeline
        status = getattr(timeline, "status", "finished")
        if frames and index < len(frames) - 1:
            return  # how the run ended is told at its last frame
        if status == "limit":
            cursor.insertText(trf("stopped: {error}", error=str(timeline.error)) + "\n", self._error_format())
        elif status == "error" and not any(frame.error for frame in self.controller.frames):
            # The run failed before any step could (the engine could not start).
            cursor.insertText(f"{timeline.error}\n", self._error_format())

    def _error_format(self):
        char_format = QTextCharFormat()
        char_format.setForeground(QColor(ERROR_COLOUR))
        return char_format
