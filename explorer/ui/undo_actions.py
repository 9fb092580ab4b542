"""Undo and Redo actions whose text follows the interface language.

``QUndoStack.createUndoAction`` fixes its prefix ("&Undo") when the action is made,
so after a language switch it would keep the old word; these build the text from
the current translation at every change. They read only what the stack's signals
carry: the stack also signals while it is being destroyed.
"""
from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence

from .translation import tr, trf


def _undo_text(command: str) -> str:
    return trf("&Undo {command}", command=command) if command else tr("&Undo")


def _redo_text(command: str) -> str:
    return trf("&Redo {command}", command=command) if command else tr("&Redo")


def undo_action(stack, parent) -> QAction:
    action = QAction(_undo_text(stack.undoText()), parent)
    action.setShortcut(QKeySequence.StandardKey.Undo)
    action.setEnabled(stack.canUndo())
    action.triggered.connect(stack.undo)
    stack.undoTextChanged.connect(lambda command: action.setText(_undo_text(command)))
    stack.canUndoChanged.connect(action.setEnabled)
    return action


def redo_action(stack, parent) -> QAction:
    action = QAction(_redo_text(stack.redoText()), parent)
    action.setShortcut(QKeySequence.StandardKey.Redo)
    action.setEnabled(stack.canRedo())
    action.triggered.connect(stack.redo)
    stack.redoTextChanged.connect(lambda command: action.setText(_redo_text(command)))
    stack.canRedoChanged.connect(action.setEnabled)
    return action
