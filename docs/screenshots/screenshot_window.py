"""The main window as the picture scripts beside this file draw it: settings in a
throwaway folder (a picture must not depend on, or change, the user's), never asking
to save, at a given size."""
from __future__ import annotations

import os
import sys
import tempfile

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QApplication


def settle():
    for _ in range(20):
        QCoreApplication.processEvents()


def screenshot_window(width: int = 1920, height: int = 1080):
    """(application, window): the application must outlive the window."""
    application = QApplication.instance() or QApplication(sys.argv[:1])
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tempfile.mkdtemp())
    os.environ.setdefault("AUTOGRAD_EXPLORER_DATA_DIR", tempfile.mkdtemp())
    from explorer.ui.main_window import MainWindow

    window = MainWindow("autograd-explorer-screenshots")
    window.files.ask_save_changes = lambda: "discard"
    window.resize(width, height)
    window.show()
    return application, window
