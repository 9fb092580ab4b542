"""Every edit kind undoes to the program before it and redoes to the one after."""
import pytest

from explorer.program.steps import Program
from explorer.ui import commands
from explorer.ui.program_bridge import parse_program, program_source

from .conftest import add_block

START = """\
x = torch.ones(2, 2, requires_grad=True)
y = x ** 2
with torch.no_grad():
    z = y * 2
out = y.mean()
"""


def edit_insert(window):
    window.block_list.select_location((None, 0, 1))
    add_block(window, "exp")


def edit_form(window):
    window.block_list.select_location((None, 0, 1))
    window.block_list.form.set_field("target", "w")


def edit_delete(window):
    window.block_list.select_location((None, 0, 0))
    window.block_list.delete_action.trigger()


def edit_duplicate(window):
    window.block_list.select_location((None, 0, 1))
    window.block_list.duplicate_action.trigger()


def edit_disable(window):
    window.block_list.select_location((None, 0, 3))
    window.block_list.disable_action.trigger()


def edit_move(window):
    window.block_list.select_location((None, 0, 3))
    window.block_list.move_up_action.trigger()


def edit_move_into_scope(window):
    document = window.document
    document.push(commands.move_command(document, (None, 0, 3), ((None, 0, 2), 0, 1)))


def edit_code(window):
    window.code_pane.set_text(START + "print(out)\n")
    window.code_pane.parse_now()


EDITS = [edit_insert, edit_form, edit_delete, edit_duplicate, edit_disable, edit_move,
         edit_move_into_scope, edit_code]


@pytest.mark.parametrize("edit", EDITS, ids=lambda edit: edit.__name__)
def test_edit_undo_redo(window, edit):
    window.open_program(parse_program(START))
    before = window.document.program
    edit(window)
    after = window.document.program
    assert after != before
    stack = window.document.undo_stack
    assert stack.count() == 1
    window.undo_action.trigger()
    assert window.document.program == before
    assert window.code_pane.text() == program_source(before)
    window.redo_action.trigger()
    assert window.document.program == after
    assert window.block_list.topLevelItemCount() == len(after.steps)


def test_move_results(window):
    window.open_program(parse_program(START))
    edit_move(window)
    assert [type(step).__name__ for step in window.document.program.steps] == \
        ["Assign", "Assign", "Assign", "With"]
    window.open_program(parse_program(START))
    edit_move_into_scope(window)
    assert len(window.document.program.steps[2].body) == 2


def test_disabled_block_is_commented_in_code(window):
    window.open_program(parse_program(START))
    edit_disable(window)
    assert "# out = y.mean()" in window.code_pane.text()


def test_typing_burst_is_one_undo_step(window):
    window.open_program(Program(()))
    for text in ("x = torch.ones(2)\n", "x = torch.ones(2)\ny = x * 2\n", "x = torch.ones(3)\ny = x * 2\n"):
        window.code_pane.set_text(text)
        window.code_pane.parse_now()
    assert window.document.undo_stack.count() == 1
    window.undo_action.trigger()
    assert window.document.program == Program(())


def test_modified_flag_follows_the_stack(window):
    window.open_program(parse_program(START))
    assert not window.document.modified
    edit_delete(window)
    assert window.document.modified and window.isWindowModified()
    window.undo_action.trigger()
    assert not window.document.modified
