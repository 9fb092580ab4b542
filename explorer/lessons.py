"""The built-in lessons: their order, ids, files and titles.

Each lesson is an ``.agx.json`` file in the ``lessons`` folder of the assets
(see ``assets/lessons/README.md``), named ``NN-<id>.agx.json`` so that sorting
the file names gives the teaching order. The assets live in one of two places:

- installed: package data, ``explorer/assets/`` (the ``explorer.assets`` package);
- a source checkout: the repository's top-level ``assets/``.

The installed location is tried first. Loading goes through
``explorer.program.files``, so it validates strictly and never runs code.
No Qt here: the UI and the tests use the same catalog.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from explorer.program.files import load_document

_HERE = Path(__file__).resolve().parent
PACKAGE_ASSETS = _HERE / "assets"          # installed: package data of explorer
CHECKOUT_ASSETS = _HERE.parent / "assets"  # source checkout: the repository's assets/
ASSET_FOLDERS = (PACKAGE_ASSETS, CHECKOUT_ASSETS)
LESSONS_SUBFOLDER = "lessons"
SUFFIX = ".agx.json"

# The built-in lessons in teaching order: the tutorial's ideas first, then beyond it.
LESSON_IDS = (
    "no-grad-fn",
    "requires-grad",
    "first-graph",
    "requires-grad-in-place",
    "backward-scalar",
    "accumulate-and-zero",
    "jacobian-vector-product",
    "no-grad",
    "data-edits",
    "detach-and-versions",
    "retain-graph",
    "retain-grad-and-hooks",
    "higher-order",
    "training-step",
)


class LessonNotFound(LookupError):
    """No built-in lesson with that id, or no lessons folder at all."""


@dataclass(frozen=True)
class Lesson:
    """One catalog entry: ``number`` counts from 1 in teaching order."""

    id: str
    number: int
    path: Path
    title: dict = field(default_factory=dict)

    def title_in(self, language: str = "en") -> str:
        """The title in ``language`` ("zh", "zh-CN", ...), else English, else the id."""
        primary = language.split("-")[0]
        for key in (language, primary, "en"):
            if self.title.get(key):
                return self.title[key]
        return self.id


def lesson_file_name(number: int, lesson_id: str) -> str:
    return f"{number:02d}-{lesson_id}{SUFFIX}"


def assets_folder(candidates=None) -> Path:
    """The first of ``candidates`` (default ``ASSET_FOLDERS``) that holds a lessons folder."""
    candidates = ASSET_FOLDERS if candidates is None else tuple(candidates)
    for folder in candidates:
        folder = Path(folder)
        if (folder / LESSONS_SUBFOLDER).is_dir():
            return folder
    searched = ", ".join(str(Path(folder) / LESSONS_SUBFOLDER) for folder in candidates)
    raise LessonNotFound(f"no lessons folder found (looked in {searched})")


def lessons_folder(candidates=None) -> Path:
    return assets_folder(candidates) / LESSONS_SUBFOLDER


def list_lessons(folder=None) -> tuple[Lesson, ...]:
    """Every built-in lesson in teaching order, titles read from its file.

    ``folder`` is a lessons folder; by default the one ``lessons_folder()`` finds.
    Raises ``ProgramFileError`` when a lesson file is missing or invalid.
    """
    folder = lessons_folder() if folder is None else Path(folder)
    lessons = []
    for number, lesson_id in enumerate(LESSON_IDS, start=1):
        path = folder / lesson_file_name(number, lesson_id)
        document = load_document(path)
        lessons.append(Lesson(lesson_id, number, path, dict(document.title)))
    return tuple(lessons)


def lesson_path(lesson_id: str, folder=None) -> Path:
    """Where the lesson ``lesson_id`` is stored (the file is not read)."""
    if lesson_id not in LESSON_IDS:
        raise LessonNotFound(f"no built-in lesson {lesson_id!r} (known: {', '.join(LESSON_IDS)})")
    folder = lessons_folder() if folder is None else Path(folder)
    return folder / lesson_file_name(LESSON_IDS.index(lesson_id) + 1, lesson_id)


def load_lesson(lesson, folder=None):
    """The ``Document`` of a lesson, given a ``Lesson`` or a lesson id."""
    path = lesson.path if isinstance(lesson, Lesson) else lesson_path(lesson, folder)
    return load_document(path)


def is_bundled(path) -> bool:
    """Is ``path`` one of the built-in lesson files? (They are read-only: Save becomes Save As.)"""
    try:
        folder = lessons_folder().resolve()
        return Path(path).resolve().parent == folder
    except (OSError, LessonNotFound):
        return False
