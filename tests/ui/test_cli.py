"""``autograd-explorer [FILE]`` and ``python -m explorer``."""
import subprocess
import sys

from explorer.cli import build_parser, create_window, main
from explorer.ui.lessons import FIRST_EXAMPLE, first_lesson
from explorer.ui.program_bridge import load_program, parse_program, save_program

from .conftest import TEST_ORGANISATION


def test_no_file_opens_the_first_lesson(qtbot, settings_folder):
    window = create_window(organisation=TEST_ORGANISATION)
    qtbot.addWidget(window)
    lesson = first_lesson()
    if lesson is None:
        expected = parse_program(FIRST_EXAMPLE)
    else:
        expected = load_program(str(lesson))[0]
    assert window.document.program == expected
    assert window.document.program.steps
    assert not window.document.modified


def test_first_example_is_the_tutorials(qtbot, settings_folder, monkeypatch):
    import explorer.cli  # noqa: F401  (create_window imports lessons lazily)
    from explorer.ui import lessons

    monkeypatch.setattr(lessons, "first_lesson", lambda: None)
    window = create_window(organisation=TEST_ORGANISATION)
    qtbot.addWidget(window)
    source = window.code_pane.text()
    assert source.startswith("x = torch.ones(2, 2, requires_grad=True)\ny = x ** 2\nz = y * y * 3\n")
    assert "out.backward()" in source


def test_file_argument_is_opened(qtbot, settings_folder, tmp_path):
    path = tmp_path / "mine.agx.json"
    save_program(str(path), parse_program("a = torch.zeros(3, requires_grad=True)\n"))
    window = create_window(str(path), organisation=TEST_ORGANISATION)
    qtbot.addWidget(window)
    assert window.code_pane.text() == "a = torch.zeros(3, requires_grad=True)\n"
    assert window.document.path == str(path)


def test_parser_and_export_subcommand(capsys):
    assert build_parser().parse_args(["lesson.agx.json"]).file == "lesson.agx.json"
    assert build_parser().parse_args([]).file is None
    assert main(["export", "x.agx.json"]) == 2
    assert "-o/--output" in capsys.readouterr().err


def test_module_entry_point_answers_help():
    result = subprocess.run([sys.executable, "-m", "explorer", "--help"], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0
    assert "autograd-explorer" in result.stdout
