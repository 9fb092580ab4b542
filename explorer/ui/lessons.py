"""Where the program shown at start-up comes from.

The first built-in lesson file when one is installed, else the tutorial's first
autograd example, so a newcomer sees a graph at once.
"""
from __future__ import annotations

from pathlib import Path

from explorer.lessons import LESSON_IDS, LessonNotFound, lesson_path

FIRST_EXAMPLE = """\
x = torch.ones(2, 2, requires_grad=True)
y = x ** 2
z = y * y * 3
out = z.mean()
out.backward()
print(x.grad)
"""

def first_lesson() -> Path | None:
    """The first built-in lesson's file (explorer.lessons finds the folder), or None."""
    try:
        path = lesson_path(LESSON_IDS[0])
    except LessonNotFound:
        return None
    return path if path.is_file() else None
