"""A tutorial opens as a lesson: narration per cell, a mark per shown output, and Save
writes a new .agx.json, never the page."""
from pathlib import Path

from explorer.program.files import load_document
from explorer.sources.verdicts import MATCH, NO_OUTPUT, RANDOM

DATA = Path(__file__).parent.parent / "sources" / "data"
SEED = DATA / "tutorial-2.2-autograd.html"


def open_seed(window):
    assert window.files.load(str(SEED))
    assert window.controller.wait(60)
    return window.backward_tools.lesson_browser


def test_the_seed_page_opens_with_its_narration_and_output_marks(window, qtbot):
    browser = open_seed(window)
    qtbot.waitUntil(lambda: window.backward_tools.lessons_dock.isVisible())
    marks = window.block_list._output_marks
    statuses = [status for _index, (status, _tooltip) in sorted(marks.items())]
    # The page's randn cells agree but for values, or fully when the draw happens to.
    assert statuses[:8] + statuses[10:] == [MATCH] * 10
    assert set(statuses[8:10]) <= {RANDOM, MATCH}
    first = window.block_list.topLevelItem(0)
    assert not first.icon(0).isNull()
    assert first.toolTip(0) == "Prints what the page shows."
    random_cell = sorted(marks)[8]
    assert window.block_list.topLevelItem(random_cell).toolTip(0).startswith(
        "Prints what the page shows")
    # Every step of a cell shows the prose before the cell.
    cells = window.document.fields["cells"]
    second_cell_last_step = cells[0].steps + cells[1].steps - 1
    frame = next(f for f in window.controller.frames if f.path == (second_cell_last_step,))
    browser.show_step(frame)
    assert browser.caption.text().endswith("创建一个张量并设置requires_grad=True用来追踪其计算历史")
    assert NO_OUTPUT not in statuses


def test_save_writes_a_new_lesson_and_never_the_page(window, tmp_path):
    before = SEED.read_bytes()
    open_seed(window)
    assert window.document.path == ""
    target = tmp_path / "lesson"
    window.files.choose_save_path = lambda: str(target)
    assert window.files.save()
    assert SEED.read_bytes() == before
    saved = load_document(str(target) + ".agx.json")
    assert len(saved.cells) == 13 and saved.title == {"zh": "2.2 自动求导"}


def test_a_differing_output_is_marked_with_the_difference(window, tmp_path):
    page = tmp_path / "page.md"
    page.write_text("Prose.\n\n```python\nx = torch.ones(2)\nprint(x)\n```\n\n```\ntensor([1., 2.])\n```\n",
                    encoding="utf-8")
    assert window.files.load(str(page))
    assert window.controller.wait(60)
    status, tooltip = window.block_list._output_marks[0]
    assert status == "differs"
    assert tooltip.splitlines()[1:] == ["-tensor([1., 2.])", "+tensor([1., 1.])"]


def test_the_lessons_panel_imports_a_tutorial(window):
    browser = window.backward_tools.lesson_browser
    window.files.choose_tutorial_path = lambda: str(DATA / "d2l-autograd.ipynb")
    browser.import_button.click()
    assert window.controller.wait(60)
    assert window.document.fields["imported_from"].endswith("d2l-autograd.ipynb")
    assert len(window.document.fields["cells"]) == 12


def test_presenting_an_imported_page_shows_its_prose_in_its_own_language(window):
    from explorer.ui.presentation import narration_text
    open_seed(window)
    fields = window.document.fields
    cells = fields["cells"]
    last_of_second = cells[0].steps + cells[1].steps - 1
    frame = next(f for f in window.controller.frames if f.path == (last_of_second,))
    assert narration_text(fields, frame, "en").endswith("用来追踪其计算历史")


def test_a_cell_changed_by_the_import_says_so_under_its_narration(window):
    browser = window.backward_tools.lesson_browser
    assert window.files.load(str(DATA / "jupyter-book-autograd.html"))
    assert window.controller.wait(60)
    cells = window.document.fields["cells"]
    magic_cell = sum(cell.steps for cell in cells[:3])
    frame = next(f for f in window.controller.frames if f.path == (magic_cell + 1,))
    browser.language = "zh"
    browser.show_step(frame)
    assert browser.caption.text() == ("笔记本里常见的魔法命令也能导入，只是不运行。\n\n"
                                      "shell 与魔法命令行以注释显示，不运行。")
