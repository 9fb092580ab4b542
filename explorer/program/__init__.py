"""Computations as steps: source <-> steps, a sandboxed runner, and the timeline it records.

No Qt and no networkx here; ``explorer.graph`` and ``explorer.ui`` build on it.
The supported subset of Python is documented in ``SUBSET.md``.
"""
from .codegen import program_source
from .errors import LimitExceeded, ProgramFileError, ProgramSyntaxError, RunCancelled
from .files import Document, load_document, loads_document, save_document
from .limits import Limits
from .parser import parse_program
from .runner import RunHandle, run_program, start_run
from .steps import Program
from .timeline import Frame, Timeline

__all__ = [
    "Document", "Frame", "LimitExceeded", "Limits", "Program", "ProgramFileError",
    "ProgramSyntaxError", "RunCancelled", "RunHandle", "Timeline", "load_document",
    "loads_document", "parse_program", "program_source", "run_program", "save_document",
    "start_run",
]
