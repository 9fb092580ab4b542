"""Telling a page's code blocks from the outputs it shows, and pairing prose with code.

Readers of Markdown and HTML see a flat sequence of prose and highlighted blocks; in
many pages (this project's seed among them) outputs are highlighted exactly like code.
A block is an output when the page says so (an output container, a ``text`` block)
or when it follows a code block directly, with no prose between, that cell prints
something, and the block reads like printed values rather than statements.
"""
import ast
import warnings
from dataclasses import dataclass

from .page_cell import PageCell

OUTPUT_LANGUAGES = {"text", "none", "output", "out", "console-output", "myst-ansi", "ansi",
                    "plaintext", "txt"}


@dataclass
class Block:
    """A highlighted block: its text, its language as the page names it ("" when it
    names none), and whether the page marks it as an output."""

    text: str
    language: str = ""
    is_output: bool = False


def _statements(text):
    with warnings.catch_warnings():  # odd escapes in printed text are not our business
        warnings.simplefilter("ignore")
        try:
            return ast.parse(text).body
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return None


def prints_something(code):
    """Whether a cell can show an output: it prints, or ends with a bare value."""
    if "print(" in code:
        return True
    body = _statements(code)
    return bool(body) and type(body[-1]) is ast.Expr


def reads_like_output(text):
    """Printed values, not statements: text that is not Python, or only expressions
    with no method calls and no ``print`` (``None``, ``True``, ``tensor([...])``)."""
    body = _statements(text)
    if body is None:
        return True
    if not body:
        return False
    for statement in body:
        if type(statement) is not ast.Expr:
            return False
        for node in ast.walk(statement):
            if isinstance(node, ast.Call):
                func = node.func
                if isinstance(func, ast.Attribute) or getattr(func, "id", "") == "print":
                    return False
    return True


def doctest_parts(text):
    """(code, output) of an interactive-session block (``>>> `` and ``... `` prompts, the
    printed lines between); None for a block without prompts."""
    lines = text.splitlines()
    if not any(line.startswith(">>>") for line in lines):
        return None
    code, output = [], []
    for line in lines:
        if line.startswith((">>> ", "... ")) or line in (">>>", "..."):
            code.append(line[4:])
        elif line.strip():
            output.append(line)
    return "\n".join(code) + "\n", ("\n".join(output) + "\n") if output else None


def cells_from_blocks(items):
    """PageCells from a sequence of prose strings and ``Block``s, in page order."""
    cells = []
    prose = []
    for item in items:
        if isinstance(item, str):
            if item.strip():
                prose.append(item.strip())
            continue
        session = doctest_parts(item.text)
        if session is not None:
            code, output = session
            cells.append(PageCell(code=code, prose="\n\n".join(prose), output=output,
                                  displays_value=output is not None,
                                  displays_every_value=True))
            prose = []
            continue
        previous = cells[-1] if cells else None
        explicit_output = item.is_output or item.language.lower() in OUTPUT_LANGUAGES
        directly_after_code = previous is not None and not prose
        # A block that names another language (``bash``) is a cell of its own.
        may_be_output = _python_or(item.language) == "python"
        if previous is not None and (
                (explicit_output and (directly_after_code or item.is_output))
                or (directly_after_code and may_be_output and prints_something(previous.code)
                    and reads_like_output(item.text))):
            previous.output = (previous.output or "") + _with_newline(item.text)
            previous.displays_value = True  # a notebook-made page shows the last value
            continue
        if explicit_output and item.language.lower() in OUTPUT_LANGUAGES and not item.is_output:
            # a text block after prose is part of the prose (a listing, a formula)
            prose.append(item.text.strip())
            continue
        cells.append(PageCell(code=_with_newline(item.text), prose="\n\n".join(prose),
                              language=_python_or(item.language)))
        prose = []
    return cells


def _python_or(language):
    language = (language or "").lower()
    return "python" if language in ("", "python", "python3", "py", "ipython3", "ipython",
                                    "default") else language


def _with_newline(text):
    return text if text.endswith("\n") or not text else text + "\n"
