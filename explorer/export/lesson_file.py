"""``autograd-explorer export PAGE -o lesson.agx.json``: a tutorial (or any file the app
opens) written as a lesson file, with no window and nothing run."""
from __future__ import annotations

from explorer.program.errors import ProgramFileError
from explorer.program.files import dumps_document

from .pipeline import ExportError, load, one_line

LESSON_SUFFIX = ".agx.json"


def is_lesson_target(path: str) -> bool:
    return path.lower().endswith(LESSON_SUFFIX)


def lesson_bytes(source: str) -> bytes:
    """The ``.agx.json`` text of the file ``source`` (``writing.check_target`` keeps it from
    being written over ``source``)."""
    document = load(source)
    try:
        return dumps_document(document).encode("utf-8")
    except ProgramFileError as error:
        raise ExportError(one_line(f"{source}: {error}")) from None
