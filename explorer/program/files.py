"""Computation and lesson files (``*.agx.json``), and plain ``.py`` programs.

One JSON format serves both::

    {"format": "autograd-explorer/1",
     "title": {"en": "...", "zh": "..."},
     "program": [step, ...],                        # see jsonform.py
     "narration": [{"en": "...", "zh": "...", "question": {...}}, ...],
     "view": {...},
     "cells": [{"steps": 2, "output": "...", "note": {"en": "..."}}, ...]}

``narration`` has at most one entry per top-level step (entry i belongs to
step i). A question is ``{"prompt": {lang: text}, "choices": [{lang: text},
...], "answer": index, "explanation": {lang: text}}`` (explanation optional).
``view`` is an object of view settings that this layer keeps but does not
interpret.

``cells`` (optional; lessons imported from a notebook or tutorial page) splits the
top-level steps into the page's cells, in order: each cell holds ``steps`` (at
least 1) consecutive steps, ``output`` the text the page shows as the cell's output
(optional) and ``note`` why the cell was changed or skipped (optional texts).

Loading never runs anything and never unpickles: it parses JSON, checks every
key and type, builds steps and applies the same subset rules as the parser.
Any problem is a ``ProgramFileError`` saying where. Saving writes a temporary
file in the same folder, flushes and fsyncs it, then renames it over the
target, so a crash never leaves half a file.
"""
import json
import os
import re
import stat
import tempfile
import time
from dataclasses import dataclass, field

from . import rules
from .codegen import program_source
from .errors import ProgramFileError, ProgramSyntaxError, SubsetViolation
from .jsonform import JsonFormError, steps_from_json, steps_to_json
from .parser import parse_program
from .steps import Program

FORMAT = "autograd-explorer/1"
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_TEXT = 20_000
MAX_VIEW_DEPTH = 10
MAX_CHOICES = 10
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")
_TOP_LEVEL_KEYS = {"format", "title", "program", "narration", "view", "cells"}
_CELL_KEYS = {"steps", "output", "note"}


@dataclass(frozen=True)
class Cell:
    """One cell of the page a lesson was imported from: ``steps`` consecutive top-level
    steps, the ``output`` the page shows for it (None when it shows none) and a ``note``
    ({language: text}) saying what the import changed or skipped."""

    steps: int
    output: str = None
    note: dict = field(default_factory=dict)


def cell_at(cells, step):
    """(index of the cell holding top-level ``step``, its first step), or (None, step)."""
    first = 0
    for index, cell in enumerate(cells):
        if first <= step < first + cell.steps:
            return index, first
        first += cell.steps
    return None, step


def narrated_step(cells, step):
    """The step whose narration goes with top-level ``step``: in a document with cells,
    the first step of its cell (the page's prose comes before the whole cell)."""
    return cell_at(cells, step)[1]


@dataclass(frozen=True)
class Document:
    """A program with its title, per-step narration and view settings."""

    program: Program = Program()
    title: dict = field(default_factory=dict)
    narration: tuple = ()
    view: dict = field(default_factory=dict)
    cells: tuple = ()
    # A ``.py`` file's own text, kept so saving it again writes it byte for byte, and
    # the error that stopped the parser in it (the program is then what came before).
    source: str = field(default=None, compare=False)
    source_error: ProgramSyntaxError = field(default=None, compare=False)


# ------------------------------------------------------------------ loading
def load_document(path):
    """Read a ``.agx.json`` or ``.py`` file into a Document."""
    path = os.fspath(path)
    data = _read_limited(path)
    if path.endswith(".py"):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            raise ProgramFileError(f"{path}: not UTF-8 text ({error.reason})") from None
        program, error = parse_program_prefix(text)
        return Document(program=program, source=text, source_error=error)
    try:
        return loads_document(data)
    except ProgramFileError as error:
        raise ProgramFileError(f"{path}: {error}") from None


def parse_program_prefix(source):
    """(program, None) for a program that parses; else (the program of the statements
    before the error, the ProgramSyntaxError), so a file broken at line N still runs up to N.
    """
    try:
        return parse_program(source), None
    except ProgramSyntaxError as error:
        first_error = error
    if first_error.construct == "source size":
        raise ProgramFileError(str(first_error))
    lines = source.splitlines(keepends=True)
    # Cut before the top-level statement that holds the error: try each earlier line
    # that starts at column 0, nearest first.
    for cut in range(min(max(first_error.line, 1) - 1, len(lines)), -1, -1):
        if cut < len(lines) and cut and (lines[cut][:1].isspace() or lines[cut].startswith("#")):
            continue
        try:
            return parse_program("".join(lines[:cut])), first_error
        except ProgramSyntaxError:
            continue
    return Program(()), first_error


def python_text(document):
    """The text a ``.py`` save writes: the file's own text while it still means the program."""
    source = document.source
    if source is not None:
        # Text that stops parsing part-way is saved as written when what parses of it
        # is the program: nothing the user typed is lost.
        program, _error = parse_program_prefix(source)
        if program == document.program:
            return source
    return program_source(document.program)


def _read_limited(path):
    try:
        with open(path, "rb") as stream:
            data = stream.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise ProgramFileError(f"{path}: cannot read: {error.strerror or error}") from None
    if len(data) > MAX_FILE_BYTES:
        raise ProgramFileError(f"{path}: file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
    return data


def _no_duplicates(pairs):
    result = {}
    for key, value in pairs:
        if key in result:
            raise ProgramFileError(f"duplicate key {key!r}")
        result[key] = value
    return result


def _reject_constant(name):
    raise ProgramFileError(f"{name} is not allowed in a program file")


def loads_document(data):
    """Parse a Document from JSON text or bytes; raises ``ProgramFileError``."""
    if isinstance(data, (bytes, bytearray)):
        if len(data) > MAX_FILE_BYTES:
            raise ProgramFileError(f"content is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
        try:
            data = bytes(data).decode("utf-8")
        except UnicodeDecodeError as error:
            raise ProgramFileError(f"not UTF-8 text ({error.reason})") from None
    if not isinstance(data, str):
        raise ProgramFileError("expected JSON text")
    if len(data) > MAX_FILE_BYTES:
        raise ProgramFileError(f"content is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
    try:
        raw = json.loads(data, object_pairs_hook=_no_duplicates, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        raise ProgramFileError(f"invalid JSON at line {error.lineno}, column {error.colno}: "
                               f"{error.msg}") from None
    except RecursionError:
        raise ProgramFileError("JSON is nested too deeply") from None
    except ValueError as error:  # e.g. integers over Python's digit limit
        raise ProgramFileError(f"invalid JSON: {error}") from None
    return document_from_json(raw)


def document_from_json(raw):
    """A Document from already-decoded JSON values (strictly checked)."""
    if type(raw) is not dict:
        raise ProgramFileError("a program file must hold a JSON object")
    unknown = sorted(set(raw) - _TOP_LEVEL_KEYS)
    if unknown:
        raise ProgramFileError(f"unknown key(s): {', '.join(map(repr, unknown))}")
    if "format" not in raw:
        raise ProgramFileError("missing 'format' (expected 'autograd-explorer/1')")
    if raw["format"] != FORMAT:
        raise ProgramFileError(f"unsupported format {raw['format']!r} (this version reads "
                               f"{FORMAT!r})")
    if "program" not in raw:
        raise ProgramFileError("missing 'program'")
    try:
        steps = steps_from_json(raw["program"])
        rules.validate_program(steps)
    except JsonFormError as error:
        raise ProgramFileError(str(error)) from None
    except SubsetViolation as violation:
        where = "".join(f"[{i}]" for i in getattr(violation, "path", ()))
        raise ProgramFileError(f"program{where}: {violation.message}") from None
    except RecursionError:
        raise ProgramFileError("program is nested too deeply") from None
    title = _texts(raw.get("title", {}), "title")
    narration = _narration(raw.get("narration", []), len(steps))
    view = raw.get("view", {})
    if type(view) is not dict:
        raise ProgramFileError("view: expected an object")
    _check_plain_json(view, "view", 0)
    cells = _cells(raw.get("cells", []), len(steps))
    return Document(program=Program(steps), title=title, narration=narration, view=view,
                    cells=cells)


def _cells(value, step_count):
    if type(value) is not list:
        raise ProgramFileError("cells: expected a list")
    cells = []
    total = 0
    for index, entry in enumerate(value):
        where = f"cells[{index}]"
        if type(entry) is not dict:
            raise ProgramFileError(f"{where}: expected an object")
        unknown = sorted(set(entry) - _CELL_KEYS)
        if unknown:
            raise ProgramFileError(f"{where}: unknown key(s) {', '.join(map(repr, unknown))}")
        steps = entry.get("steps")
        if type(steps) is not int or steps < 1:
            raise ProgramFileError(f"{where}.steps: expected a whole number of at least 1")
        total += steps
        if total > step_count:
            raise ProgramFileError(f"cells: more steps than the program's {step_count}")
        output = entry.get("output")
        if output is not None and type(output) is not str:
            raise ProgramFileError(f"{where}.output: expected a string")
        if output is not None and len(output) > MAX_TEXT:
            raise ProgramFileError(f"{where}.output: longer than {MAX_TEXT} characters")
        note = _texts(entry.get("note", {}), where + ".note")
        cells.append(Cell(steps=steps, output=output, note=note))
    return tuple(cells)


def _cell_to_json(cell):
    raw = {"steps": cell.steps}
    if cell.output is not None:
        raw["output"] = cell.output
    if cell.note:
        raw["note"] = dict(cell.note)
    return raw


def _texts(value, where):
    """A ``{language: text}`` object."""
    if type(value) is not dict:
        raise ProgramFileError(f"{where}: expected an object of texts by language")
    for language, text in value.items():
        if not _LANGUAGE.match(language):
            raise ProgramFileError(f"{where}: {language!r} is not a language code")
        if type(text) is not str:
            raise ProgramFileError(f"{where}.{language}: expected a string")
        if len(text) > MAX_TEXT:
            raise ProgramFileError(f"{where}.{language}: longer than {MAX_TEXT} characters")
    return dict(value)


def _narration(value, step_count):
    if type(value) is not list:
        raise ProgramFileError("narration: expected a list")
    if len(value) > step_count:
        raise ProgramFileError(f"narration: {len(value)} entries for {step_count} steps")
    entries = []
    for index, entry in enumerate(value):
        where = f"narration[{index}]"
        if type(entry) is not dict:
            raise ProgramFileError(f"{where}: expected an object")
        texts = {k: v for k, v in entry.items() if k != "question"}
        checked = _texts(texts, where)
        if "question" in entry:
            checked["question"] = _question(entry["question"], where + ".question")
        entries.append(checked)
    return tuple(entries)


def _question(value, where):
    if type(value) is not dict:
        raise ProgramFileError(f"{where}: expected an object")
    allowed = {"prompt", "choices", "answer", "explanation"}
    unknown = sorted(set(value) - allowed)
    if unknown:
        raise ProgramFileError(f"{where}: unknown key(s) {', '.join(map(repr, unknown))}")
    for key in ("prompt", "choices", "answer"):
        if key not in value:
            raise ProgramFileError(f"{where}: missing {key!r}")
    choices = value["choices"]
    if type(choices) is not list or not 2 <= len(choices) <= MAX_CHOICES:
        raise ProgramFileError(f"{where}.choices: expected 2 to {MAX_CHOICES} choices")
    answer = value["answer"]
    if type(answer) is not int or not 0 <= answer < len(choices):
        raise ProgramFileError(f"{where}.answer: expected the index of a choice")
    question = {"prompt": _texts(value["prompt"], where + ".prompt"),
                "choices": [_texts(c, f"{where}.choices[{i}]") for i, c in enumerate(choices)],
                "answer": answer}
    if "explanation" in value:
        question["explanation"] = _texts(value["explanation"], where + ".explanation")
    return question


def _check_plain_json(value, where, depth):
    if depth > MAX_VIEW_DEPTH:
        raise ProgramFileError(f"{where}: nested more than {MAX_VIEW_DEPTH} levels")
    if type(value) is dict:
        for key, item in value.items():
            _check_plain_json(item, f"{where}.{key}", depth + 1)
    elif type(value) is list:
        for index, item in enumerate(value):
            _check_plain_json(item, f"{where}[{index}]", depth + 1)
    elif type(value) is str and len(value) > MAX_TEXT:
        raise ProgramFileError(f"{where}: longer than {MAX_TEXT} characters")


# ------------------------------------------------------------------- saving
def document_to_json(document):
    """The JSON value of a Document (checked, so a saved file always loads)."""
    try:
        rules.validate_program(document.program.steps)
    except SubsetViolation as violation:
        raise ProgramFileError(f"cannot save: {violation.message}") from None
    raw = {"format": FORMAT, "title": dict(document.title),
           "program": steps_to_json(document.program.steps),
           "narration": [dict(entry) for entry in document.narration],
           "view": dict(document.view)}
    if document.cells:
        raw["cells"] = [_cell_to_json(cell) for cell in document.cells]
    document_from_json(json.loads(json.dumps(raw)))  # same checks as loading
    return raw


def dumps_document(document):
    return json.dumps(document_to_json(document), ensure_ascii=False, indent=1) + "\n"


def save_document(document, path):
    """Write ``document`` to ``path`` atomically (temp file, fsync, rename); a ``.py``
    path gets Python text, anything else the JSON document.

    Saving never destroys what was there: through a symbolic link the link's target is
    written (the link stays), an existing file keeps its permissions, and a file with
    other hard links is rewritten in place so every name still sees it.
    """
    path = os.path.realpath(os.fspath(path))
    text = python_text(document) if path.endswith(".py") else dumps_document(document)
    try:
        existing = os.stat(path)
    except FileNotFoundError:
        existing = None
    if existing is not None and existing.st_nlink > 1:
        _write_in_place(path, text)
        return
    folder = os.path.dirname(path)
    handle, temporary = tempfile.mkstemp(prefix=TEMPORARY_PREFIX, suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            if existing is not None:
                os.chmod(temporary, stat.S_IMODE(existing.st_mode))
            else:
                os.chmod(temporary, NEW_FILE_MODE)
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
    _fsync_folder(folder)


TEMPORARY_PREFIX = ".agx-"
NEW_FILE_MODE = 0o644  # a new file reads like one any editor makes, not the temp file's 0600


def _write_in_place(path, text):
    data = text.encode("utf-8")
    with open(path, "r+b") as stream:
        stream.write(data)
        stream.truncate(len(data))
        stream.flush()
        os.fsync(stream.fileno())


def remove_leftover_temporaries(folder, older_than_s=60.0):
    """Delete temporary files an interrupted save left in ``folder``; returns how many."""
    removed = 0
    now = time.time()
    try:
        names = os.listdir(folder)
    except OSError:
        return 0
    for name in names:
        if name.startswith(TEMPORARY_PREFIX) and name.endswith(".tmp"):
            full = os.path.join(folder, name)
            try:
                if now - os.stat(full).st_mtime >= older_than_s:
                    os.unlink(full)
                    removed += 1
            except OSError:
                continue
    return removed


def _fsync_folder(folder):
    """Make the rename durable where the platform allows it (POSIX)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
