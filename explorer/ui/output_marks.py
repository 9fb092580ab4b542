"""After each run of a lesson imported from a page: a mark on the first block of every
cell whose output the page shows, saying whether the run printed the same (the
difference in the tooltip). The comparison itself is ``explorer.sources``'."""
from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap

from explorer.program.files import Document
from explorer.sources import output_verdicts
from explorer.sources.verdicts import DIFFERS, MATCH, NOT_RUN, RANDOM

from .translation import tr

MARK_COLOURS = {MATCH: "#1e8e3e", RANDOM: "#1a73e8", DIFFERS: "#d93025", NOT_RUN: "#9aa0a6"}
MARK_SYMBOLS = {MATCH: "✓", RANDOM: "≈", DIFFERS: "✗", NOT_RUN: "–"}


def mark_icon(status: str, size: int = 16) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(MARK_COLOURS[status]))
    painter.drawEllipse(1, 1, size - 2, size - 2)
    painter.setPen(QColor("#ffffff"))
    font = painter.font()
    font.setPixelSize(int(size * 0.75))
    font.setBold(True)
    painter.setFont(font)
    painter.drawText(pixmap.rect(), Qt.AlignmentFlag.AlignCenter, MARK_SYMBOLS[status])
    painter.end()
    return QIcon(pixmap)


def mark_tooltip(verdict) -> str:
    if verdict.status == MATCH:
        return tr("Prints what the page shows.")
    if verdict.status == NOT_RUN:
        return tr("Not run: the run stopped before this cell.")
    if verdict.status == RANDOM:
        heading = tr("Prints what the page shows, but for random values (the page drew "
                     "them without a seed):")
    else:
        heading = tr("Prints something else than the page (- page, + run):")
    return heading + "\n" + verdict.difference


def marks_for(timeline, program, fields) -> dict:
    """{top-level step index: (status, tooltip)} for a run of an imported lesson."""
    cells = tuple(fields.get("cells", ()))
    if timeline is None or not cells or sum(cell.steps for cell in cells) > len(program.steps):
        return {}
    document = Document(program=program, cells=cells)
    return {verdict.first_step: (verdict.status, mark_tooltip(verdict))
            for verdict in output_verdicts(timeline, document) if verdict.status in MARK_COLOURS}


class OutputMarks(QObject):
    """Keeps ``block_list``'s marks in step with the controller's latest run."""

    def __init__(self, controller, document, block_list, parent=None):
        super().__init__(parent)
        self.controller = controller
        self.document = document
        self.block_list = block_list
        controller.timelineChanged.connect(self.refresh)

    def refresh(self, timeline=None):
        timeline = timeline if timeline is not None else self.controller.timeline
        self.block_list.show_output_marks(marks_for(timeline, self.document.program,
                                                    self.document.fields))
