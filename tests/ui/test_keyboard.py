"""Keyboard paths a class relies on: Enter on a palette item adds the block, Ctrl+Z in
the code pane undoes edit after edit, and Help ▸ Keyboard Shortcuts lists the keys."""
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QTextCursor
from PySide6.QtWidgets import QApplication

from explorer.ui.program_bridge import parse_program

FIRST = "x = torch.ones(2)\n"
SECOND = "x = torch.ones(2)\ny = x * 2\n"
THIRD = "x = torch.ones(2)\ny = x * 2\nz = y + 1\n"


def _type(window, qtbot, text):
    editor = window.code_pane.editor
    editor.setFocus()
    editor.moveCursor(QTextCursor.MoveOperation.End)
    for line in text.splitlines():
        qtbot.keyClicks(editor, line)
        qtbot.keyClick(editor, Qt.Key.Key_Return)
    window.code_pane.parse_now()


def test_second_ctrl_z_in_the_code_pane_does_nothing_no_more(window, qtbot, monkeypatch):
    from explorer.ui import commands
    monkeypatch.setattr(commands, "TYPING_BURST_S", -1.0)   # each burst below comes "after a pause"
    window.open_program(parse_program(FIRST))
    _type(window, qtbot, "y = x * 2\n")
    _type(window, qtbot, "z = y + 1\n")
    assert window.document.program == parse_program(THIRD)
    editor = window.code_pane.editor
    qtbot.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    window.code_pane.parse_now()
    assert window.document.program == parse_program(SECOND)
    qtbot.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    window.code_pane.parse_now()
    assert window.document.program == parse_program(FIRST)
    redo = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(editor, Qt.Key.Key_Z, redo)
    window.code_pane.parse_now()
    assert window.document.program == parse_program(SECOND)


def test_enter_on_a_palette_item_does_nothing_no_more(window, qtbot):
    window.open_program(parse_program(""))
    palette = window.palette
    item = next(palette.item_for(key) for key in ("ones", "tensor", "randn") if palette.item_for(key))
    palette.setCurrentItem(item)
    palette.setFocus()
    before = len(window.document.program.steps)
    qtbot.keyClick(palette, Qt.Key.Key_Return)
    assert len(window.document.program.steps) == before + 1


def test_help_menu_has_a_keyboard_shortcuts_page(window):
    titles = [action.text().replace("&", "") for action in window.menuBar().actions()]
    assert "Help" in titles
    window.shortcuts_action.trigger()
    QApplication.processEvents()
    page = window.shortcuts_page
    assert page.isVisible()
    text = page.text()
    for keys in ("F5", QKeySequence("Ctrl+0").toString(QKeySequence.SequenceFormat.NativeText)):
        assert keys in text
    page.close()
