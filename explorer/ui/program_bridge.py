"""The few calls the interface makes into ``explorer.program``, in one place.

Parsing, source generation, running and files all live in ``explorer.program``;
this module names what the widgets use so they do not each reach into its
modules, and so the pieces still missing there fail in one spot.
"""
from __future__ import annotations

from explorer.program.codegen import expression_source, program_source, step_lines
from explorer.program.errors import ProgramFileError, ProgramSyntaxError
from explorer.program.files import Document, save_document
from explorer.program.parser import parse_program
from explorer.program.steps import ExprStatement, Program
from explorer.program.timeline import ERROR, ErrorInfo, Timeline
from explorer.sources import open_document

__all__ = ["ProgramFileError", "ProgramSyntaxError", "Program", "parse_program", "program_source",
           "step_source", "step_lines", "expression_source", "parse_expression", "run_program",
           "load_program", "save_program"]


def step_source(step) -> str:
    return "\n".join(step_lines(step))


def parse_expression(text: str):
    """One expression from text, checked by the same rules as a whole program.

    A bare expression is not a step in the subset, so the text is read as the
    argument of ``print``, the one call that accepts any expression.
    """
    if "\n" in text.strip():
        raise ProgramSyntaxError("expected one expression on one line", 1, 1, "expression")
    program = parse_program(f"print({text.strip()})\n")
    call = program.steps[0].value if len(program.steps) == 1 else None
    if type(program.steps[0]) is not ExprStatement or len(call.args) != 1 or call.keywords:
        raise ProgramSyntaxError("expected one expression", 1, 1, "expression")
    return call.args[0]


def code_step_at_line(program: Program, line: int):
    """(runner path, step) of the code block holding the file's ``line``, or (None, None)."""
    for path, step in program.iter_steps():
        if type(step).__name__ == "Code" and step.line <= line < step.line + len(step_lines(step)):
            return path, step
    return None, None


def start_program_run(program: Program, on_frame=None):
    """Start ``program`` on a worker thread; returns a ``RunHandle`` (``cancel``, ``done``,
    ``wait``), or a finished Timeline when the machinery itself cannot start."""
    try:
        import engine
        from explorer.program.runner import start_run
    except Exception as error:  # a broken install must not take the editor down with it
        return Timeline(frames=[], status=ERROR, error=ErrorInfo(type(error).__name__, str(error)))
    return start_run(program, engine, on_frame=on_frame)


def run_program(program: Program):
    """Run ``program`` on the engine and return its ``Timeline`` (frames with snapshots).

    A failure of the machinery itself (not of the program) gives an empty timeline
    whose error says what went wrong, so the window stays usable.
    """
    try:
        import engine
        from explorer.program.runner import run_program as run
    except Exception as error:  # a broken install must not take the editor down with it
        return Timeline(frames=[], status=ERROR, error=ErrorInfo(type(error).__name__, str(error)))
    try:
        return run(program, engine)
    except ImportError:
        # The snapshot recorder is optional: without it frames still carry output and errors.
        return run(program, engine, record=False)


def load_program(path: str):
    """(program, the file's other fields) from a computation or lesson file, a ``.py``
    program, or a tutorial (notebook, Markdown, saved page, ``# %%`` script). An imported
    tutorial's fields name it under ``imported_from``: it is a new, unsaved lesson."""
    document, imported = open_document(path)
    fields = {"title": dict(document.title), "narration": tuple(document.narration),
              "view": dict(document.view)}
    if document.cells:
        fields["cells"] = tuple(document.cells)
    if imported:
        fields["imported_from"] = path
    if document.source is not None:
        fields["source"] = document.source  # the code pane shows the file's own text
    return document.program, fields


def save_program(path: str, program: Program, fields: dict | None = None):
    """Write atomically (the file layer's guarantee); narration beyond the last step is dropped."""
    fields = fields or {}
    narration = tuple(fields.get("narration", ()))[: len(program.steps)]
    cells = tuple(fields.get("cells", ()))
    if sum(cell.steps for cell in cells) > len(program.steps):
        cells = ()  # steps were deleted since the import: the page's cells no longer fit
    document = Document(program=program, title=dict(fields.get("title", {})), narration=narration,
                        view=dict(fields.get("view", {})), source=fields.get("source"),
                        cells=cells)
    save_document(document, path)
