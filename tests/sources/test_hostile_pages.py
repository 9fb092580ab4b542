"""Hostile tutorial files are data: each gives one clear line (a ``ProgramFileError``) or
a lesson, quickly; nothing a page references is fetched and nothing in it runs except
its code cells, through the sandbox."""
import base64
import json
import time

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

import engine
from explorer.program.errors import ProgramFileError
from explorer.program.files import MAX_TEXT, dumps_document, loads_document
from explorer.program.runner import run_program
from explorer.sources import read_tutorial, read_tutorial_text
from explorer.sources.lesson import MAX_CELLS

MB = 1024 * 1024


def one_line_error(name, data):
    with pytest.raises(ProgramFileError) as caught:
        read_tutorial_text(name, data)
    message = str(caught.value)
    assert "\n" not in message and "Traceback" not in message
    return message


def timed_read(name, data, seconds=4.0):
    start = time.perf_counter()
    document = read_tutorial_text(name, data)
    assert time.perf_counter() - start < seconds
    dumps_document(document)  # whatever was read saves as a valid lesson
    return document


@pytest.mark.parametrize("suffix", [".html", ".ipynb", ".md"])
def test_a_50_MB_file_is_refused_before_it_is_read(tmp_path, suffix):
    path = tmp_path / ("big" + suffix)
    with open(path, "wb") as stream:
        stream.truncate(50 * MB)  # sparse: the size alone refuses it
    with pytest.raises(ProgramFileError, match=r"50 MB is too big to import \(the limit is \d MB\)"):
        read_tutorial(path)


def test_bytes_past_the_limit_are_refused_without_parsing():
    assert "too big" in one_line_error("page.html", b"<p>" * (2 * MB))


def test_deeply_nested_html_is_read_without_recursion():
    depth = 100_000
    page = ("<div>" * depth + "<pre>x = 1\nprint(x)</pre>" + "</div>" * depth).encode()
    document = timed_read("deep.html", page)
    assert len(document.cells) == 1


@pytest.mark.parametrize("page", [
    "<p>" * 100_000 + "<pre>x = 1</pre>" + "</span>" * 50_000,    # unclosed and stray tags
    "<pre>x = 1</pre>" + "<" * 500_000,                              # a million '<'
    "<pre>x = 1</pre><!--" + "a" * 500_000,                          # unclosed comment
    "<pre>x = 1</pre><a href=\"" + "a" * 500_000,                    # unclosed attribute
    "<pre>x = 1</pre><p>" + "&amp;&#99999999;&bogus;" * 20_000,      # odd entities
    "<pre>x = 1</pre>" + "<a><b></a></b>" * 50_000,                  # mis-nested tags
])
def test_tag_soup_gives_a_lesson_quickly(page):
    assert len(timed_read("soup.html", page.encode()).cells) == 1


def test_scripts_styles_and_furniture_are_never_read_as_cells_or_prose():
    page = ("<html><head><script>var a = '<pre>import os</pre>';</script>"
            "<style>pre { color: red }</style></head><body>"
            "<nav><pre>nav_code = 1</pre></nav><script src='https://example.invalid/x.js'></script>"
            "<p>Prose.</p><pre>x = 1</pre><iframe src='https://example.invalid/'></iframe>"
            "<img src='https://example.invalid/tracker.png'></body></html>")
    document = timed_read("scripts.html", page.encode())
    assert len(document.program.steps) == 1 and document.narration == ({"en": "Prose."},)


def test_broken_encodings():
    page = b"<meta charset='utf-8'><p>caf\xe9 \xff\xfe</p><pre>x = 1</pre>"
    document = timed_read("broken.html", page)
    assert "\ufffd" in document.narration[0]["en"]
    gbk = "<meta charset='gbk'><p>自动求导</p><pre>x = 1</pre>".encode("gbk")
    assert timed_read("gbk.html", gbk).narration[0] == {"zh": "自动求导"}
    unknown = b"<meta charset='no-such-charset'><p>text</p><pre>x = 1</pre>"
    assert len(timed_read("unknown.html", unknown).cells) == 1
    utf16 = "<p>text</p><pre>x = 1</pre>".encode("utf-16")
    assert len(timed_read("utf16.html", utf16).cells) == 1
    assert "not UTF-8" in one_line_error("broken.md", b"```python\nx = '\xff'\n```\n")
    assert "not UTF-8" in one_line_error("broken.ipynb", b"{\"cells\": \xff}")


@pytest.mark.parametrize("data, words", [
    (b"", "not a notebook"),
    (b"not json", "not a notebook"),
    (b"[1, 2]", "not a readable notebook"),
    (b'{"cells": 3, "nbformat": 4, "nbformat_minor": 5, "metadata": {}}', "notebook"),
    (b'{"nbformat": 99}', "notebook"),
    (b"[" * 100_000, "notebook"),
    (('{"nbformat": 4, "nbformat_minor": 5, "cells": [], "metadata": ' + '{"a":' * 5000 + "1"
      + "}" * 5000 + "}").encode(), "nested too deeply"),
])
def test_malformed_notebooks_give_one_line(data, words):
    assert words in one_line_error("bad.ipynb", data)


def notebook_bytes(cells, **metadata):
    notebook = new_notebook(cells=cells)
    notebook.metadata.update(metadata)
    return nbformat.writes(notebook).encode()


def test_huge_outputs_and_binary_attachments_are_dropped_not_fatal():
    picture = base64.b64encode(bytes(range(256)) * 4000).decode()
    markdown = new_markdown_cell("A plot: ![p](attachment:p.png)<img src='https://example.invalid/a.png'>")
    markdown["attachments"] = {"p.png": {"image/png": picture}}
    cells = [markdown,
             new_code_cell("x = 1\nprint(x)", outputs=[
                 new_output("stream", name="stdout", text="1\n" * (MAX_TEXT)),
             ]),
             new_code_cell("y = 2", outputs=[
                 new_output("display_data", data={"image/png": picture, "text/plain": "<Figure>"}),
                 new_output("stream", name="stderr", text="warning\n"),
             ])]
    document = timed_read("big-outputs.ipynb", notebook_bytes(cells))
    assert document.cells[0].output is None
    assert "too long" in document.cells[0].note["en"]
    assert document.cells[1].output is None  # pictures and stderr are not printed output
    assert document.narration[0] == {"en": "A plot:"}


def test_other_kernels_and_unparsable_cells_are_shown_not_run():
    cells = [new_code_cell("library(torch)\nx <- torch_tensor(1)")]
    r = timed_read("r.ipynb", notebook_bytes(cells, kernelspec={"name": "ir", "language": "R",
                                                                 "display_name": "R"}))
    assert r.cells[0].note["en"] == "A R cell: shown, not run."
    python2 = timed_read("old.md", b"```python\nprint 'hello'\n```\n")
    assert python2.cells[0].note["en"].startswith("Not run:")
    assert python2.program.steps[0].source == "# print 'hello'\n"


def test_a_page_without_code_and_too_many_cells():
    assert "no Python code cells" in one_line_error("empty.html", b"<p>Only prose.</p>")
    assert "no Python code cells" in one_line_error("empty.ipynb", notebook_bytes([]))
    many = b"".join(b"<p>step</p><pre>x = %d</pre>" % index for index in range(MAX_CELLS + 50))
    document = timed_read("many.html", many)
    assert len(document.cells) == MAX_CELLS
    assert "Only the first" in document.cells[-1].note["en"]


def test_code_cells_run_only_through_the_sandbox(tmp_path):
    marker = tmp_path / "touched"
    page = (f"<pre>import os\nos.system('touch {marker}')</pre>"
            f"<p>next</p><pre>open('{marker}', 'w')</pre>"
            f"<p>next</p><pre>().__class__.__base__.__subclasses__()</pre>").encode()
    document = timed_read("evil.html", page)
    timeline = run_program(document.program, engine)
    assert timeline.status != "finished"
    assert not marker.exists()


def test_saved_cells_are_validated_strictly():
    base = {"format": "autograd-explorer/1", "program": [{"step": "pass"}]}
    for cells, words in [
        ({}, "cells: expected a list"),
        ([{"steps": 2}], "more steps than"),
        ([{"steps": 0}], "at least 1"),
        ([{"steps": True}], "at least 1"),
        ([{"steps": 1, "output": 3}], "output: expected a string"),
        ([{"steps": 1, "output": "x" * (MAX_TEXT + 1)}], "longer than"),
        ([{"steps": 1, "extra": 1}], "unknown key"),
        ([{"steps": 1, "note": {"english": "x"}}], "not a language code"),
    ]:
        with pytest.raises(ProgramFileError, match=words):
            loads_document(json.dumps(dict(base, cells=cells)))


def test_nbconvert_pages_and_code_elements_naming_the_language():
    from explorer.sources import read_tutorial_text
    page = ('<div class="jp-Cell jp-CodeCell"><div class="jp-InputArea"><div class="jp-InputPrompt">'
            'In&nbsp;[1]:</div><div class="jp-CodeMirrorEditor"><div class="highlight"><pre>'
            'x = torch.ones(1)\nx</pre></div></div></div><div class="jp-OutputArea">'
            '<div class="jp-OutputPrompt">Out[1]:</div><div class="jp-OutputArea-output">'
            '<pre>tensor([1.])</pre></div></div></div>'
            '<p>Shell:</p><pre class="highlight"><code class="language-bash">pip install torch'
            '</code></pre>').encode()
    document = read_tutorial_text("nbconvert.html", page)
    assert document.cells[0].output == "tensor([1.])\n"
    texts = [text for entry in document.narration for text in entry.values()]
    assert texts == ["Shell:"]  # no "In [1]:" / "Out[1]:" prompts
    assert document.cells[1].note["en"] == "A bash cell: shown, not run."
