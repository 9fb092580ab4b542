"""Blocks dropped from the palette, and blocks dragged within the program."""
from PySide6.QtCore import QMimeData, QPointF, Qt
from PySide6.QtGui import QDropEvent

from explorer.ui.block_catalog import MIME_TYPE
from explorer.ui.program_bridge import parse_program, program_source

SOURCE = "x = torch.ones(2, requires_grad=True)\ny = x * 2\n"


def drop(window, mime, point, source=None):
    event = QDropEvent(QPointF(point), Qt.DropAction.MoveAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    window.block_list.dropEvent(event)
    return event


def test_palette_block_dropped_on_empty_space_goes_last(window, qtbot):
    window.open_program(parse_program(SOURCE))
    mime = QMimeData()
    mime.setData(MIME_TYPE, b"sum")
    bottom = window.block_list.viewport().rect().bottomLeft()
    drop(window, mime, bottom)
    qtbot.waitUntil(lambda: len(window.document.program.steps) == 3)
    assert program_source(window.document.program).splitlines()[-1] == "s = y.sum()"


def test_palette_mime_data_names_the_block(window):
    item = window.palette.item_for("mean")
    mime = window.palette.mimeData([item])
    assert bytes(mime.data(MIME_TYPE)) == b"mean"
