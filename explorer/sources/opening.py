"""One entry for every file a lesson can come from: ``.agx.json`` lessons and ``.py``
programs through ``program.files``, tutorials (notebooks, Markdown, saved pages, ``.py``
with ``# %%`` cells) through this package's readers. Nothing is run."""
import os

from ..program.files import load_document
from .percent_script import has_cell_markers
from .reading import TUTORIAL_SUFFIXES, read_tutorial


def is_imported(path):
    """Whether ``path`` names a tutorial by its suffix (``.py`` files are decided by
    their text, see ``open_document``)."""
    return os.fspath(path).lower().endswith(TUTORIAL_SUFFIXES)


def open_document(path):
    """(Document, whether it was imported from a tutorial); raises ``ProgramFileError``.

    An imported document is a new lesson: saving it must never write over its page.
    """
    if is_imported(path):
        return read_tutorial(path), True
    document = load_document(path)
    if document.source is not None and has_cell_markers(document.source):
        return read_tutorial(path), True
    return document, False
