"""New, Open, Save, Save As and Recent Files for one document.

Dialogs are reached only through ``choose_open_path``, ``choose_save_path`` and
``ask_save_changes``, so tests (and scripts) can answer them without a modal loop.
"""
from __future__ import annotations

import os

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox

from explorer.lessons import is_bundled
from explorer.program.files import remove_leftover_temporaries
from explorer.program.steps import Program

from .program_bridge import ProgramFileError, load_program, save_program
from .translation import tr, trf

FILE_FILTER = QT_TRANSLATE_NOOP("", "Autograd Explorer files (*.agx.json *.json);;"
                                    "Python programs (*.py);;"
                                    "Tutorials (*.ipynb *.md *.markdown *.html *.htm *.py);;"
                                    "All files (*)")
TUTORIAL_FILTER = QT_TRANSLATE_NOOP("", "Tutorials (*.ipynb *.md *.markdown *.html *.htm *.py);;"
                                        "All files (*)")
SAVE_FILTER = QT_TRANSLATE_NOOP("", "Autograd Explorer files (*.agx.json);;Python programs (*.py)")
EXTENSION = ".agx.json"
SAVE, DISCARD, CANCEL = "save", "discard", "cancel"


class FileActions(QObject):
    fileOpened = Signal(str)
    failed = Signal(str)

    def __init__(self, window, document, preferences):
        super().__init__(window)
        self.window = window
        self.document = document
        self.preferences = preferences
        # Files that failed to load: Save never writes over them, it asks where to save instead.
        self.unreadable_paths = set()
        self.new_action = self._action(tr("&New"), QKeySequence.StandardKey.New, self.new)
        self.open_action = self._action(tr("&Open…"), QKeySequence.StandardKey.Open, self.open)
        self.save_action = self._action(tr("&Save"), QKeySequence.StandardKey.Save, self.save)
        self.save_as_action = self._action(tr("Save &As…"), QKeySequence.StandardKey.SaveAs, self.save_as)
        self.recent_menu = QMenu(tr("Open &Recent"), window)
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)

    def _action(self, text, shortcut, slot):
        action = QAction(text, self.window)
        action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        return action

    # ------------------------------------------------------------------ questions (overridable)
    def choose_open_path(self) -> str:
        path, _ = QFileDialog.getOpenFileName(self.window, tr("Open"), self._folder(), tr(FILE_FILTER))
        return path

    def choose_save_path(self) -> str:
        path, chosen = QFileDialog.getSaveFileName(self.window, tr("Save As"), self._folder(),
                                                   tr(SAVE_FILTER))
        if path and not os.path.splitext(path)[1] and chosen.endswith("(*.py)"):
            path += ".py"  # Save As Python writes the program's text
        return path

    def ask_save_changes(self) -> str:
        buttons = QMessageBox.StandardButton
        answer = QMessageBox.question(
            self.window, tr("Unsaved changes"), tr("The program has unsaved changes. Save them first?"),
            buttons.Save | buttons.Discard | buttons.Cancel, buttons.Save)
        return {buttons.Save: SAVE, buttons.Discard: DISCARD}.get(answer, CANCEL)

    def choose_tutorial_path(self) -> str:
        path, _ = QFileDialog.getOpenFileName(self.window, tr("Import tutorial"), self._folder(),
                                              tr(TUTORIAL_FILTER))
        return path

    def _folder(self) -> str:
        imported = self.document.fields.get("imported_from")
        if imported:
            return os.path.dirname(os.path.abspath(imported))
        return os.path.dirname(self.document.path) if self.document.path else os.path.expanduser("~")

    # ------------------------------------------------------------------ actions
    def may_discard(self) -> bool:
        """True when the current program may be replaced (saved, discarded, or unchanged)."""
        if not self.document.modified:
            return True
        answer = self.ask_save_changes()
        if answer == SAVE:
            return self.save()
        return answer == DISCARD

    def new(self) -> bool:
        if not self.may_discard():
            return False
        self.document.reset(Program(()))
        return True

    def open(self, path: str | None = None) -> bool:
        if not self.may_discard():
            return False
        path = path or self.choose_open_path()
        if not path:
            return False
        return self.load(path)

    def import_tutorial(self, path: str | None = None) -> bool:
        """Open a notebook, Markdown chapter, saved page or ``# %%`` script as a lesson."""
        if not self.may_discard():
            return False
        path = path or self.choose_tutorial_path()
        if not path:
            return False
        return self.load(path)

    def load(self, path: str) -> bool:
        """Open ``path`` without asking about unsaved changes (start-up, tests)."""
        try:
            program, fields = load_program(path)
        except (OSError, ProgramFileError, ValueError) as error:
            self.unreadable_paths.add(os.path.abspath(path))
            self.failed.emit(trf("Cannot open {path}: {error}", path=path, error=str(error)))
            return False
        self.unreadable_paths.discard(os.path.abspath(path))
        remove_leftover_temporaries(os.path.dirname(os.path.abspath(path)))  # from a killed save
        # An imported tutorial is a new lesson: Save asks for an .agx.json name, never
        # writing over the page it came from.
        own_path = "" if fields.get("imported_from") else os.path.abspath(path)
        self.document.reset(program, own_path, fields)
        self.preferences.add_recent_file(path)
        self.fileOpened.emit(path)
        return True

    def save(self) -> bool:
        if not self.document.path or self.document.path in self.unreadable_paths \
                or is_bundled(self.document.path):
            return self.save_as()  # a built-in lesson is never overwritten
        return self._write(self.document.path)

    def save_as(self) -> bool:
        path = self.choose_save_path()
        if not path:
            return False
        if not os.path.splitext(path)[1]:
            path += EXTENSION
        return self._write(path)

    def _write(self, path: str) -> bool:
        try:
            save_program(path, self.document.program, self.document.fields)
        except (OSError, ProgramFileError, ValueError) as error:
            self.failed.emit(trf("Cannot save {path}: {error}", path=path, error=str(error)))
            return False
        self.unreadable_paths.discard(os.path.abspath(path))
        self.document.mark_saved(os.path.abspath(path))
        self.preferences.add_recent_file(path)
        return True

    def _fill_recent_menu(self):
        self.recent_menu.clear()
        files = self.preferences.recent_files()
        for path in files:
            action = self.recent_menu.addAction(os.path.basename(path))
            action.setToolTip(path)
            action.triggered.connect(lambda _checked=False, chosen=path: self.open(chosen))
        if not files:
            self.recent_menu.addAction(tr("(none)")).setEnabled(False)
        else:
            self.recent_menu.addSeparator()
            self.recent_menu.addAction(tr("Clear Recent Files"), self.preferences.clear_recent_files)
