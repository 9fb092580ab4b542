"""Tutorials of every kind become lessons whose shown outputs match a run on the engine.

The pages under ``data/`` are real or real-shaped (ORIGINS.md says where each comes from).
"""
import json
from pathlib import Path

import pytest

import engine
from explorer.program.codegen import program_source
from explorer.program.files import dumps_document, loads_document
from explorer.program.runner import run_program
from explorer.program.steps import Code
from explorer.sources import cell_first_steps, output_verdicts, read_tutorial

DATA = Path(__file__).parent / "data"


def run_verdicts(document):
    timeline = run_program(document.program, engine)
    assert timeline.status == "finished", timeline.error
    return [verdict.status for verdict in output_verdicts(timeline, document)]


# file, cells, cells with a shown output, title, narration language
PAGES = [
    ("tutorial-2.2-autograd.html", 13, 12, "2.2 自动求导", "zh"),
    ("tutorial-2.2-autograd.md", 13, 12, "tutorial-2.2-autograd", "zh"),
    ("d2l-autograd.ipynb", 12, 9, "Automatic Differentiation", "en"),
    ("d2l-autograd-tabs.md", 5, 1, "Automatic Differentiation", "en"),
    ("d2l-autograd.html", 5, 4, "2.5. Automatic Differentiation", "en"),
    ("sphinx-gallery-autogradqs.html", 4, 3,
     "Automatic Differentiation with torch.autograd", "en"),
    ("jupyter-book-autograd.html", 4, 4, "自动微分", "zh"),
    ("mkdocs-material-autograd.html", 2, 2, "Autograd", "en"),
    ("autograd_cells.py", 3, 0, "autograd_cells", "en"),
]


@pytest.mark.parametrize("name, cells, outputs, title, language", PAGES)
def test_page_becomes_a_lesson_whose_outputs_match_the_run(name, cells, outputs, title, language):
    document = read_tutorial(DATA / name)
    assert len(document.cells) == cells
    assert sum(cell.output is not None for cell in document.cells) == outputs
    assert list(document.title.values()) == [title]
    assert sum(cell.steps for cell in document.cells) == len(document.program.steps)
    narrated = [entry for entry in document.narration if entry]
    assert narrated and all(list(entry) == [language] for entry in narrated)
    statuses = run_verdicts(document)
    assert "differs" not in statuses and "not-run" not in statuses
    assert statuses.count("match") + statuses.count("random") == outputs


def test_seed_page_tells_its_25_blocks_into_13_cells_and_12_outputs():
    document = read_tutorial(DATA / "tutorial-2.2-autograd.html")
    firsts = cell_first_steps(document)
    narration = [document.narration[first] if first < len(document.narration) else {}
                 for first in firsts]
    assert narration[1]["zh"].endswith("创建一个张量并设置requires_grad=True用来追踪其计算历史")
    assert narration[2] == {"zh": "对这个张量做一次运算："}
    assert "Toggle" not in document.narration[0]["zh"]  # page furniture is no narration
    assert [cell.output is None for cell in document.cells].count(True) == 1  # out.backward()
    assert document.cells[3].output == "<PowBackward0 object at 0x000001CB45988C70>\n"
    assert document.cells[12].output == ("tensor([1.])\nFalse\ntensor([100.], "
                                         "requires_grad=True)\ntensor([2.])\n")
    statuses = run_verdicts(document)
    # The page drew x = torch.randn(3) without a seed: those two cells agree but for values
    # (or fully, when the run's draw happens to give the page's loop count and gradient).
    assert statuses[:9] + statuses[11:] == ["match"] * 6 + ["no-output"] + ["match"] * 4
    assert set(statuses[9:11]) <= {"random", "match"}


def test_notebook_values_are_printed_where_the_notebook_shows_them():
    document = read_tutorial(DATA / "d2l-autograd.ipynb")
    source = program_source(document.program)
    assert "print(x.grad == 4 * x)" in source
    assert "\ny.backward()\n" in source  # a call that shows nothing stays as written
    assert document.cells[0].note["en"].startswith("The last line's value is printed")


def test_d2l_page_reads_only_the_pytorch_tab():
    document = read_tutorial(DATA / "d2l-autograd.html")
    source = program_source(document.program)
    assert "mxnet" not in source and "np.arange" not in source
    assert document.cells[0].output == "tensor([0., 1., 2., 3.])\n"


def test_shell_and_other_language_cells_are_shown_not_run():
    document = read_tutorial(DATA / "d2l-autograd-tabs.md")
    bash = document.cells[3]
    first = cell_first_steps(document)[3]
    step = document.program.steps[first]
    assert isinstance(step, Code) and step.source == "# pip install d2l==1.0.3\n"
    assert bash.note == {"en": "A bash cell: shown, not run.", "zh": "bash 单元：仅显示，不运行。"}
    script = read_tutorial(DATA / "autograd_cells.py")
    magic = [step for step in script.program.steps if isinstance(step, Code)]
    assert [step.source for step in magic] == ["# !pip install torch\n"]
    assert script.narration[cell_first_steps(script)[1]] == {"en": "Q is a function of a and b"}


@pytest.mark.parametrize("name", [page[0] for page in PAGES])
def test_imported_lesson_saves_and_loads_as_agx_json(name):
    document = read_tutorial(DATA / name)
    text = dumps_document(document)
    again = loads_document(text)
    assert again == document
    assert json.loads(text)["cells"][0]["steps"] == document.cells[0].steps


def test_verdict_shows_the_difference_when_the_run_prints_something_else():
    document = read_tutorial(DATA / "mkdocs-material-autograd.html")
    from dataclasses import replace

    from explorer.program.files import Cell
    wrong = replace(document, cells=(document.cells[0],
                                      Cell(steps=document.cells[1].steps, output="tensor([True])\n")))
    timeline = run_program(wrong.program, engine)
    verdict = output_verdicts(timeline, wrong)[1]
    assert verdict.status == "differs"
    assert verdict.difference.splitlines() == ["-tensor([True])", "+tensor([True, True])",
                                               "+tensor([True, True])"]


def test_the_seed_page_has_25_highlighted_blocks():
    page = (DATA / "tutorial-2.2-autograd.html").read_text(encoding="utf-8")
    assert page.count('<div class="highlight-python notranslate">') == 25
    document = read_tutorial(DATA / "tutorial-2.2-autograd.html")
    assert len(document.cells) + sum(c.output is not None for c in document.cells) == 25


@pytest.mark.parametrize("name, suffix", [("tutorial-2.2-autograd.md", ".markdown"),
                                          ("tutorial-2.2-autograd.html", ".htm")])
def test_other_suffixes_of_the_same_kinds(tmp_path, name, suffix):
    copy = tmp_path / ("page" + suffix)
    copy.write_bytes((DATA / name).read_bytes())
    assert len(read_tutorial(copy).cells) == 13


def test_a_plain_py_program_is_no_tutorial(tmp_path):
    from explorer.sources import open_document
    plain = tmp_path / "plain.py"
    plain.write_text("import torch\nx = torch.ones(2)\n", encoding="utf-8")
    document, imported = open_document(plain)
    assert not imported and document.cells == ()
    document, imported = open_document(DATA / "autograd_cells.py")
    assert imported and len(document.cells) == 3


def test_interactive_session_blocks_split_into_code_and_output():
    page = ('<p>In a session:</p><div class="highlight-pycon notranslate"><div class="highlight">'
            '<pre><span></span><span class="gp">&gt;&gt;&gt; </span><span class="n">x</span> = '
            'torch.ones(2, requires_grad=True)\n<span class="gp">&gt;&gt;&gt; </span>(x * 2).sum()\n'
            '<span class="go">tensor(4., grad_fn=&lt;SumBackward0&gt;)</span>\n'
            '<span class="gp">&gt;&gt;&gt; </span>for i in range(2):\n'
            '<span class="gp">... </span>    print(i)\n<span class="go">0</span>\n'
            '<span class="go">1</span>\n</pre></div></div>').encode()
    from explorer.sources import read_tutorial_text
    document = read_tutorial_text("session.html", page)
    assert document.cells[0].output == "tensor(4., grad_fn=<SumBackward0>)\n0\n1\n"
    assert "print((x * 2).sum())" in program_source(document.program)
    assert run_verdicts(document) == ["match"]
