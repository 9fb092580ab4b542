"""Help ▸ Keyboard Shortcuts: every key the window answers to, on one page.

The menu actions' keys are read from the actions themselves (so the page never
disagrees with them); keys handled by event filters (the backward animation,
presentation mode) are listed from their own tables.
"""
from __future__ import annotations

import html

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QLabel, QScrollArea, QVBoxLayout

from .translation import tr

# Keys handled outside menu actions: (keys, what they do).
OTHER_KEYS = (
    ("Space", QT_TRANSLATE_NOOP("", "Backward animation: play / pause")),
    ("→ / ←", QT_TRANSLATE_NOOP("", "Backward animation: step forward / back")),
    ("Home / End", QT_TRANSLATE_NOOP("", "Backward animation: start / end")),
    ("PageDown / PageUp", QT_TRANSLATE_NOOP("", "Presentation: next / previous step")),
    ("B / .", QT_TRANSLATE_NOOP("", "Presentation: blank the screen")),
    ("Esc", QT_TRANSLATE_NOOP("", "Presentation: leave")),
    ("Enter", QT_TRANSLATE_NOOP("", "Blocks palette: add the chosen block")),
)


def action_rows(window) -> list[tuple[str, str]]:
    """(keys, action text) for every action of ``window``'s menus that has a shortcut."""
    rows, seen = [], set()
    pending = list(window.menuBar().actions())
    while pending:
        action = pending.pop(0)
        menu = action.menu()
        if menu is not None:
            pending.extend(menu.actions())
            continue
        keys = [key.toString(QKeySequence.SequenceFormat.NativeText) for key in action.shortcuts()]
        if not keys or action in seen:
            continue
        seen.add(action)
        rows.append((", ".join(keys), action.text().replace("&", "")))
    return rows


class ShortcutsPage(QDialog):
    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.setWindowTitle(tr("Keyboard Shortcuts"))
        self.label = QLabel(self)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.label)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll)
        metrics = self.fontMetrics()
        self.resize(metrics.averageCharWidth() * 70, metrics.height() * 32)

    def refresh(self):
        """Fill the page from the window's actions now (keys and language may have changed)."""
        rows = action_rows(self.window) + [(keys, tr(text)) for keys, text in OTHER_KEYS]
        cells = "".join(f"<tr><td><b>{html.escape(keys)}</b>&nbsp;&nbsp;</td>"
                        f"<td>{html.escape(text)}</td></tr>" for keys, text in rows)
        self.label.setText(f"<table cellspacing='4'>{cells}</table>")
        self.setWindowTitle(tr("Keyboard Shortcuts"))

    def text(self) -> str:
        return self.label.text()

    def show_page(self):
        self.refresh()
        self.show()


def add_help_menu(window) -> QAction:
    """Help ▸ Keyboard Shortcuts on ``window``'s menu bar; the action (F1)."""
    page = ShortcutsPage(window)
    menu = window.menuBar().addMenu(tr("&Help"))
    action = QAction(tr("&Keyboard Shortcuts"), window)
    action.setShortcut(QKeySequence(Qt.Key.Key_F1))
    action.triggered.connect(page.show_page)
    menu.addAction(action)
    window.shortcuts_page = page
    return action
