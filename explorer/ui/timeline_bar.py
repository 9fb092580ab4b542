"""Slider over the frames of a run, with Run, Step, Step back, Reset, first and last."""
from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSlider, QStyle, QToolButton, QWidget

from .translation import tr, trf

# Icons where the platform has them; the text stays as the tooltip and accessible name.
ICONS = {"First": QStyle.StandardPixmap.SP_MediaSkipBackward,
         "Last": QStyle.StandardPixmap.SP_MediaSkipForward}


class TimelineBar(QWidget):
    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.controller = controller
        self.slider = QSlider(Qt.Orientation.Horizontal, self)
        self.slider.setMinimum(0)
        self.slider.setPageStep(1)
        self.slider.valueChanged.connect(self._slider_moved)
        self.position = QLabel(self)
        self.position.setMinimumWidth(self.fontMetrics().horizontalAdvance("frame 000 / 000"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        self.actions_by_name = {}
        # Names stay English as keys of actions_by_name; tr() turns them into the shown text.
        # F5 belongs to presentation mode, as in slide software, so Run is Ctrl+R.
        buttons = ((QT_TRANSLATE_NOOP("", "Run"), "Ctrl+R", controller.last,
                    QT_TRANSLATE_NOOP("", "Run to the end")),
                   (QT_TRANSLATE_NOOP("", "Reset"), "Ctrl+F5", controller.reset,
                    QT_TRANSLATE_NOOP("", "Back to the first step")),
                   (QT_TRANSLATE_NOOP("", "First"), "Home", controller.first,
                    QT_TRANSLATE_NOOP("", "First frame")),
                   (QT_TRANSLATE_NOOP("", "Step back"), "F9", controller.step_back,
                    QT_TRANSLATE_NOOP("", "One step back")),
                   (QT_TRANSLATE_NOOP("", "Step"), "F10", controller.step_forward,
                    QT_TRANSLATE_NOOP("", "One step forward")),
                   (QT_TRANSLATE_NOOP("", "Step into"), "F11", controller.step_into,
                    QT_TRANSLATE_NOOP("", "Into the function or Module the step calls")),
                   (QT_TRANSLATE_NOOP("", "Step out"), "Shift+F11", controller.step_out,
                    QT_TRANSLATE_NOOP("", "Out of the current call")),
                   (QT_TRANSLATE_NOOP("", "Last"), "End", controller.last,
                    QT_TRANSLATE_NOOP("", "Last frame")))
        for text, shortcut, slot, tip in buttons:
            action = QAction(tr(text), self)
            if text in ICONS:
                action.setIcon(self.style().standardIcon(ICONS[text]))
            action.setShortcut(QKeySequence(shortcut))
            action.setToolTip(trf("{tip} ({shortcut})", tip=tr(tip), shortcut=shortcut))
            action.triggered.connect(slot)
            self.actions_by_name[text] = action
            button = QToolButton(self)
            button.setDefaultAction(action)
            layout.addWidget(button)
            if text == "Reset":
                layout.addSpacing(self.fontMetrics().horizontalAdvance("MM"))
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.position)
        # A run that outlasts a moment goes on in the background: its progress shows here,
        # with Cancel (Ctrl+.), and the window answers throughout.
        self.cancel_action = QAction(tr("Cancel run"), self)
        self.cancel_action.setShortcut(QKeySequence("Ctrl+."))
        self.cancel_action.setToolTip(trf("{tip} ({shortcut})", tip=tr("Stop the running program"),
                                          shortcut="Ctrl+."))
        self.cancel_action.triggered.connect(controller.cancel)
        self.cancel_action.setEnabled(False)
        self.cancel_button = QToolButton(self)
        self.cancel_button.setDefaultAction(self.cancel_action)
        self.cancel_button.hide()
        layout.addWidget(self.cancel_button)
        controller.frameChanged.connect(self._frame_changed)
        controller.progressChanged.connect(self._progress)

    def _progress(self, running: bool, frames: int):
        self.cancel_action.setEnabled(running)
        self.cancel_button.setVisible(running)
        if running:
            self.position.setText(trf("running… {count} steps", count=frames))

    def _slider_moved(self, value):
        if value != self.controller.index:
            self.controller.go_to(value)

    def _frame_changed(self, frame, index):
        count = len(self.controller.frames)
        self.slider.blockSignals(True)
        self.slider.setMaximum(max(0, count - 1))
        self.slider.setValue(max(0, index))
        self.slider.setEnabled(count > 1)
        self.slider.blockSignals(False)
        self.position.setText(trf("frame {index} / {count}", index=index + 1, count=count) if count
                              else tr("no frames"))
        stack = getattr(frame, "call_stack", ())
        self.position.setToolTip(" › ".join(stack) if stack else "")
        if stack:
            self.position.setText(self.position.text() + "  ·  " + " › ".join(stack))
