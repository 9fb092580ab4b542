"""Every text a main window shows: its widgets, actions, menus and tree items."""
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QDockWidget,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QTabWidget,
    QTreeWidget,
    QWidget,
)


def _tree_texts(tree):
    pending = [tree.topLevelItem(index) for index in range(tree.topLevelItemCount())]
    while pending:
        item = pending.pop()
        for column in range(item.columnCount()):
            yield item.text(column), item
            yield item.toolTip(column), item
        pending.extend(item.child(index) for index in range(item.childCount()))


def shown_texts(window, skip=()):
    """(text, where) pairs for every text of ``window``; widgets in ``skip`` (and below) left out."""
    widgets = [window] + window.findChildren(QWidget)
    skipped = set()
    for widget in skip:
        skipped.add(widget)
        skipped.update(widget.findChildren(QWidget))
    actions = set(window.findChildren(QAction))
    for widget in widgets:
        if widget in skipped or isinstance(widget, QPlainTextEdit):
            continue
        actions.update(widget.actions())
        yield widget.toolTip(), widget
        if isinstance(widget, QDockWidget):
            yield widget.windowTitle(), widget
        if isinstance(widget, (QLabel, QAbstractButton)):
            yield widget.text(), widget
        if isinstance(widget, (QMenu,)):
            yield widget.title(), widget
        if isinstance(widget, QGroupBox):
            yield widget.title(), widget
        if isinstance(widget, QLineEdit):
            yield widget.placeholderText(), widget
        if isinstance(widget, QTabWidget):
            for index in range(widget.count()):
                yield widget.tabText(index), widget
        if isinstance(widget, QTreeWidget):
            yield from _tree_texts(widget)
    for action in actions:
        if action.isSeparator():
            continue
        yield action.text(), action
        yield action.toolTip(), action
