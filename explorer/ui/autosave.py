"""Nothing lost: the open program is saved aside every 30 s and offered back after a crash.

Each running app holds one numbered slot in the user data folder: a lock file
(``QLockFile``, so a crashed app's lock is recognised as stale) and, while the
program has unsaved changes, ``autosave-N.agx.json`` with ``autosave-N.json``
naming the file it belongs to. Writes go through the program layer's atomic save,
so a crash mid-write leaves the previous autosave whole. A clean exit removes
the slot's files; a slot whose files survive was left by a crash, and the next
start that takes the slot offers to restore it.

Tests point the folder elsewhere with ``AUTOGRAD_EXPLORER_DATA_DIR`` (or the
``folder`` argument) and shorten the interval with ``AUTOGRAD_EXPLORER_AUTOSAVE_MS``.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, QStandardPaths, QTimer, Signal
from PySide6.QtWidgets import QMessageBox

from explorer.program.steps import Program

from .commands import ProgramCommand
from .program_bridge import ProgramFileError, load_program, save_program
from .translation import tr, trf

DEFAULT_INTERVAL_MS = 30_000
MAX_SLOTS = 16
RESTORE, DISCARD = "restore", "discard"
FOLDER_VARIABLE = "AUTOGRAD_EXPLORER_DATA_DIR"
INTERVAL_VARIABLE = "AUTOGRAD_EXPLORER_AUTOSAVE_MS"


def data_folder() -> Path:
    """Where autosaves live: the override when set, else the platform's app data folder."""
    override = os.environ.get(FOLDER_VARIABLE)
    if override:
        return Path(override)
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(location or os.path.expanduser("~/.autograd-explorer"))


def default_interval_ms() -> int:
    value = os.environ.get(INTERVAL_VARIABLE, "")
    return int(value) if value.isdigit() and int(value) > 0 else DEFAULT_INTERVAL_MS


class Autosave(QObject):
    """Autosaves one window's document into a slot of ``folder``."""

    saved = Signal(str)
    failed = Signal(str)

    def __init__(self, document, files, folder: Path | str | None = None, interval_ms: int | None = None,
                 parent=None):
        super().__init__(parent)
        self.document = document
        self.files = files
        self.folder = Path(folder) if folder is not None else data_folder()
        self.lock = None
        self.slot = None
        self._saved_index = None
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms or default_interval_ms())
        self.timer.timeout.connect(self.save_now)
        self._take_slot()
        if self.slot is not None:
            self.timer.start()

    # ------------------------------------------------------------------ slot
    def _take_slot(self):
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            self.failed.emit(trf("Autosave is off: cannot create {folder}: {error}",
                                 folder=str(self.folder), error=str(error)))
            return
        for number in range(1, MAX_SLOTS + 1):
            lock = QLockFile(str(self.folder / f"autosave-{number}.lock"))
            # A lock of a process that no longer runs counts as stale at once.
            lock.setStaleLockTime(0)
            if lock.tryLock(0):
                self.lock, self.slot = lock, number
                return

    @property
    def program_path(self) -> Path:
        return self.folder / f"autosave-{self.slot}.agx.json"

    @property
    def info_path(self) -> Path:
        return self.folder / f"autosave-{self.slot}.json"

    # ------------------------------------------------------------------ saving
    def save_now(self) -> bool:
        """Save the program aside if it has changes not yet saved aside; True when it wrote."""
        if self.slot is None:
            return False
        if not self.document.modified:
            # Everything is in its file (or deliberately unsaved-and-undone): nothing to protect.
            self.remove()
            return False
        index = self.document.undo_stack.index()
        if index == self._saved_index and self.program_path.exists():
            return False
        try:
            save_program(str(self.program_path), self.document.program, self.document.fields)
            self._write_info({"path": self.document.path})
        except (OSError, ProgramFileError, ValueError) as error:
            self.failed.emit(trf("Autosave failed: {error}", error=str(error)))
            return False
        self._saved_index = index
        self.saved.emit(str(self.program_path))
        return True

    def _write_info(self, info: dict):
        temporary = self.info_path.with_suffix(".tmp")
        temporary.write_text(json.dumps(info), encoding="utf-8")
        os.replace(temporary, self.info_path)

    def remove(self):
        for path in (self.program_path, self.info_path):
            path.unlink(missing_ok=True)
        self._saved_index = None

    def finish(self):
        """A clean exit: no autosave left behind, the slot freed."""
        self.timer.stop()
        if self.slot is None:
            return
        self.remove()
        self.lock.unlock()
        self.slot = None

    # ------------------------------------------------------------------ restoring
    def has_crash_autosave(self) -> bool:
        return self.slot is not None and self.program_path.exists()

    def ask_restore(self, original_path: str) -> str:
        """Ask whether to restore; tests replace this to answer without a dialog."""
        where = original_path or tr("an untitled program")
        box = QMessageBox(QMessageBox.Icon.Question, tr("Restore unsaved work?"),
                          trf("Autograd Explorer did not close properly. Unsaved changes to {where} "
                              "were saved aside. Restore them?", where=where),
                          parent=self.parent())
        restore = box.addButton(tr("Restore"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(tr("Discard"), QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(restore)
        box.exec()
        return RESTORE if box.clickedButton() is restore else DISCARD

    def offer_restore(self) -> bool:
        """After a crash, ask and restore; True when the autosaved program is now open."""
        if not self.has_crash_autosave():
            return False
        original = self._read_info().get("path", "")
        if self.ask_restore(original) != RESTORE:
            self.remove()
            return False
        try:
            program, fields = load_program(str(self.program_path))
        except (OSError, ProgramFileError, ValueError) as error:
            # Keep the autosave file, out of this slot's way: someone may still rescue it
            # by hand, and the slot's next autosave would write over it.
            kept = self._keep_failed()
            self.failed.emit(trf("Cannot restore the autosave: {error}", error=str(error))
                             + (" " + trf("It is kept as {path}.", path=str(kept)) if kept else ""))
            return False
        self._restore(program, fields, original)
        return True

    def _restore(self, program, fields, original: str):
        """Open the autosaved program as an unsaved edit of its original file (undo goes back to it)."""
        base, base_fields = Program(()), fields
        if original:
            try:
                base, base_fields = load_program(original)
            except (OSError, ProgramFileError, ValueError):
                # The original cannot be read: Save must not overwrite it, so it asks where to save.
                self.files.unreadable_paths.add(os.path.abspath(original))
        self.document.reset(base, original, base_fields)
        self.document.fields = dict(fields)
        self.document.push(ProgramCommand(self.document, tr("Restore Autosave"), program))
        self.save_now()

    def _keep_failed(self) -> Path | None:
        """Rename the slot's autosave (and its info) to ``autosave-N-failed-K``, K unused;
        the new name, or None when it could not be renamed."""
        for number in range(1, 10_000):
            kept = self.folder / f"autosave-{self.slot}-failed-{number}.agx.json"
            if kept.exists():
                continue
            try:
                os.rename(self.program_path, kept)
                if self.info_path.exists():
                    os.rename(self.info_path, kept.with_name(kept.name.replace(".agx.json", ".json")))
            except OSError:
                return None
            return kept
        return None

    def _read_info(self) -> dict:
        try:
            info = json.loads(self.info_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return info if isinstance(info, dict) else {}
