"""The open program as a QObject: the model every view listens to.

Views never change ``program`` directly: they push commands (``commands.py``) on
``undo_stack``; a command calls ``set_program`` and the document announces the
change. Running the program is not the document's job (see ``run_controller``).
"""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from explorer.program.steps import Program


class ProgramDocument(QObject):
    # program changed; the argument is the block location to focus, or None.
    programChanged = Signal(object)
    pathChanged = Signal(str)
    modifiedChanged = Signal(bool)
    opened = Signal()          # reset() put a new or freshly loaded program in place

    def __init__(self, parent=None):
        super().__init__(parent)
        self.program = Program(())
        self.path = ""
        # Fields of the file the program came from (title, narration, ...), kept on save.
        self.fields = {}
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(self._clean_changed)

    def _clean_changed(self, clean: bool):
        self.modifiedChanged.emit(not clean)

    @property
    def modified(self) -> bool:
        return not self.undo_stack.isClean()

    def set_program(self, program: Program, focus=None):
        """Called by commands only."""
        self.program = program
        self.programChanged.emit(focus)

    def push(self, command):
        self.undo_stack.push(command)

    def reset(self, program: Program, path: str = "", fields: dict | None = None):
        """A new or freshly opened document: no history, nothing unsaved."""
        self.undo_stack.clear()
        self.program = program
        self.fields = dict(fields or {})
        self.set_path(path)
        self.undo_stack.setClean()
        self.programChanged.emit(None)
        self.modifiedChanged.emit(False)
        self.opened.emit()

    def set_path(self, path: str):
        self.path = path
        self.pathChanged.emit(path)

    def mark_saved(self, path: str):
        self.set_path(path)
        self.undo_stack.setClean()
