"""Renders the main window on a 1280x720 screen and presentation mode on a 1920x1080
screen with the tutorial's backward animation half-way (run from the repository root):

    python docs/screenshots/render_classroom.py

Each picture is made in its own process, on an offscreen screen of that size, so the
window sizes itself as it would on such a screen.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
TUTORIAL = """\
x = torch.ones(2, 2, requires_grad=True)
y = x + 2
z = y * y * 3
out = z.mean()
print(out)
out.backward()
print(x.grad)
"""
SHOTS = {"main-window-1280x720.png": (1280, 720, False),
         "presentation-1920x1080.png": (1920, 1080, True)}


def shoot(name: str, presenting: bool):
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tempfile.mkdtemp())
    from explorer.ui.main_window import MainWindow
    from explorer.ui.program_bridge import parse_program

    window = MainWindow("autograd-explorer-screenshots")
    window.files.ask_save_changes = lambda: "discard"
    window.show()
    window.open_program(parse_program(TUTORIAL))
    window.controller.wait(30)
    frames = window.controller.frames
    backward = next(frame for frame in frames if frame.events)
    if presenting:
        window.presentation.enter()
    window.controller.go_to(backward.index)
    animator = window.backward_tools.animator
    animator.seek(len(animator.events) // 2)
    for _ in range(20):
        app.processEvents()
    window.grab().save(str(HERE / name))
    window.close()


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--shot":
        shoot(sys.argv[2], SHOTS[sys.argv[2]][2])
        return
    for name, (width, height, _presenting) in SHOTS.items():
        with tempfile.TemporaryDirectory() as folder:
            config = Path(folder) / "screen.json"
            config.write_text(json.dumps({"screens": [{"name": "screen", "x": 0, "y": 0, "width": width,
                                                       "height": height, "logicalDpi": 96, "dpr": 1}]}))
            environment = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}",
                               PYTHONPATH=str(ROOT))
            subprocess.run([sys.executable, __file__, "--shot", name], cwd=ROOT, env=environment, check=True)
        print(HERE / name)


if __name__ == "__main__":
    main()
