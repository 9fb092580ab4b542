"""``autograd-explorer export PAGE -o lesson.agx.json`` converts without a window, and
every picture format takes a tutorial directly."""
from pathlib import Path

from explorer.export.cli import main
from explorer.program.files import load_document
from explorer.sources import read_tutorial

DATA = Path(__file__).parent / "data"


def test_a_page_converts_to_a_lesson_file(tmp_path, capsys):
    target = tmp_path / "lesson.agx.json"
    assert main([str(DATA / "tutorial-2.2-autograd.html"), "-o", str(target)]) == 0
    assert capsys.readouterr().out.strip() == str(target)
    assert load_document(target) == read_tutorial(DATA / "tutorial-2.2-autograd.html")


def test_pictures_and_data_come_straight_from_a_tutorial(tmp_path):
    for name, output in [("d2l-autograd.ipynb", "graph.svg"),
                         ("autograd_cells.py", "graph.dot")]:
        assert main([str(DATA / name), "-o", str(tmp_path / output)]) == 0
        assert (tmp_path / output).stat().st_size > 0
    assert "digraph" in (tmp_path / "graph.dot").read_text(encoding="utf-8")


def test_conversion_never_writes_over_its_source_and_words_problems_in_one_line(tmp_path, capsys):
    lesson = tmp_path / "same.agx.json"
    assert main([str(DATA / "mkdocs-material-autograd.html"), "-o", str(lesson)]) == 0
    before = lesson.read_bytes()
    assert main([str(lesson), "-o", str(lesson)]) == 1
    assert "is the file being converted" in capsys.readouterr().err
    assert lesson.read_bytes() == before
    empty = tmp_path / "empty.md"
    empty.write_text("No code here.\n", encoding="utf-8")
    assert main([str(empty), "-o", str(tmp_path / "out.agx.json")]) == 1
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "no Python code cells found" in error
    assert not (tmp_path / "out.agx.json").exists()
