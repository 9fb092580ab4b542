"""The window fits the screen it opens on, with docks wide enough to use.

A fixed 1262x850 window put the Run bar and the Output below a 1280x720 screen's
edge; the Program dock came out ~105 px wide, too narrow for the block form; the
Lessons dock, stacked under the Inspector, hid its .grad history; opening a file
while presenting showed the Lessons dock again.
"""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from explorer.drawing.fonts import character_width
from explorer.lessons import lesson_path

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import json, sys, tempfile
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
app = QApplication([])
QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tempfile.mkdtemp())
from explorer.ui.main_window import MainWindow
window = MainWindow("autograd-explorer-tests")
window.show()
app.processEvents()
def rect(widget):
    top_left = widget.mapToGlobal(widget.rect().topLeft())
    return [top_left.x(), top_left.y(), widget.width(), widget.height()]
available = window.screen().availableGeometry()
print(json.dumps({"screen": [available.x(), available.y(), available.width(), available.height()],
                  "window": [window.x(), window.y(), window.width(), window.height()],
                  "run_bar": rect(window.timeline_bar), "output": rect(window.console)}))
window.close()
"""


def _inside(inner, outer):
    return (inner[0] >= outer[0] and inner[1] >= outer[1]
            and inner[0] + inner[2] <= outer[0] + outer[2] and inner[1] + inner[3] <= outer[1] + outer[3])


@pytest.mark.parametrize("size", ((1280, 720), (1600, 1000)), ids=lambda size: f"{size[0]}x{size[1]}")
def test_window_1262x850_whatever_the_screen_no_more(tmp_path, size):
    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"screens": [{"name": "screen", "x": 0, "y": 0, "width": size[0],
                                               "height": size[1], "logicalDpi": 96, "dpr": 1}]}))
    environment = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}")
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=environment,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout.strip().splitlines()[-1])
    assert shown["screen"] == [0, 0, size[0], size[1]]
    assert _inside(shown["window"], shown["screen"])
    assert shown["window"][2] >= 0.8 * size[0] and shown["window"][3] >= 0.8 * size[1]
    assert _inside(shown["run_bar"], shown["screen"]) and _inside(shown["output"], shown["screen"])


def test_program_dock_105_px_wide_no_more(window):
    character = character_width(window.fontMetrics())
    assert window.program_dock.width() >= 29 * character


def test_lessons_dock_hides_the_grad_history_no_more(window, qtbot):
    inspector = window.inspector_dock
    height = inspector.height()
    assert window.files.load(str(lesson_path("accumulate-and-zero")))
    lessons = window.backward_tools.lessons_dock
    qtbot.waitUntil(lessons.isVisible)
    assert not lessons.geometry().intersects(inspector.geometry())
    assert inspector.height() >= 0.8 * height   # the Output row may grow a little, no more


def test_opening_a_file_while_presenting_reshows_the_lessons_dock_no_more(window, qtbot):
    window.presentation.enter()
    try:
        assert window.files.load(str(lesson_path("no-grad")))
        assert not window.backward_tools.lessons_dock.isVisible()
    finally:
        window.presentation.leave()
