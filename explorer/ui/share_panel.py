"""View ▸ Share with Class: the open program's graph live in students' browsers.

Checking the action starts ``explorer.share.ClassShare`` on this machine's local
network address and shows that address with a QR code twice: large over the
graph (for the projector; a click hides it) and small in the "Class" panel, with
a bar chart of the students' answers to the current question until Reveal.
While sharing, every step the teacher takes is sent: a new run, the frame, the
backward animation's event, Reveal (the lesson panel's button or R while
presenting) and the interface language. Unchecking stops the server and frees
its port; so does closing the window.
"""
from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QFont, QFontMetrics, QPixmap
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from explorer.i18n import current_language
from explorer.program.files import Document
from explorer.share.address import qr_png
from explorer.share.session import ClassShare

from .presentation import CHOICE_MARKS
from .translation import tr, trf

TALLY_REFRESH_MS = 250
PANEL_QR_PIXELS = 180
SCREEN_QR_PIXELS = 360
# The address under the large code, in multiples of the window's text size (smaller when it does not fit).
ADDRESS_FONT_SCALE = 1.6


def qr_pixmap(url: str, pixels: int) -> QPixmap:
    pixmap = QPixmap()
    pixmap.loadFromData(qr_png(url, scale=8))
    return pixmap.scaled(pixels, pixels, Qt.AspectRatioMode.KeepAspectRatio,
                         Qt.TransformationMode.FastTransformation)


class AddressCard(QWidget):
    """The address and its QR code, large, over the top right of the graph; a click hides it.

    It is the graph view's child, so it stays on screen while presenting (the docks and
    the panel's buttons are hidden then) and shrinks with the view so that it never covers
    all of the graph."""

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self.setObjectName("share_address_card")
        # Black on white whatever the theme: a QR code needs its light quiet zone to scan.
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet("#share_address_card { background: white; border: 2px solid #1a73e8; }"
                           "QLabel { color: black; background: white; }")
        self.url = ""
        self.code = QLabel(self)
        self.code.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.address = QLabel(self)
        self.address.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint = QLabel(self)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.addWidget(self.code)
        layout.addWidget(self.address)
        layout.addWidget(self.hint)
        parent.installEventFilter(self)
        self.hide()

    def show_address(self, url: str):
        self.url = url
        self.address.setText(url)
        self.hint.setText(tr("Scan to follow the class (click to hide)"))
        self.place()
        self.show()
        self.raise_()

    def place(self):
        parent = self.parentWidget()
        viewport = getattr(parent, "viewport", None)   # a view's scroll bars stay uncovered
        room = viewport().geometry() if viewport is not None else parent.rect()
        margin = 12
        font = QFont(self.font())
        font.setBold(True)
        font.setPointSizeF(self.font().pointSizeF() * ADDRESS_FONT_SCALE)
        width = room.width() - 6 * margin
        while font.pointSizeF() > 7 and QFontMetrics(font).horizontalAdvance(self.url) > width:
            font.setPointSizeF(font.pointSizeF() - 1)
        self.address.setFont(font)
        side = int(min(SCREEN_QR_PIXELS, room.height() * 0.6, room.width() - 6 * margin))
        if self.url and side > 40:
            self.code.setPixmap(qr_pixmap(self.url, side))
        self.adjustSize()
        self.move(room.right() - self.width() - margin, room.top() + margin)

    def mousePressEvent(self, event):
        self.hide()

    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Resize and self.isVisible():
            self.place()
        return False


class TallyChart(pg.PlotWidget):
    """How many students chose each choice of the current question."""

    def __init__(self, parent=None):
        super().__init__(parent, background="w")
        self.setObjectName("share_tally")
        self.setMouseEnabled(False, False)
        self.hideButtons()
        self.setMenuEnabled(False)
        self.bars = pg.BarGraphItem(x=[], height=[], width=0.6, brush="#1a73e8")
        self.addItem(self.bars)
        self.counts = []
        self.setMinimumHeight(140)

    def show_counts(self, counts: list[int]):
        if counts == self.counts:
            return
        self.counts = list(counts)
        positions = list(range(len(counts)))
        self.bars.setOpts(x=positions, height=counts)
        marks = [(index, CHOICE_MARKS[index] if index < len(CHOICE_MARKS) else str(index + 1))
                 for index in positions]
        self.getAxis("bottom").setTicks([marks])
        self.setXRange(-0.6, max(len(counts), 1) - 0.4, padding=0)
        self.setYRange(0, max(counts + [1]), padding=0.1)


class SharePanel(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.host: str | None = None   # None: the local network's address; tests use 127.0.0.1
        self.share: ClassShare | None = None
        self.revealed = False
        self._question_id = None
        self.action = QAction(tr("Share with &Class"), window)
        self.action.setObjectName("share_with_class")
        self.action.setCheckable(True)
        self.action.toggled.connect(lambda checked: self.start() if checked else self.stop())
        self.card = None   # the address card and the panel are built when sharing first starts
        self.dock = None
        self._pending = QTimer(self)
        self._pending.setSingleShot(True)
        self._pending.timeout.connect(self.push)
        self._tally_timer = QTimer(self)
        self._tally_timer.setInterval(TALLY_REFRESH_MS)
        self._tally_timer.timeout.connect(self.refresh_tally)
        window.installEventFilter(self)
        window.presentation.enteredChanged.connect(self._presenting)

    def _build_views(self):
        self.card = AddressCard(self.window.graph_panel.view)
        panel = QWidget()
        self.address_title = QLabel(tr("Students open (same network):"), panel)
        self.address = QLineEdit(panel)   # scrolls and copies; a URL has no place to wrap
        self.address.setObjectName("share_address")
        self.address.setReadOnly(True)
        self.code = QLabel(panel)
        self.code.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.show_card = QPushButton(tr("Show on Screen"), panel)
        self.show_card.clicked.connect(lambda: self.share and self.card.show_address(self.share.url))
        self.tally_title = QLabel(panel)
        self.tally_title.setWordWrap(True)
        self.chart = TallyChart(panel)
        layout = QVBoxLayout(panel)
        layout.addWidget(self.address_title)
        layout.addWidget(self.address)
        layout.addWidget(self.code)
        layout.addWidget(self.show_card)
        layout.addWidget(self.tally_title)
        layout.addWidget(self.chart, 1)
        self.dock = QDockWidget(tr("Class"), self.window)
        self.dock.setObjectName("share_dock")
        self.dock.setWidget(panel)
        self.window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        inspector = getattr(self.window, "inspector_dock", None)
        if inspector is not None:
            self.window.tabifyDockWidget(inspector, self.dock)
        self.dock.hide()

    # ------------------------------------------------------------------ starting and stopping
    @property
    def active(self) -> bool:
        return self.share is not None

    def start(self):
        if self.share is not None:
            return
        window = self.window
        share = ClassShare(self.host, language=current_language())
        try:
            url = share.start()
        except OSError as error:
            window.statusBar().showMessage(trf("Could not share with the class: {error}",
                                                    error=error.strerror or error))
            self.action.setChecked(False)
            return
        self.share = share
        if self.dock is None:
            self._build_views()
        self._connect(True)
        self._new_run()
        self.address.setText(url)
        self.address.setCursorPosition(0)
        self.code.setPixmap(qr_pixmap(url, PANEL_QR_PIXELS))
        self.card.show_address(url)
        self.dock.setVisible(not window.presentation.active)   # presenting shows the card only
        self.dock.raise_()
        self._tally_timer.start()
        self.action.setChecked(True)

    def stop(self):
        if self.share is None:
            return
        self._tally_timer.stop()
        self._pending.stop()
        self._connect(False)
        self.share.stop()
        self.share = None
        self.card.hide()
        self.dock.hide()
        self.action.setChecked(False)

    def _connect(self, on: bool):
        window = self.window
        tools = window.backward_tools
        pairs = [(window.controller.timelineChanged, self._new_run),
                 (window.controller.frameChanged, self.schedule),
                 (tools.animator.eventChanged, self.schedule),
                 (tools.lesson_browser.question.reveal_button.clicked, self.reveal),
                 (window.presentation.answerRevealed, self.reveal)]
        for signal, slot in pairs:
            signal.connect(slot) if on else signal.disconnect(slot)

    # ------------------------------------------------------------------ what the class sees
    def _new_run(self, *_args):
        timeline = self.window.controller.timeline
        if self.share is None or timeline is None:
            return
        fields = self.window.document.fields
        document = Document(program=self.window.document.program, title=dict(fields.get("title", {})),
                            narration=tuple(fields.get("narration", ())),
                            cells=tuple(fields.get("cells", ())))
        self.share.show_run(document, timeline)
        self.schedule()

    def reveal(self, *_args):
        self.revealed = True
        self.schedule()

    def schedule(self, *_args):
        """Send the step after the window's own handlers have caught up (the animator
        moves to a frame's events after the frame changes)."""
        if self.share is not None:
            self._pending.start(0)

    def push(self):
        window = self.window
        if self.share is None or window.controller.frame is None:
            return
        self.share.set_language(current_language())
        index = window.controller.index
        question = self.share.question_id(index)
        if question != self._question_id:   # a new question: predict first
            self._question_id = question
            self.revealed = False
        animator = window.backward_tools.animator
        event = animator.event_index - 1 if animator.events else -1
        code = window.code_pane
        self.share.show(index, event, self.revealed, code_view=(code.text(), code.highlighted_line()))
        self.refresh_tally()

    def refresh_tally(self):
        if self.share is None:
            return
        question, counts = self.share.answer_counts()
        open_question = question is not None and question.get("answer") is None
        self.tally_title.setVisible(open_question)
        self.chart.setVisible(open_question)
        if open_question:
            self.tally_title.setText(trf("Answers so far: {count}", count=sum(counts)))
            self.chart.show_counts(counts)

    def _presenting(self, entered: bool):
        if self.share is not None and not entered:
            self.dock.show()   # presentation mode restored the docks it hid, not this one

    def eventFilter(self, watched, event):
        # The window's texts are retranslated by the window; the students' page follows here.
        if watched is self.window and event.type() == QEvent.Type.LanguageChange:
            self.schedule()
        if watched is self.window and event.type() == QEvent.Type.Close and self.share is not None:
            # Once the window has handled it: a close the teacher cancels keeps the class.
            QTimer.singleShot(0, lambda: None if self.window.isVisible() else self.stop())
        return False
