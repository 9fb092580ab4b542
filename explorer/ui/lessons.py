"""Where the program shown at start-up comes from.

The first built-in lesson file when one is installed, else the tutorial's first
autograd example, so a newcomer sees a graph at once.
"""
from __future__ import annotations

from pathlib import Path

FIRST_EXAMPLE = """\
x = torch.ones(2, 2, requires_grad=True)
y = x ** 2
z = y * y * 3
out = z.mean()
out.backward()
print(x.grad)
"""

_PACKAGE = Path(__file__).resolve().parent.parent
LESSON_FOLDERS = (_PACKAGE / "assets" / "lessons", _PACKAGE.parent / "assets" / "lessons")


def lesson_files() -> list[Path]:
    found = []
    for folder in LESSON_FOLDERS:
        if folder.is_dir():
            found.extend(sorted(folder.glob("*.json")))
    return found


def first_lesson() -> Path | None:
    files = lesson_files()
    return files[0] if files else None
