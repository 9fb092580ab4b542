"""Renders the window with the seed tutorial page imported as a lesson: its Chinese
narration and a mark per shown output (run from the repository root).

    QT_QPA_PLATFORM=offscreen python docs/screenshots/render_imported_tutorial.py
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QApplication

from explorer.ui.main_window import MainWindow

HERE = Path(__file__).resolve().parent
PAGE = HERE.parents[1] / "tests" / "sources" / "data" / "tutorial-2.2-autograd.html"
# The frame shown: the last step of the requires_grad_ cell, both graphs of the page drawn.
CELL = 5


def settle():
    for _ in range(20):
        QCoreApplication.processEvents()


def main():
    application = QApplication.instance() or QApplication(sys.argv[:1])
    # Settings in a throwaway folder: a picture must not depend on (or change) the user's.
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tempfile.mkdtemp())
    os.environ.setdefault("AUTOGRAD_EXPLORER_DATA_DIR", tempfile.mkdtemp())
    window = MainWindow("autograd-explorer-screenshots")
    window.files.ask_save_changes = lambda: "discard"
    window.resize(1920, 1080)
    window.show()
    window.files.load(str(PAGE))
    controller = window.controller
    controller.wait(60)
    cells = window.document.fields["cells"]
    last = sum(cell.steps for cell in cells[:CELL + 1]) - 1
    index = next(i for i, frame in enumerate(controller.frames) if frame.path == (last,))
    controller.go_to(index)
    settle()
    window.grab().save(str(HERE / "imported-tutorial.png"))
    window.close()
    del application


if __name__ == "__main__":
    main()
