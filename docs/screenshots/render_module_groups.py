"""Renders the window showing a Module's calls as boxes to PNG (run from the repository root).

    QT_QPA_PLATFORM=offscreen python docs/screenshots/render_module_groups.py
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

# Run as a script, the repository root must be importable (for tests.call_programs).
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import QCoreApplication, QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication

from explorer.ui.main_window import MainWindow
from explorer.ui.program_bridge import parse_program
from tests.call_programs import TWO_LAYER  # the program the group tests draw

HERE = Path(__file__).resolve().parent


def settle():
    for _ in range(20):
        QCoreApplication.processEvents()


def main():
    application = QApplication.instance() or QApplication(sys.argv[:1])
    # Settings in a throwaway folder: a picture must not depend on (or change) the user's.
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tempfile.mkdtemp())
    window = MainWindow("autograd-explorer-screenshots")
    window.files.ask_save_changes = lambda: "discard"
    window.resize(1920, 1080)
    window.show()
    window.open_program(parse_program(TWO_LAYER))
    controller = window.controller
    controller.go_to(len(controller.frames) - 1)
    settle()
    window.grab().save(str(HERE / "module-groups.png"))
    window.close()
    del application


if __name__ == "__main__":
    main()
