"""Open a tutorial file as a lesson: pick the reader by suffix, refuse what is too big
before parsing it, decode it, and turn its cells into a Document.

Every problem is one ``ProgramFileError`` line naming the file: a hostile page gives
that line or a lesson, never a crash or a hang.
"""
import codecs
import os
import re

from ..program.errors import ProgramFileError
from .html_page import html_cells
from .lesson import document_from_cells
from .markdown import markdown_cells
from .notebook import NotebookError, notebook_cells
from .percent_script import has_cell_markers, percent_cells
from .text_limits import MAX_PAGE_BYTES, MAX_TUTORIAL_BYTES

TUTORIAL_SUFFIXES = (".ipynb", ".md", ".markdown", ".html", ".htm")
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def is_tutorial_path(path, text=None):
    """Whether ``path`` is read by this package: a notebook, Markdown, a saved page, or a
    ``.py`` whose ``text`` has ``# %%`` cells."""
    name = os.fspath(path).lower()
    if name.endswith(TUTORIAL_SUFFIXES):
        return True
    return name.endswith(".py") and text is not None and has_cell_markers(text)


def read_tutorial(path):
    """The lesson Document of a tutorial file; raises ``ProgramFileError``."""
    path = os.fspath(path)
    limit = _size_limit(path)
    try:
        size = os.path.getsize(path)
        if size > limit:
            raise ProgramFileError(f"{path}: {_megabytes(size)} is too big to import (the "
                                   f"limit is {_megabytes(limit)})")
        with open(path, "rb") as stream:
            data = stream.read(limit + 1)
    except OSError as error:
        raise ProgramFileError(f"{path}: cannot read: {error.strerror or error}") from None
    try:
        return read_tutorial_text(path, data)
    except ProgramFileError as error:
        raise ProgramFileError(f"{path}: {error}") from None


def read_tutorial_text(name, data):
    """The lesson Document of a tutorial's bytes; ``name`` picks the reader."""
    lower = os.fspath(name).lower()
    limit = _size_limit(lower)
    if len(data) > limit:  # a file that grew while read, or bytes handed in
        raise ProgramFileError(f"too big to import (the limit is {_megabytes(limit)})")
    fallback_title = os.path.splitext(os.path.basename(os.fspath(name)))[0]
    if lower.endswith((".html", ".htm")):
        cells, title = _guard(html_cells, _decode_page(data))
    elif lower.endswith(".ipynb"):
        try:
            cells, title = notebook_cells(_decode_text(data))
        except NotebookError as error:
            raise ProgramFileError(str(error)) from None
    elif lower.endswith((".md", ".markdown")):
        cells, title = _guard(markdown_cells, _decode_text(data))
    elif lower.endswith(".py"):
        cells, title = percent_cells(_decode_text(data)), ""
    else:
        raise ProgramFileError("not a notebook, Markdown file, saved page or # %% script")
    if not cells:
        raise ProgramFileError("no Python code cells found")
    return document_from_cells(cells, title or fallback_title)


def _size_limit(name):
    return MAX_PAGE_BYTES if os.fspath(name).lower().endswith((".html", ".htm")) \
        else MAX_TUTORIAL_BYTES


def _guard(reader, text):
    try:
        return reader(text)
    except (RecursionError, MemoryError):
        raise ProgramFileError("the page is too deeply nested to read") from None


def _decode_text(data):
    try:
        return bytes(data).decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ProgramFileError(f"not UTF-8 text ({error.reason} at byte {error.start})") from None


def _decode_page(data):
    """A web page's text, as a browser reads it: its BOM or declared charset, else UTF-8;
    bytes that do not decode become U+FFFD instead of stopping the import."""
    data = bytes(data)
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    declared = _CHARSET.search(data[:4096])
    encoding = "utf-8"
    if declared:
        try:
            encoding = codecs.lookup(declared.group(1).decode("ascii")).name
        except (LookupError, UnicodeDecodeError):
            encoding = "utf-8"
    return data.decode(encoding, errors="replace")


def _megabytes(size):
    return f"{size / (1024 * 1024):.0f} MB"
