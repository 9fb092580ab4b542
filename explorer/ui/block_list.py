"""The program as a stack of blocks: nested for scopes and loops, edited in place.

The tree is rebuilt from the document whenever the program changes; every
change the user makes here (edit, drag, delete, duplicate, disable, insert from
the palette) becomes a command on the document's undo stack.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QBrush, QColor, QIcon, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QTreeWidget, QTreeWidgetItem

from explorer.drawing.fonts import code_font
from explorer.program.expressions import op_name
from explorer.program.steps import Assign, Code, ExprStatement, For, If, Import, While, With

from . import commands, program_edit
from .block_catalog import BLOCKS_BY_KEY, MIME_TYPE
from .output_marks import mark_icon
from .program_bridge import step_source
from .step_form import StepForm
from .translation import tr

LOCATION_ROLE = Qt.ItemDataRole.UserRole + 1
CATEGORY_COLOURS = {
    "Create": "#e3f2fd", "Arithmetic": "#e8f5e9", "Autograd": "#fff3e0", "Scopes": "#ede7f6",
    "Control": "#fce4ec", "Print": "#f5f5f5", "Code": "#eceff1", "Other": "#ffffff",
}
AUTOGRAD_METHODS = {"backward", "zero_", "detach", "requires_grad_", "retain_grad", "register_hook"}


def block_category(step) -> str:
    kind = type(step)
    if kind is Code:
        return "Code"
    if kind is With:
        return "Scopes"
    if kind in (For, While, If) or kind.__name__ in ("Break", "Continue", "Pass"):
        return "Control"
    if kind is Import:
        return "Create"
    value = getattr(step, "value", None)
    if kind is ExprStatement and op_name(value) == "print":
        return "Print"
    if op_name(value) in AUTOGRAD_METHODS or kind.__name__ in ("AttrAssign", "AugAssign"):
        return "Autograd"
    if kind is Assign and op_name(value) in ("ones", "zeros", "randn", "rand", "tensor", "arange"):
        return "Create"
    return "Arithmetic"


def code_block_title(source: str) -> str:
    """A code block's one-line face: its first line of code, and a mark when more follow."""
    lines = source.split("\n")
    for number, line in enumerate(lines):
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            more = any(rest.strip() for rest in lines[number + 1:])
            return stripped + ("  …" if more else "")
    return lines[0].strip()


class BlockList(QTreeWidget):
    """Blocks of ``document.program``; ``current_location()`` is where the palette inserts."""

    locationSelected = Signal(object)

    def __init__(self, document, parent=None):
        super().__init__(parent)
        self.document = document
        self.form = None
        self._form_item = None
        self._items = {}
        self._output_marks = {}  # top-level step index -> (status, tooltip); see output_marks.py
        self.setHeaderHidden(True)
        self.setFont(code_font())
        self.setIndentation(self.fontMetrics().horizontalAdvance("MM"))
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self._add_actions()
        self.currentItemChanged.connect(self._show_form)
        document.programChanged.connect(self.rebuild)
        self.rebuild(None)

    def _add_actions(self):
        def action(text, shortcut, slot):
            item = QAction(text, self)
            item.setShortcut(QKeySequence(shortcut))
            item.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            item.triggered.connect(slot)
            self.addAction(item)
            return item
        self.delete_action = action(tr("Delete Block"), QKeySequence.StandardKey.Delete, self.delete_current)
        self.duplicate_action = action(tr("Duplicate Block"), "Ctrl+D", self.duplicate_current)
        self.disable_action = action(tr("Disable / Enable Block"), "Ctrl+/", self.toggle_current)
        self.move_up_action = action(tr("Move Up"), "Alt+Up", lambda: self.move_current(-1))
        self.move_down_action = action(tr("Move Down"), "Alt+Down", lambda: self.move_current(+1))

    # ------------------------------------------------------------------ model -> tree
    def rebuild(self, focus=None):
        keep = focus if focus is not None else self.current_location()
        self._close_form()
        self.blockSignals(True)
        self.clear()
        self._items = {}
        program = self.document.program
        for where, step, _depth in program_edit.iter_locations(program):
            parent_item = self._items.get(where[0]) if where[0] is not None else None
            item = QTreeWidgetItem(parent_item if parent_item is not None else self)
            if parent_item is None:
                self.addTopLevelItem(item)
            self._describe(item, step, where)
            self._items[where] = item
        self.expandAll()
        self.blockSignals(False)
        if keep is not None:
            self.select_location(self._nearest(keep))

    def _describe(self, item, step, where):
        text = code_block_title(step.source) if type(step) is Code else \
            step_source(step).split("\n")[0]
        item.setToolTip(0, step.source if type(step) is Code else "")
        if where[0] is None and where[2] in self._output_marks:
            self._mark(item, *self._output_marks[where[2]])
        if where[1] == 1 and where[2] == 0:
            text = "else: " + text   # the first block of an If's else branch
        item.setText(0, text)
        item.setData(0, LOCATION_ROLE, where)
        item.setBackground(0, QBrush(QColor(CATEGORY_COLOURS.get(block_category(step), "#ffffff"))))
        if step.disabled:
            item.setForeground(0, QBrush(QColor("#9aa0a6")))
        flags = item.flags() | Qt.ItemFlag.ItemIsDragEnabled
        if step.bodies():
            flags |= Qt.ItemFlag.ItemIsDropEnabled
        else:
            flags &= ~Qt.ItemFlag.ItemIsDropEnabled
        item.setFlags(flags)

    def show_output_marks(self, marks: dict):
        """Mark the first block of each imported cell: does the run print what the page
        shows? ``marks``: {top-level step index: (status, tooltip)}."""
        self._output_marks = dict(marks)
        for index in range(self.topLevelItemCount()):
            item = self.topLevelItem(index)
            if index in self._output_marks:
                self._mark(item, *self._output_marks[index])
            elif not item.icon(0).isNull():
                item.setIcon(0, QIcon())
                step = self.document.program.steps[index] \
                    if index < len(self.document.program.steps) else None
                item.setToolTip(0, step.source if type(step) is Code else "")

    def _mark(self, item, status, tooltip):
        item.setIcon(0, mark_icon(status))
        item.setToolTip(0, tooltip)

    def _nearest(self, where):
        """``where`` if it still names a block, else the block before it, else None."""
        while where is not None:
            if where in self._items:
                return where
            parent, body, index = where
            where = (parent, body, index - 1) if index > 0 else parent
        return None

    # ------------------------------------------------------------------ selection and form
    def current_location(self):
        item = self.currentItem()
        return item.data(0, LOCATION_ROLE) if item is not None else None

    def select_location(self, where):
        item = self._items.get(where)
        if item is not None:
            self.setCurrentItem(item)
        else:
            self.setCurrentItem(None)

    def item_at(self, where):
        return self._items.get(where)

    def warm_up(self):
        """Build one block form and throw it away, right after the window first shows: the first
        form of a session makes Qt set up its line edits and editable combo boxes (about 0.1 s),
        which would otherwise stall the first program opened."""
        from explorer.program.expressions import Constant
        from explorer.program.steps import Assign
        form = StepForm(Assign(("x",), Constant(1)), ("x",), self)
        form.adjustSize()
        form.deleteLater()

    def _close_form(self):
        if self._form_item is not None:
            self.removeItemWidget(self._form_item, 0)
            self._form_item.setText(0, self._form_text)
        self.form = None
        self._form_item = None

    def _show_form(self, current, _previous=None):
        self._close_form()
        if current is None:
            self.locationSelected.emit(None)
            return
        where = current.data(0, LOCATION_ROLE)
        program = self.document.program
        step = program_edit.step_at(program, where)
        self.form = StepForm(step, program_edit.variables_in_scope(program, where))
        self.form.stepEdited.connect(lambda new_step, at=where: self._edit(at, new_step))
        self._form_item = current
        self._form_text = current.text(0)
        current.setText(0, "")
        self.setItemWidget(current, 0, self.form)
        self.locationSelected.emit(where)

    def _edit(self, where, step):
        # Safe while the form is on the call stack: the tree deletes item widgets with deleteLater.
        self.document.push(commands.edit_command(self.document, where, step))

    # ------------------------------------------------------------------ block actions
    def insertion_slot(self):
        """Where a new block goes: after the current block, or at the end."""
        where = self.current_location()
        if where is None:
            return (None, 0, len(self.document.program.steps))
        return (where[0], where[1], where[2] + 1)

    def insert_block(self, key: str, slot=None):
        slot = slot if slot is not None else self.insertion_slot()
        scope = program_edit.variables_in_scope(self.document.program, slot) if self.document.program.steps \
            else ()
        step = BLOCKS_BY_KEY[key].make(tuple(scope))
        self.document.push(commands.insert_command(self.document, slot, step))

    def delete_current(self):
        where = self.current_location()
        if where is not None:
            self.document.push(commands.remove_command(self.document, where))

    def duplicate_current(self):
        where = self.current_location()
        if where is not None:
            self.document.push(commands.duplicate_command(self.document, where))

    def toggle_current(self):
        where = self.current_location()
        if where is not None:
            self.document.push(commands.toggle_disabled_command(self.document, where))

    def move_current(self, offset: int):
        where = self.current_location()
        if where is None:
            return
        parent, body, index = where
        length = program_edit.body_length(self.document.program, parent, body)
        target_index = index + offset
        if not 0 <= target_index < length:
            return
        # A slot counts positions before the move: moving down skips past the next block.
        slot = (parent, body, target_index + 1 if offset > 0 else target_index)
        self.document.push(commands.move_command(self.document, where, slot))

    # ------------------------------------------------------------------ drag and drop
    def mimeTypes(self):
        return super().mimeTypes() + [MIME_TYPE]

    def dragEnterEvent(self, event):
        if event.mimeData().hasFormat(MIME_TYPE) or event.source() is self:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event):
        super().dragMoveEvent(event)
        if event.mimeData().hasFormat(MIME_TYPE):
            event.acceptProposedAction()

    def dropEvent(self, event):
        slot = self._drop_slot(event.position().toPoint())
        mime = event.mimeData()
        # Never let Qt move tree items itself: the tree is rebuilt from the model.
        event.setDropAction(Qt.DropAction.IgnoreAction)
        event.accept()
        if mime.hasFormat(MIME_TYPE):
            key = bytes(mime.data(MIME_TYPE)).decode()
            QTimer.singleShot(0, lambda: self.insert_block(key, slot))
        elif event.source() is self and self.current_location() is not None:
            source = self.current_location()
            if not program_edit.is_inside(slot, source):
                QTimer.singleShot(0, lambda: self.document.push(
                    commands.move_command(self.document, source, slot)))

    def _drop_slot(self, point):
        item = self.itemAt(point)
        if item is None:
            return (None, 0, len(self.document.program.steps))
        where = item.data(0, LOCATION_ROLE)
        position = self.dropIndicatorPosition()
        indicator = QAbstractItemView.DropIndicatorPosition
        if position == indicator.OnItem and program_edit.step_at(self.document.program, where).bodies():
            return (where, 0, program_edit.body_length(self.document.program, where, 0))
        if position == indicator.AboveItem:
            return where
        return (where[0], where[1], where[2] + 1)
