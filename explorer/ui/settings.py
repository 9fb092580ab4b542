"""QSettings in one place: window state, recent files, preferences.

Tests point QSettings at a temporary folder (``QSettings.setPath``) or use their
own organisation name, so they never touch a real user's settings.
"""
from __future__ import annotations

import os

from PySide6.QtCore import QSettings

ORGANISATION = "autograd-explorer"
APPLICATION = "Autograd Explorer"
MAX_RECENT_FILES = 8


def app_settings(organisation: str = ORGANISATION) -> QSettings:
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, organisation, APPLICATION)


class Preferences:
    def __init__(self, organisation: str = ORGANISATION):
        self.settings = app_settings(organisation)

    def recent_files(self) -> list[str]:
        value = self.settings.value("recent_files", [])
        if isinstance(value, str):
            value = [value]
        return [path for path in (value or []) if isinstance(path, str)]

    def add_recent_file(self, path: str):
        path = os.path.abspath(path)
        files = [path] + [other for other in self.recent_files() if other != path]
        self.settings.setValue("recent_files", files[:MAX_RECENT_FILES])

    def clear_recent_files(self):
        self.settings.setValue("recent_files", [])

    def save_window(self, window):
        self.settings.setValue("window/geometry", window.saveGeometry())
        self.settings.setValue("window/state", window.saveState())

    def restore_window(self, window) -> bool:
        geometry = self.settings.value("window/geometry")
        state = self.settings.value("window/state")
        restored = False
        if geometry is not None:
            restored = window.restoreGeometry(geometry)
        if state is not None:
            window.restoreState(state)
        return restored

    def value(self, key: str, default=None):
        return self.settings.value(f"preferences/{key}", default)

    def set_value(self, key: str, value):
        self.settings.setValue(f"preferences/{key}", value)

    def sync(self):
        self.settings.sync()
