"""Renders the window showing a Module's calls as boxes to PNG (run from the repository root).

    QT_QPA_PLATFORM=offscreen python docs/screenshots/render_module_groups.py
"""
from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, the repository root must be importable (for tests.call_programs).
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from screenshot_window import screenshot_window, settle  # noqa: E402

from explorer.ui.program_bridge import parse_program  # noqa: E402
from tests.call_programs import TWO_LAYER  # noqa: E402  (the program the group tests draw)

HERE = Path(__file__).resolve().parent


def main():
    application, window = screenshot_window()
    window.open_program(parse_program(TWO_LAYER))
    controller = window.controller
    controller.go_to(len(controller.frames) - 1)
    settle()
    # The picture is of the boxes, all of them: Fit to Window, past the readable fit's floor.
    window.graph_panel.view.fit()
    settle()
    window.grab().save(str(HERE / "module-groups.png"))
    window.close()
    del application


if __name__ == "__main__":
    main()
