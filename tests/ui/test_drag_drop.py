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


def test_block_dragged_within_the_program_moves_there(window, qtbot):
    """Dragging the first block onto the last one puts it after the last one."""
    window.open_program(parse_program(SOURCE + "z = y + 1\n"))
    blocks = window.block_list
    first = blocks.topLevelItem(0)
    last = blocks.topLevelItem(blocks.topLevelItemCount() - 1)
    blocks.setCurrentItem(first)
    mime = blocks.mimeData([first])
    event = QDropEvent(QPointF(blocks.visualItemRect(last).center()), Qt.DropAction.MoveAction,
                       mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    # A synthetic event belongs to no drag; the source is what a real drag from the list has.
    event.source = lambda: blocks
    blocks.dropEvent(event)
    qtbot.waitUntil(lambda: program_source(window.document.program).splitlines()[0] == "y = x * 2")
    assert program_source(window.document.program).splitlines() == [
        "y = x * 2", "z = y + 1", "x = torch.ones(2, requires_grad=True)"]
    # Qt moved no item itself: the tree is rebuilt from the model, one item per block,
    # and the moved block stays selected (its form open) at its new place.
    assert blocks.topLevelItemCount() == 3
    assert [blocks.topLevelItem(i).text(0) for i in range(2)] == ["y = x * 2", "z = y + 1"]
    assert blocks.current_location() == (None, 0, 2)


def test_loop_dragged_into_its_own_body_stays_put(window, qtbot):
    """A block cannot become its own child: the drop changes nothing."""
    source = "x = torch.ones(2, requires_grad=True)\nfor i in range(2):\n    y = x * 2\n"
    window.open_program(parse_program(source))
    blocks = window.block_list
    loop = blocks.topLevelItem(1)
    child = loop.child(0)
    blocks.setCurrentItem(loop)
    event = QDropEvent(QPointF(blocks.visualItemRect(child).center()), Qt.DropAction.MoveAction,
                       blocks.mimeData([loop]), Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    event.source = lambda: blocks
    blocks.dropEvent(event)
    qtbot.wait(50)  # a move would be pushed from a zero-delay timer
    assert program_source(window.document.program) == source
    assert not window.document.undo_stack.canUndo()
