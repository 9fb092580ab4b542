"""Every block kind, grouped; double-click or drag one into the program."""
from __future__ import annotations

from PySide6.QtCore import QMimeData, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QTreeWidget, QTreeWidgetItem

from explorer.drawing.fonts import character_width

from .block_catalog import BLOCKS, CATEGORIES, MIME_TYPE, blocks_in
from .translation import tr, trf

KEY_ROLE = Qt.ItemDataRole.UserRole + 2


class BlockPalette(QTreeWidget):
    blockActivated = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        for category in CATEGORIES:
            group = QTreeWidgetItem(self, [tr(category)])
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            for kind in blocks_in(category):
                item = QTreeWidgetItem(group, [kind.title])
                item.setData(0, KEY_ROLE, kind.key)
                item.setToolTip(0, kind.tip or trf("Double-click or drag to add: {title}", title=kind.title))
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                              | Qt.ItemFlag.ItemIsDragEnabled)
        self.expandAll()
        self.itemDoubleClicked.connect(self._activated)
        widest = max(self.fontMetrics().horizontalAdvance(kind.title) for kind in BLOCKS)
        self.setMinimumWidth(widest + self.indentation() + round(character_width(self.fontMetrics()) * 3))

    def item_for(self, key: str) -> QTreeWidgetItem | None:
        for group_index in range(self.topLevelItemCount()):
            group = self.topLevelItem(group_index)
            for index in range(group.childCount()):
                if group.child(index).data(0, KEY_ROLE) == key:
                    return group.child(index)
        return None

    def keyPressEvent(self, event):
        # Enter adds the current block, as a double-click does (keyboard-only use, a clicker).
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentItem() is not None \
                and self.currentItem().data(0, KEY_ROLE):
            self._activated(self.currentItem())
            event.accept()
            return
        super().keyPressEvent(event)

    def _activated(self, item, _column=0):
        key = item.data(0, KEY_ROLE)
        if key:
            self.blockActivated.emit(key)

    def mimeTypes(self):
        return [MIME_TYPE]

    def mimeData(self, items):
        data = QMimeData()
        keys = [item.data(0, KEY_ROLE) for item in items if item.data(0, KEY_ROLE)]
        if keys:
            data.setData(MIME_TYPE, keys[0].encode())
        return data
