"""Translated UI text, and retranslating what is already on screen.

Every interface string goes through ``tr("English text")`` or, with values,
``trf("frame {index} / {count}", index=..., count=...)``. ``pyside6-lupdate``
collects both (see ``assets/translations/README.md``); they share the empty
context, so one catalogue serves all widgets.

Switching language at run time: Qt sends LanguageChange, and ``retranslate_tree``
walks a window's widgets, actions, menus and tree items and replaces each text by
its translation. It knows a shown text's English source because ``tr`` and ``trf``
remember every (shown -> source) pair they produce. Views whose texts depend on
their data (the timeline position, the inspector) redraw themselves instead.
"""
from __future__ import annotations

from collections import OrderedDict

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QDockWidget,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QMenu,
    QTabWidget,
    QTreeWidget,
    QWidget,
)

CONTEXT = ""
# Enough for every static text and the recent dynamic ones; the oldest are forgotten first.
MAX_REMEMBERED = 4000

# shown text -> (source, format values or None)
_sources: OrderedDict[str, tuple[str, dict | None]] = OrderedDict()


def tr(text: str) -> str:
    shown = QCoreApplication.translate(CONTEXT, text)
    _remember(shown, text, None)
    return shown


def trf(text: str, **values) -> str:
    shown = QCoreApplication.translate(CONTEXT, text).format(**values)
    _remember(shown, text, values)
    return shown


def _remember(shown: str, source: str, values: dict | None):
    _sources[shown] = (source, values)
    _sources.move_to_end(shown)
    while len(_sources) > MAX_REMEMBERED:
        _sources.popitem(last=False)


def _source_of(shown: str) -> tuple[str, dict | None]:
    return _sources.get(shown, (shown, None))


def _translated(source: str, values: dict | None) -> str:
    if values is None:
        return tr(source)
    # Values that are UI texts themselves (a tooltip inside a template) switch language too.
    return trf(source, **{key: retranslated(value) if isinstance(value, str) else value
                          for key, value in values.items()})


def retranslated(shown: str) -> str:
    """``shown`` in the current language, or unchanged when it is not a known UI text."""
    if not shown:
        return shown
    return _translated(*_source_of(shown))


# (object id, property, index) -> (the text set there on the last switch, its source, values).
# Two sources may share a translation ("Step back", "One step back" -> 后退一步): the text
# shown alone cannot say which one to go back to, the place it was set in can.
_placed: dict[tuple, tuple[str, str, dict | None]] = {}


def _retranslate_property(owner, getter, setter, *index):
    """Replace ``getter(*index)`` by its translation through ``setter(*index, text)``."""
    old = getter(*index)
    if not old:
        return
    place = (id(owner), getter.__name__, index)
    placed = _placed.get(place)
    source, values = placed[1:] if placed is not None and placed[0] == old else _source_of(old)
    new = _translated(source, values)
    _placed[place] = (new, source, values)
    if new != old:
        setter(*index, new)


def retranslate_action(action: QAction):
    _retranslate_property(action, action.text, action.setText)
    _retranslate_property(action, action.toolTip, action.setToolTip)
    _retranslate_property(action, action.statusTip, action.setStatusTip)


def retranslate_widget(widget: QWidget):
    """One widget's own texts (not its children's)."""
    _retranslate_property(widget, widget.toolTip, widget.setToolTip)
    _retranslate_property(widget, widget.statusTip, widget.setStatusTip)
    if isinstance(widget, QDockWidget) or widget.isWindow():
        _retranslate_property(widget, widget.windowTitle, widget.setWindowTitle)
    if isinstance(widget, (QLabel, QAbstractButton)):
        _retranslate_property(widget, widget.text, widget.setText)
    if isinstance(widget, QMenu):
        _retranslate_property(widget, widget.title, widget.setTitle)
    if isinstance(widget, QGroupBox):
        _retranslate_property(widget, widget.title, widget.setTitle)
    if isinstance(widget, QLineEdit):
        _retranslate_property(widget, widget.placeholderText, widget.setPlaceholderText)
    if isinstance(widget, QTabWidget):
        for index in range(widget.count()):
            _retranslate_property(widget, widget.tabText, widget.setTabText, index)
    if isinstance(widget, QComboBox) and not widget.isEditable():
        for index in range(widget.count()):
            _retranslate_property(widget, widget.itemText, widget.setItemText, index)
    if isinstance(widget, QTreeWidget):
        _retranslate_tree_items(widget)
    if isinstance(widget, QListWidget):
        for row in range(widget.count()):
            item = widget.item(row)
            _retranslate_property(item, item.text, item.setText)
            _retranslate_property(item, item.toolTip, item.setToolTip)


def _retranslate_tree_items(tree: QTreeWidget):
    pending = [tree.topLevelItem(index) for index in range(tree.topLevelItemCount())]
    while pending:
        item = pending.pop()
        for column in range(item.columnCount()):
            _retranslate_property(item, item.text, item.setText, column)
            _retranslate_property(item, item.toolTip, item.setToolTip, column)
        pending.extend(item.child(index) for index in range(item.childCount()))


def retranslate_tree(root: QWidget):
    """Retranslate ``root``, every widget and action below it, and the menus they use."""
    widgets = [root] + root.findChildren(QWidget)
    actions = set(root.findChildren(QAction))
    for widget in widgets:
        retranslate_widget(widget)
        actions.update(widget.actions())
    for action in actions:
        retranslate_action(action)
        menu = action.menu()
        if menu is not None and menu not in widgets:
            retranslate_widget(menu)
