"""Program files: strict loading, atomic saving, .py through the parser."""
import json
import os

import pytest
from tutorial_cells import FULL_SOURCE

from explorer.program.errors import ProgramFileError
from explorer.program.files import (
    FORMAT,
    Document,
    document_to_json,
    dumps_document,
    load_document,
    loads_document,
    save_document,
)
from explorer.program.parser import parse_program


def lesson():
    program = parse_program("x = torch.ones(2, requires_grad=True)\ny = (x * x).sum()\n"
                            "y.backward()\nh = x.register_hook(lambda g: g * 2)")
    return Document(program=program, title={"en": "Gradients add up", "zh": "梯度会累加"},
                    narration=({"en": "Make a leaf.", "zh": "创建叶子张量。"},
                               {"en": "Square and sum.",
                                "question": {"prompt": {"en": "What is y?"},
                                             "choices": [{"en": "2"}, {"en": "4"}],
                                             "answer": 0,
                                             "explanation": {"en": "1 + 1"}}}),
                    view={"layout": "layered", "zoom": 1.5, "pinned": ["t1"]})


def test_save_and_load_round_trip(tmp_path):
    path = tmp_path / "lesson.agx.json"
    save_document(lesson(), path)
    assert load_document(path) == lesson()
    assert json.loads(path.read_text("utf-8"))["format"] == FORMAT
    assert [p.name for p in tmp_path.iterdir()] == ["lesson.agx.json"]


def test_tutorial_program_round_trips_through_json():
    document = Document(program=parse_program(FULL_SOURCE))
    assert loads_document(dumps_document(document)) == document


def test_saving_is_atomic_when_the_write_fails(tmp_path, monkeypatch):
    path = tmp_path / "lesson.agx.json"
    save_document(lesson(), path)
    before = path.read_bytes()

    def broken_fsync(fd):
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError):
        save_document(Document(program=parse_program("x = 1")), path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["lesson.agx.json"]


def test_python_files_load_through_the_parser(tmp_path):
    path = tmp_path / "prog.py"
    path.write_text("import torch\nx = torch.ones(2)\n", "utf-8")
    assert load_document(path).program == parse_program("import torch\nx = torch.ones(2)\n")
    path.write_text("import os\n", "utf-8")
    assert type(load_document(path).program.steps[0]).__name__ == "Code"  # refused when run
    path.write_text("x = 1\ny = ().__class__.__bases__\n", "utf-8")
    document = load_document(path)  # opens with the lines before the refused one
    assert "'__bases__' is not available" in str(document.source_error)
    assert len(document.program.steps) == 1


def good_raw():
    return document_to_json(lesson())


def mutated(change):
    raw = good_raw()
    change(raw)
    return json.dumps(raw)


BAD_DOCUMENTS = [
    (lambda r: r.update(format="autograd-explorer/2"), "unsupported format"),
    (lambda r: r.pop("format"), "missing 'format'"),
    (lambda r: r.update(extra=1), "unknown key(s): 'extra'"),
    (lambda r: r.update(program={}), "expected a list of steps"),
    (lambda r: r["program"][0].update(step="exec"), "unknown step kind 'exec'"),
    (lambda r: r["program"][0].update(sneaky=True), "unknown key(s) 'sneaky'"),
    (lambda r: r["program"][0].pop("value"), "missing key 'value'"),
    (lambda r: r["program"][0].update(targets="x"), "expected a list of strings"),
    (lambda r: r["program"][0]["value"].update(function=["__import__"]),
     "'__import__' is not supported"),
    (lambda r: r["program"][0]["value"].update(function=["torch", "load"]),
     "'torch.load' is not supported"),
    (lambda r: r["program"][1]["value"].update(method="__reduce__"),
     "method '__reduce__' is not supported"),
    (lambda r: r["program"][0].update(targets=["torch"]), "'torch' cannot be assigned"),
    (lambda r: r["program"].append({"step": "import", "module": "os"}), "'import os'"),
    (lambda r: r["program"][0].update(value={"kind": "attribute", "value": {
        "kind": "constant", "value": 1}, "attr": "__class__"}), "attribute '__class__'"),
    (lambda r: r["program"][0].update(value={"kind": "lambda", "params": ["g"], "body": {
        "kind": "name", "id": "g"}}), "lambda is only supported"),
    (lambda r: r["program"][0].update(line=-1), "non-negative integer"),
    (lambda r: r.update(title={"en": 3}), "title.en: expected a string"),
    (lambda r: r.update(title={"english!": "x"}), "not a language code"),
    (lambda r: r.update(narration=[{}] * 9), "9 entries for 4 steps"),
    (lambda r: r["narration"][1]["question"].update(answer=5), "expected the index"),
    (lambda r: r["narration"][1]["question"].update(hint="x"), "unknown key(s) 'hint'"),
    (lambda r: r.update(view=[]), "view: expected an object"),
    (lambda r: r.update(view={"a": {"b": {"c": {"d": {"e": {"f": {"g": {"h": {"i": {"j": {
        "k": {"l": 1}}}}}}}}}}}}), "nested more than"),
]


@pytest.mark.parametrize("change, fragment", BAD_DOCUMENTS)
def test_strict_validation_names_the_problem(change, fragment):
    with pytest.raises(ProgramFileError) as caught:
        loads_document(mutated(change))
    assert fragment in str(caught.value)


@pytest.mark.parametrize("text, fragment", [
    ("", "invalid JSON"),
    ("[]", "must hold a JSON object"),
    ('{"format": NaN}', "NaN is not allowed"),
    ('{"format": "autograd-explorer/1", "format": "x"}', "duplicate key"),
    ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    (b"\xff\xfe", "not UTF-8"),
    ('{"format": "autograd-explorer/1", "program": [], "view": {"n": ' + "9" * 5000 + "}}",
     "invalid JSON"),
])
def test_malformed_json_is_a_clear_error(text, fragment):
    with pytest.raises(ProgramFileError) as caught:
        loads_document(text)
    assert fragment in str(caught.value)


def test_oversized_file_is_refused_before_parsing(tmp_path):
    path = tmp_path / "big.agx.json"
    path.write_bytes(b" " * (5 * 1024 * 1024 + 1))
    with pytest.raises(ProgramFileError, match="larger than 5 MB"):
        load_document(path)


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(ProgramFileError, match="cannot read"):
        load_document(tmp_path / "nope.agx.json")


COMMENTED = '''"""A tutorial's docstring."""
import torch  # the engine stands in

# Make a leaf.
x = torch.ones(2,2, requires_grad=True)   # odd spacing kept


def square(t):
    # a comment inside a function
    return t**2

y = square(x).sum()
y.backward()
print(x.grad)
'''


def test_a_commented_python_file_saves_back_byte_for_byte(tmp_path):
    source = tmp_path / "lesson.py"
    source.write_bytes(COMMENTED.encode("utf-8"))
    document = load_document(source)
    assert document.source_error is None
    copy = tmp_path / "copy.py"
    save_document(document, copy)
    assert copy.read_bytes() == source.read_bytes()


def test_a_python_file_broken_at_line_n_opens_with_the_lines_before_it(tmp_path):
    source = tmp_path / "broken.py"
    text = "import torch\nx = torch.ones(2)\ny = x * 2\nz = y +\nprint(z)\n"
    source.write_text(text, "utf-8")
    document = load_document(source)
    assert document.source_error.line == 4
    assert [type(s).__name__ for s in document.program.steps] == ["Import", "Assign", "Assign"]
    copy = tmp_path / "copy.py"
    save_document(document, copy)  # what the user wrote is kept, broken line included
    assert copy.read_text("utf-8") == text


def test_saving_through_a_symlink_writes_the_target_and_keeps_the_link(tmp_path):
    target = tmp_path / "real.agx.json"
    save_document(Document(program=parse_program("x = torch.ones(1)\n")), target)
    os.chmod(target, 0o640)
    link = tmp_path / "link.agx.json"
    link.symlink_to(target)
    save_document(Document(program=parse_program("x = torch.ones(2)\n")), link)
    assert link.is_symlink()
    assert load_document(target).program == parse_program("x = torch.ones(2)\n")
    assert (os.stat(target).st_mode & 0o777) == 0o640  # permissions kept


def test_saving_a_file_with_hard_links_keeps_every_name(tmp_path):
    first = tmp_path / "a.py"
    first.write_text("x = 1\n", "utf-8")
    second = tmp_path / "b.py"
    os.link(first, second)
    save_document(Document(program=parse_program("x = 2\n")), first)
    assert second.read_text("utf-8") == "x = 2\n"
    assert os.stat(first).st_ino == os.stat(second).st_ino


def test_a_new_file_is_readable_like_any_other_and_leftover_temporaries_are_cleaned(tmp_path):
    from explorer.program.files import remove_leftover_temporaries
    path = tmp_path / "new.agx.json"
    save_document(Document(program=parse_program("x = 1\n")), path)
    assert (os.stat(path).st_mode & 0o777) == 0o644
    leftover = tmp_path / ".agx-killed.tmp"
    leftover.write_text("half", "utf-8")
    os.utime(leftover, (1, 1))
    assert remove_leftover_temporaries(tmp_path) == 1
    assert not leftover.exists() and path.exists()
