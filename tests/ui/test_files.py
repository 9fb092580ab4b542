"""New / Open / Save / Save As, recent files and the unsaved-changes question."""
from explorer.program.steps import Program
from explorer.ui.program_bridge import parse_program

from .conftest import add_block

SOURCE = "x = torch.ones(2, 2, requires_grad=True)\ny = x ** 2\nout = y.mean()\nout.backward()\n"


def test_save_as_then_open_round_trip(window, tmp_path):
    window.open_program(parse_program(SOURCE))
    add_block(window, "print")
    program = window.document.program
    path = tmp_path / "tutorial.json"
    window.files.choose_save_path = lambda: str(path)
    assert window.files.save_as_action.trigger() is None
    assert path.exists()
    assert not window.document.modified
    assert window.document.path == str(path)
    assert window.windowTitle().startswith("tutorial.json")

    window.files.new()
    assert window.document.program == Program(())
    window.files.choose_open_path = lambda: str(path)
    window.files.open_action.trigger()
    assert window.document.program == program
    assert window.block_list.topLevelItemCount() == len(program.steps)
    assert window.preferences.recent_files()[0] == str(path)


def test_save_writes_to_the_current_path(window, tmp_path):
    path = tmp_path / "a.json"
    window.files.choose_save_path = lambda: str(path)
    window.open_program(parse_program(SOURCE))
    window.files.save_as()
    add_block(window, "print")
    assert window.document.modified
    window.files.choose_save_path = lambda: (_ for _ in ()).throw(AssertionError("asked again"))
    assert window.files.save()
    window.files.load(str(path))
    assert len(window.document.program.steps) == 5


def test_save_as_adds_the_extension(window, tmp_path):
    window.files.choose_save_path = lambda: str(tmp_path / "noext")
    window.open_program(parse_program(SOURCE))
    window.files.save_as()
    assert (tmp_path / "noext.agx.json").exists()


def test_unsaved_changes_can_cancel_new(window):
    window.open_program(parse_program(SOURCE))
    add_block(window, "print")
    window.files.ask_save_changes = lambda: "cancel"
    assert not window.files.new()
    assert len(window.document.program.steps) == 5
    window.files.ask_save_changes = lambda: "discard"
    assert window.files.new()
    assert window.document.program == Program(())


def test_unsaved_changes_save_answer_saves(window, tmp_path):
    path = tmp_path / "kept.json"
    window.files.choose_save_path = lambda: str(path)
    window.open_program(parse_program(SOURCE))
    add_block(window, "print")
    window.files.ask_save_changes = lambda: "save"
    assert window.files.new()
    assert path.exists()


def test_bad_file_reports_and_keeps_the_program(window, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"program": [{"step": "exec"}]}', encoding="utf-8")
    messages = []
    window.files.failed.connect(messages.append)
    window.open_program(parse_program(SOURCE))
    assert not window.files.load(str(path))
    assert messages and "bad.json" in messages[0]
    assert len(window.document.program.steps) == 4


def test_recent_files_are_kept_in_settings(window, tmp_path, settings_folder):
    for name in ("one.json", "two.json"):
        window.files.choose_save_path = lambda name=name: str(tmp_path / name)
        window.files.save_as()
    recent = window.preferences.recent_files()
    assert [path.rsplit("/", 1)[-1] for path in recent[:2]] == ["two.json", "one.json"]
    window.files.recent_menu.aboutToShow.emit()
    texts = [action.text() for action in window.files.recent_menu.actions()]
    assert "two.json" in texts
    window.preferences.sync()
    assert any(settings_folder.rglob("*.ini"))


def test_window_state_is_saved_on_close(window, settings_folder):
    window.close()
    assert window.preferences.settings.value("window/geometry") is not None


COMMENTED_PY = ('"""From a tutorial."""\nimport torch\n\n# a leaf\nx = torch.ones(2,2, requires_grad=True)'
                '  # spacing kept\n\n\ndef f(t):\n    # inside\n    return t * 2\n\n'
                'y = f(x).sum()\ny.backward()\nprint(x.grad)\n')


def test_a_commented_py_opens_with_its_text_and_saves_back_byte_for_byte(window, tmp_path):
    path = tmp_path / "tutorial.py"
    path.write_bytes(COMMENTED_PY.encode("utf-8"))
    assert window.files.load(str(path))
    assert window.code_pane.text() == COMMENTED_PY
    kinds = [type(step).__name__ for step in window.document.program.steps]
    assert "Code" in kinds and "Assign" in kinds
    assert window.block_list.topLevelItemCount() == len(kinds)
    window.files.choose_save_path = lambda: (_ for _ in ()).throw(AssertionError("asked"))
    assert window.files.save()
    assert path.read_bytes() == COMMENTED_PY.encode("utf-8")


def test_a_py_broken_at_line_n_opens_marked_and_keeps_the_lines_before(window, tmp_path):
    path = tmp_path / "broken.py"
    text = "import torch\nx = torch.ones(2)\ny = x * 2\nz = y +\nprint(z)\n"
    path.write_text(text, "utf-8")
    assert window.files.load(str(path))
    assert window.code_pane.text() == text
    assert window.code_pane.error_line == 4
    assert len(window.document.program.steps) == 3


def test_a_bundled_lesson_is_never_overwritten(window, tmp_path):
    from explorer.lessons import lessons_folder
    path = sorted(lessons_folder().glob("*.agx.json"))[0]
    before = path.read_bytes()
    assert window.files.load(str(path))
    add_block(window, "print")
    copy = tmp_path / "mine.agx.json"
    window.files.choose_save_path = lambda: str(copy)
    assert window.files.save()
    assert path.read_bytes() == before
    assert copy.exists() and window.document.path == str(copy)


def test_save_as_python_writes_the_programs_text(window, tmp_path):
    window.code_pane.set_text("import torch\n\ndef f(t):\n    return t * 2  # doubled\n\n"
                              "y = f(torch.ones(2))\n")
    window.code_pane.parse_now()
    path = tmp_path / "program.py"
    window.files.choose_save_path = lambda: str(path)
    assert window.files.save_as()
    assert path.read_text("utf-8") == window.code_pane.text()
    assert window.files.load(str(path))
    assert [type(s).__name__ for s in window.document.program.steps] == ["Import", "Code", "Assign"]
