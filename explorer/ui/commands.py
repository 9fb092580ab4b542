"""Every edit of the program as a ``QUndoCommand``.

``redo()`` and ``undo()`` only hand a new immutable Program to the document; the
views hear about it through the document's signal and redraw. Because programs
are immutable values, undo simply restores the program the command started from.
"""
from __future__ import annotations

import time

from PySide6.QtGui import QUndoCommand

from explorer.program.steps import Program

from . import program_edit
from .translation import tr

# Consecutive code-pane edits within one typing burst (at most this many seconds
# apart) merge into one undo step.
TYPING_BURST_S = 2.0
CODE_EDIT_ID = 1001


class ProgramCommand(QUndoCommand):
    """Replace the program with one computed once, remembering the one before."""

    def __init__(self, document, text: str, after: Program, focus=None):
        super().__init__(text)
        self.document = document
        self.before = document.program
        self.after = after
        # Which block the views should select after the edit (a location, or None).
        self.focus = focus

    def redo(self):
        self.document.set_program(self.after, self.focus)

    def undo(self):
        self.document.set_program(self.before, None)


def insert_command(document, where, step, text=None):
    text = text or tr("Insert Block")
    after = program_edit.insert_step(document.program, where, step)
    return ProgramCommand(document, text, after, focus=where)


def remove_command(document, where):
    after = program_edit.remove_step(document.program, where)
    return ProgramCommand(document, tr("Delete Block"), after)


def edit_command(document, where, step):
    after = program_edit.replace_step(document.program, where, step)
    return ProgramCommand(document, tr("Edit Block"), after, focus=where)


def duplicate_command(document, where):
    step = program_edit.step_at(document.program, where)
    copy_at = (where[0], where[1], where[2] + 1)
    return insert_command(document, copy_at, step, tr("Duplicate Block"))


def toggle_disabled_command(document, where):
    step = program_edit.step_at(document.program, where)
    text = tr("Enable Block") if step.disabled else tr("Disable Block")
    after = program_edit.replace_step(document.program, where, _with_disabled(step, not step.disabled))
    return ProgramCommand(document, text, after, focus=where)


def move_command(document, source, target):
    after, landed = program_edit.move_step(document.program, source, target)
    return ProgramCommand(document, tr("Move Block"), after, focus=landed)


class CodeEditCommand(ProgramCommand):
    """A program typed in the code pane; a burst of typing undoes as one step."""

    def __init__(self, document, after: Program):
        super().__init__(document, tr("Edit Code"), after)
        self.typed_at = time.monotonic()

    def id(self):
        return CODE_EDIT_ID

    def mergeWith(self, other):
        # Typing after a pause is a new step to undo (merged for ever, a second Ctrl+Z
        # had nothing left to undo).
        if other.id() != self.id() or other.typed_at - self.typed_at > TYPING_BURST_S:
            return False
        self.after = other.after
        self.typed_at = other.typed_at
        return True


def _with_disabled(step, disabled: bool):
    from dataclasses import replace
    return replace(step, disabled=disabled)
