"""Play / pause / step / speed / scrub for the backward animation, and its caption.

The controls only call the animator and listen to it. Keys (Space play/pause,
→ and ← step, Home and End) work while the graph or these controls have focus
and a backward frame is shown; elsewhere those keys keep their usual meaning.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSlider,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from explorer.graph.backward_captions import caption, position_text

from .animator import SPEEDS
from .translation import tr


class AnimationKeys(QObject):
    """Event filter giving the animator its keys before window shortcuts see them."""

    def __init__(self, animator, parent=None):
        super().__init__(parent)
        self.animator = animator
        self.keys = {
            Qt.Key.Key_Space: animator.toggle_playing,
            Qt.Key.Key_Right: animator.step_forward,
            Qt.Key.Key_Left: animator.step_back,
            Qt.Key.Key_Home: animator.first,
            Qt.Key.Key_End: animator.last,
        }

    def eventFilter(self, watched, event):
        kind = event.type()
        if kind not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            return False
        if not self.animator.events or event.modifiers() not in (
                Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier):
            return False
        action = self.keys.get(event.key())
        if action is None:
            return False
        if kind == QEvent.Type.ShortcutOverride:
            event.accept()   # the key press comes to us instead of a window shortcut
            return True
        action()
        return True


class AnimationControls(QWidget):
    def __init__(self, animator, parent=None):
        super().__init__(parent)
        self.animator = animator
        self.language = "en"
        style = self.style()
        self.buttons = {}
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        for name, icon, slot, tip in (
                ("first", QStyle.StandardPixmap.SP_MediaSkipBackward, animator.first, tr("Start (Home)")),
                ("back", QStyle.StandardPixmap.SP_MediaSeekBackward, animator.step_back, tr("Step back (←)")),
                ("play", QStyle.StandardPixmap.SP_MediaPlay, animator.toggle_playing,
                 tr("Play / pause (Space)")),
                ("forward", QStyle.StandardPixmap.SP_MediaSeekForward, animator.step_forward,
                 tr("Step forward (→)")),
                ("last", QStyle.StandardPixmap.SP_MediaSkipForward, animator.last, tr("End (End)"))):
            button = QToolButton(self)
            button.setIcon(style.standardIcon(icon))
            button.setToolTip(tip)
            button.setAccessibleName(name)
            button.setObjectName(f"animation_{name}")
            button.clicked.connect(slot)
            bar.addWidget(button)
            self.buttons[name] = button
        self.slider = QSlider(Qt.Orientation.Horizontal, self)
        self.slider.setObjectName("animation_scrub")
        self.slider.setPageStep(1)
        self.slider.valueChanged.connect(self._scrubbed)
        bar.addWidget(self.slider, 1)
        self.position = QLabel(self)
        bar.addWidget(self.position)
        self.speed = QComboBox(self)
        self.speed.setToolTip(tr("Speed"))
        for speed in SPEEDS:
            self.speed.addItem(f"{speed:g}×", speed)
        self.speed.setCurrentIndex(SPEEDS.index(1.0))
        self.speed.currentIndexChanged.connect(lambda i: animator.set_speed(self.speed.itemData(i)))
        bar.addWidget(self.speed)
        self.chain_rule = QCheckBox(tr("Chain rule"), self)
        self.chain_rule.setToolTip(tr("Show each edge's local derivative and the product with the gradient"))
        self.chain_rule.toggled.connect(animator.set_chain_rule)
        bar.addWidget(self.chain_rule)
        self.caption = QLabel(self)
        self.caption.setWordWrap(True)
        self.caption.setObjectName("animation_caption")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.addLayout(bar)
        layout.addWidget(self.caption)
        self.keys = AnimationKeys(animator, self)
        self.installEventFilter(self.keys)
        animator.eventChanged.connect(self._event_changed)
        animator.eventsChanged.connect(self._events_changed)
        animator.playingChanged.connect(self._playing_changed)
        self._events_changed(len(animator.events))

    def set_language(self, language: str):
        self.language = language
        self._event_changed(self.animator.event_index)

    def _scrubbed(self, value):
        if value != self.animator.event_index:
            self.animator.seek(value)

    def _events_changed(self, count):
        self.slider.blockSignals(True)
        self.slider.setMaximum(count)
        self.slider.blockSignals(False)
        self.setVisible(count > 0)
        self._event_changed(self.animator.event_index)

    def _event_changed(self, index):
        self.slider.blockSignals(True)
        self.slider.setValue(index)
        self.slider.blockSignals(False)
        count = len(self.animator.events)
        self.position.setText(position_text(index, count, self.language))
        event = self.animator.events[index - 1] if 0 < index <= count else None
        self.caption.setText(caption(event, self.animator.snapshot, self.language))

    def _playing_changed(self, playing):
        icon = QStyle.StandardPixmap.SP_MediaPause if playing else QStyle.StandardPixmap.SP_MediaPlay
        self.buttons["play"].setIcon(self.style().standardIcon(icon))
