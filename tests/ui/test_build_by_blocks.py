"""The tutorial's first example built from the palette and forms alone, and typed as code."""
from explorer.ui.program_bridge import program_source

from .conftest import add_block, choose_operand, edge_labels, graph_labels, require_engine, require_snapshots

TUTORIAL_BY_BLOCKS = """\
x = torch.ones(2, 2, requires_grad=True)
y = x ** 2
z = y * y
z1 = z * 3
out = z1.mean()
out.backward()
"""


def build_tutorial(window):
    add_block(window, "ones")
    add_block(window, "pow")
    add_block(window, "mul")            # z = y * 3
    choose_operand(window, "right", "y")  # z = y * y
    add_block(window, "mul")            # z1 = z * 3
    add_block(window, "mean")
    add_block(window, "backward")


def test_palette_and_forms_build_the_tutorial(window):
    build_tutorial(window)
    assert program_source(window.document.program) == TUTORIAL_BY_BLOCKS


def test_graph_holds_the_tutorials_functions_and_edges(window):
    require_engine()
    build_tutorial(window)
    require_snapshots(window)
    labels = graph_labels(window)
    for name in ("PowBackward0", "MulBackward0", "MeanBackward0", "AccumulateGrad"):
        assert name in labels
    assert labels.count("MulBackward0") == 2
    edges = edge_labels(window)
    assert ("x", "PowBackward0") in edges
    assert ("PowBackward0", "y") in edges
    assert ("y", "MulBackward0") in edges
    assert ("z", "MulBackward0") in edges
    assert ("z1", "MeanBackward0") in edges
    assert ("MeanBackward0", "out") in edges
    assert ("x", "AccumulateGrad") in edges


def test_typing_the_code_gives_the_same_blocks(window, qtbot):
    build_tutorial(window)
    by_blocks = window.document.program
    window.open_program(type(by_blocks)(()))
    window.code_pane.set_text(TUTORIAL_BY_BLOCKS)
    window.code_pane.parse_now()
    assert window.document.program == by_blocks
    assert window.block_list.topLevelItemCount() == 6
    assert window.block_list.topLevelItem(1).text(0) == "y = x ** 2"


def test_blocks_follow_code_edits_after_the_pause(window, qtbot):
    window.code_pane.set_text("x = torch.ones(3, requires_grad=True)\ns = x.sum()\n")
    qtbot.waitUntil(lambda: len(window.document.program.steps) == 2, timeout=3000)
    assert window.block_list.topLevelItemCount() == 2


def test_parse_error_is_marked_and_last_valid_program_kept(window):
    window.code_pane.set_text("x = torch.ones(2)\ny = x +\n")
    window.code_pane.parse_now()
    window.code_pane.set_text("x = torch.ones(2)\n")
    window.code_pane.parse_now()
    kept = window.document.program
    window.code_pane.set_text("x = torch.ones(2)\ny = ().__class__.__bases__\n")
    window.code_pane.parse_now()
    assert window.code_pane.error_line == 2
    assert window.code_pane.message.isVisibleTo(window.code_pane)
    assert window.document.program == kept
    assert window.code_pane.text() == "x = torch.ones(2)\ny = ().__class__.__bases__\n"


def test_block_edit_regenerates_the_code(window):
    add_block(window, "ones")
    add_block(window, "pow")
    window.block_list.form.set_field("target", "w")
    assert window.code_pane.text().splitlines()[1] == "w = x ** 2"


def test_nested_blocks_show_as_children(window):
    window.code_pane.set_text("x = torch.ones(2, requires_grad=True)\nwith torch.no_grad():\n"
                              "    y = x * 2\n    z = y + 1\n")
    window.code_pane.parse_now()
    scope_item = window.block_list.topLevelItem(1)
    assert scope_item.childCount() == 2
    assert scope_item.child(0).text(0) == "y = x * 2"


def test_a_code_block_edits_as_text_and_applies_when_it_parses(window):
    window.code_pane.set_text("import torch\n\ndef square(t):\n    return t * t\n\n"
                              "y = square(torch.ones(2))\nprint(y)\n")
    window.code_pane.parse_now()
    steps = window.document.program.steps
    assert [type(s).__name__ for s in steps] == ["Import", "Code", "Assign", "ExprStatement"]
    item = window.block_list.item_at((None, 0, 1))
    assert item.text(0).startswith("def square(t):")
    assert "return t * t" in item.toolTip(0)
    window.block_list.setCurrentItem(item)
    editor = window.block_list.form.fields["code"]
    editor.setPlainText("def square(t):\n    return t ** 3")
    editor.committed.emit()
    assert window.document.program.steps[1].source == "def square(t):\n    return t ** 3"
    assert window.controller.timeline.output == "tensor([1., 1.])\n"
    editor = window.block_list.form.fields["code"]
    editor.setPlainText("def square(t):\n    return (")  # does not parse: nothing changes
    editor.committed.emit()
    assert window.document.program.steps[1].source == "def square(t):\n    return t ** 3"
    assert editor.styleSheet()
    window.document.undo_stack.undo()
    assert window.document.program.steps[1].source == "def square(t):\n    return t * t"
