"""Page cells -> a lesson Document: each cell's code becomes consecutive top-level
steps (one stop of the lesson), the prose before it the narration of its first step,
and what the page shows as its output the cell's expected output.

Code that cannot run here is still shown: shell and magic lines (``!pip``,
``%matplotlib``) and cells in other languages become comment lines, with a note.
"""
import ast
import re

from ..program.errors import ProgramSyntaxError
from ..program.files import MAX_TEXT, Cell, Document
from ..program.parser import parse_program
from ..program.steps import Code, Program
from .text_limits import clip_text, language_of

MAX_CELLS = 500
PYTHON_LANGUAGES = {"", "python", "python3", "py", "ipython", "ipython3", "default", "pycon"}
# Cell magics that only time or capture a cell: the rest of the cell is plain Python.
_HARMLESS_CELL_MAGICS = {"time", "timeit", "capture"}
# Calls whose value a notebook shows as nothing (they return None), so the last line
# is not turned into a print.
_NO_VALUE_CALLS = {"print", "backward", "display", "manual_seed", "seed"}

NOTES = {
    "magic": {"en": "Shell and magic lines are shown as comments and not run.",
              "zh": "shell 与魔法命令行以注释显示，不运行。"},
    "language": {"en": "A {language} cell: shown, not run.",
                 "zh": "{language} 单元：仅显示，不运行。"},
    "syntax": {"en": "Not run: {error}", "zh": "未运行：{error}"},
    "display": {"en": "The last line's value is printed, as the notebook shows it.",
                "zh": "最后一行的值被打印出来，与笔记本的显示一致。"},
    "long_output": {"en": "The page's output is too long to keep; it is not compared.",
                    "zh": "页面上的输出太长，未保留，不做比对。"},
    "too_many": {"en": "Only the first {count} cells are imported.",
                 "zh": "只导入了前 {count} 个单元。"},
}


def _note(key, **values):
    return {language: text.format(**values) for language, text in NOTES[key].items()}


def _join_notes(notes):
    joined = {}
    for note in notes:
        for language, text in note.items():
            joined[language] = (joined[language] + " " + text) if language in joined else text
    return {language: clip_text(text) for language, text in joined.items()}


def commented(code):
    """Every line of ``code`` as a comment, so it is shown and never run."""
    return "".join("# " + line if line.strip() else line
                   for line in code.splitlines(keepends=True)) or "#\n"


def _without_magics(code):
    """(code with shell/magic lines commented out, whether any were, cell magic name)."""
    lines = code.splitlines(keepends=True)
    first = lines[0].strip() if lines else ""
    if first.startswith("%%"):
        name = first[2:].split(None, 1)[0] if first[2:].strip() else ""
        if name not in _HARMLESS_CELL_MAGICS:
            return code, True, name or "magic"
    changed = False
    kept = []
    for line in lines:
        stripped = line.lstrip()
        if stripped.startswith(("!", "%")) or re.match(r"^[A-Za-z_][\w.]*\?{1,2}\s*$", stripped):
            indent = line[:len(line) - len(stripped)]
            kept.append(indent + "# " + stripped)
            changed = True
        else:
            kept.append(line)
    return "".join(kept), changed, None


def _shows_value(statement):
    """A bare expression whose value a notebook or session shows (calls known to return
    None, like ``print`` and ``backward``, show nothing)."""
    if type(statement) is not ast.Expr:
        return False
    value = statement.value
    if isinstance(value, ast.Call):
        func = value.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        return name not in _NO_VALUE_CALLS
    return True


def _print_values(code, every=False):
    """``code`` with its last statement (``every``: each top-level statement), when a bare
    expression, written as ``print(...)``, as a notebook (a session) shows that value;
    None when nothing changes."""
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    chosen = tree.body if every else tree.body[-1:]
    lines = code.splitlines(keepends=True)
    changed = False
    for statement in reversed(chosen):  # bottom up: earlier positions stay valid
        if not _shows_value(statement):
            continue
        start, end = statement.lineno - 1, statement.end_lineno - 1
        head = lines[start][:statement.col_offset]
        if head.strip():  # another statement on the same line (``a = 1; a``)
            continue
        text = ast.get_source_segment(code, statement)
        if text is None:
            continue
        tail = lines[end][statement.end_col_offset:]
        lines[start:end + 1] = [head + "print(" + text + ")" + tail]
        changed = True
    return "".join(lines) if changed else None


def document_from_cells(page_cells, title=""):
    """A lesson ``Document`` from ``PageCell``s, in page order."""
    steps, narration, cells = [], [], []
    extra_note = None
    if len(page_cells) > MAX_CELLS:
        page_cells = page_cells[:MAX_CELLS]
        extra_note = _note("too_many", count=MAX_CELLS)
    for page_cell in page_cells:
        cell_steps, output, notes = _cell_steps(page_cell)
        first = len(steps)
        steps.extend(cell_steps)
        prose = clip_text(page_cell.prose.strip())
        entry = {language_of(prose): prose} if prose else {}
        while len(narration) < first:
            narration.append({})
        narration.append(entry)
        narration.extend({} for _ in cell_steps[1:])
        cells.append(Cell(steps=len(cell_steps), output=output, note=_join_notes(notes)))
    if extra_note and cells:
        last = cells[-1]
        cells[-1] = Cell(steps=last.steps, output=last.output,
                         note=_join_notes([last.note, extra_note]))
    while narration and not narration[-1]:
        narration.pop()
    title = clip_text(title.strip())
    return Document(program=Program(tuple(steps)),
                    title={language_of(title): title} if title else {},
                    narration=tuple(narration), cells=tuple(cells))


def _cell_steps(page_cell):
    """(steps, expected output, notes) of one cell; always at least one step."""
    notes = []
    output = page_cell.output
    if output is not None:
        output = output if output.endswith("\n") or not output else output + "\n"
        if len(output) > MAX_TEXT:
            output = None
            notes.append(_note("long_output"))
    if page_cell.note:
        notes.append({"en": page_cell.note})
    code = page_cell.code
    language = (page_cell.language or "").lower()
    if language not in PYTHON_LANGUAGES:
        notes.append(_note("language", language=page_cell.language))
        return (Code(source=commented(code)),), output, notes
    code, changed, cell_magic = _without_magics(code)
    if cell_magic:
        notes.append(_note("language", language="%%" + cell_magic))
        return (Code(source=commented(code)),), output, notes
    if changed:
        notes.append(_note("magic"))
    if page_cell.displays_value and output is not None:
        printed = _print_values(code, every=page_cell.displays_every_value)
        if printed is not None:
            code = printed
            notes.append(_note("display"))
    try:
        steps = _steps_keeping_magics(code)
    except ProgramSyntaxError as error:
        notes.append(_note("syntax", error=str(error)))
        return (Code(source=commented(code)),), output, notes
    if not steps:  # comments only: kept, so the cell is still a stop
        return (Code(source=code if code.strip() else "#\n"),), output, notes
    return steps, output, notes


def _steps_keeping_magics(code):
    """Steps of a cell whose shell/magic lines are already comments: each run of such
    lines at the top level becomes a code step of its own, so it stays on show (the
    parser keeps no comments between statements)."""
    pieces, python, magic = [], [], []
    for line in code.splitlines(keepends=True):
        if line.startswith(("# !", "# %")):
            if python:
                pieces.append(("python", "".join(python)))
                python = []
            magic.append(line)
        else:
            if magic:
                pieces.append(("magic", "".join(magic)))
                magic = []
            python.append(line)
    if magic:
        pieces.append(("magic", "".join(magic)))
    if python:
        pieces.append(("python", "".join(python)))
    if len(pieces) == 1 and pieces[0][0] == "python":
        return tuple(parse_program(code).steps)
    steps = []
    for kind, text in pieces:
        if kind == "magic":
            steps.append(Code(source=text))
        else:
            steps.extend(parse_program(text).steps)
    return tuple(steps)
