"""Renders the window with the seed tutorial page imported as a lesson: its Chinese
narration and a mark per shown output (run from the repository root).

    QT_QPA_PLATFORM=offscreen python docs/screenshots/render_imported_tutorial.py
"""
from __future__ import annotations

from pathlib import Path

from screenshot_window import screenshot_window, settle

HERE = Path(__file__).resolve().parent
PAGE = HERE.parents[1] / "tests" / "sources" / "data" / "tutorial-2.2-autograd.html"
# The frame shown: the last step of the requires_grad_ cell, both graphs of the page drawn.
CELL = 5


def main():
    application, window = screenshot_window()
    window.files.load(str(PAGE))
    controller = window.controller
    controller.wait(60)
    cells = window.document.fields["cells"]
    last = sum(cell.steps for cell in cells[:CELL + 1]) - 1
    index = next(i for i, frame in enumerate(controller.frames) if frame.path == (last,))
    controller.go_to(index)
    settle()
    window.grab().save(str(HERE / "imported-tutorial.png"))
    window.close()
    del application


if __name__ == "__main__":
    main()
