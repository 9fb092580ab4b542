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
from PySide6.QtGui import QAction, QFont, QPixmap
from PySide6.QtWidgets import QApplication, QDockWidget, QLabel, QPushButton, QVBoxLayout, QWidget

from explorer.i18n import current_language
from explorer.program.files import Document
from explorer.share.address import qr_png
from explorer.share.session import ClassShare

from .presentation import CHOICE_MARKS
from .translation import tr, trf

TALLY_REFRESH_MS = 250
PANEL_QR_PIXELS = 180
SCREEN_QR_PIXELS = 360


def qr_pixmap(url: str, pixels: int) -> QPixmap:
    pixmap = QPixmap()
    pixmap.loadFromData(qr_png(url, scale=8))
    return pixmap.scaled(pixels, pixels, Qt.AspectRatioMode.KeepAspectRatio,
                         Qt.TransformationMode.FastTransformation)


class AddressCard(QWidget):
    """The address and its QR code, large, over the top right of the window; a click hides it."""

    def __init__(self, window):
        super().__init__(window)
        self.setObjectName("share_address_card")
        self.setAutoFillBackground(True)
        self.setStyleSheet("#share_address_card { background: white; border: 2px solid #1a73e8; }"
                           "QLabel { color: black; }")
        self.code = QLabel(self)
        self.code.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.address = QLabel(self)
        self.address.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.address.setWordWrap(True)
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        self.address.setFont(font)
        self.hint = QLabel(self)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.addWidget(self.code)
        layout.addWidget(self.address)
        layout.addWidget(self.hint)
        window.installEventFilter(self)
        self.hide()

    def show_address(self, url: str):
        self.code.setPixmap(qr_pixmap(url, SCREEN_QR_PIXELS))
        self.address.setText(url)
        self.hint.setText(tr("Scan to follow the class (click to hide)"))
        self.place()
        self.show()
        self.raise_()

    def place(self):
        self.adjustSize()
        parent = self.parentWidget().rect()
        margin = 16
        top = self.parentWidget().menuBar().height() if self.parentWidget().menuBar().isVisible() else 0
        self.move(parent.right() - self.width() - margin, top + margin)

    def mousePressEvent(self, event):
        self.hide()

    def _presenting(self, entered: bool):
        if self.share is not None and not entered:
            self.dock.show()   # presentation mode restored the docks it hid, not this one

    def eventFilter(self, watched, event):
        if event.type() == event.Type.Resize and self.isVisible():
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
        QApplication.instance().aboutToQuit.connect(self.stop)
        window.presentation.enteredChanged.connect(self._presenting)

    def _build_views(self):
        self.card = AddressCard(self.window)
        panel = QWidget()
        self.address = QLabel(panel)
        self.address.setObjectName("share_address")
        self.address.setWordWrap(True)
        self.address.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.code = QLabel(panel)
        self.code.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.show_card = QPushButton(tr("Show on Screen"), panel)
        self.show_card.clicked.connect(lambda: self.share and self.card.show_address(self.share.url))
        self.tally_title = QLabel(panel)
        self.tally_title.setWordWrap(True)
        self.chart = TallyChart(panel)
        layout = QVBoxLayout(panel)
        layout.addWidget(self.address)
        layout.addWidget(self.code)
        layout.addWidget(self.show_card)
        layout.addWidget(self.tally_title)
        layout.addWidget(self.chart, 1)
        self.dock = QDockWidget(tr("Class"), self.window)
        self.dock.setObjectName("share_dock")
        self.dock.setWidget(panel)
        self.window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
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
        self.address.setText(trf("Students open (same network):\n{url}", url=url))
        self.code.setPixmap(qr_pixmap(url, PANEL_QR_PIXELS))
        self.card.show_address(url)
        self.dock.setVisible(not window.presentation.active)   # presenting shows the card only
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
        return False
