"""Renders a student's page of "Share with class" in headless Chromium, phone-sized and
laptop-sized, with lesson 5's backward pass half-way and its question on screen, and the
teacher's window sharing lesson 5 with five answers counted (run from the repository root;
the student pages need Chromium):

    python docs/screenshots/render_share.py [--lang zh]
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The window's autosave writes to a throwaway folder, never the user's.
os.environ.setdefault("AUTOGRAD_EXPLORER_DATA_DIR", tempfile.mkdtemp(prefix="autograd-explorer-shots-"))

LESSON = ROOT / "assets" / "lessons" / "05-backward-scalar.agx.json"
SHOTS = {"share-student-phone.png": (390, 844), "share-student-laptop.png": (1366, 768)}
TEACHER = "share-teacher.png"
TEACHER_SIZE = (1400, 860)
ANSWERS = (0, 0, 2, 1, 0)


def main(language: str = "en"):
    from explorer.export.pipeline import load, run
    from explorer.export.scene import ensure_application
    from explorer.share.session import ClassShare
    from tests.share.clients import Chromium, ClientLoop

    ensure_application()
    document = load(LESSON)
    timeline = run(document)
    backward = next(frame.index for frame in timeline.frames if frame.ran_backward)
    share = ClassShare(host="127.0.0.1", language=language)
    url = share.start()
    share.show_run(document, timeline)
    share.show(backward, 3)
    clients = ClientLoop()
    try:
        for name, (width, height) in SHOTS.items():
            with tempfile.TemporaryDirectory() as profile:
                browser = Chromium(profile)
                try:
                    clients.run(browser.launch(width, height), 90)
                    clients.run(browser.open(url))
                    clients.run(browser.wait_for("document.querySelector('.badge')"))
                    (HERE / name).write_bytes(clients.run(browser.screenshot()))
                    print(HERE / name)
                finally:
                    clients.run(browser.close())
    finally:
        clients.close()
        share.stop()


def teacher(language: str = "en"):
    """The window sharing lesson 5 at its question, with ``ANSWERS`` counted in the chart."""
    import json
    import time
    import urllib.request

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from explorer.export.scene import ensure_application
    from explorer.i18n import install_translator
    from explorer.ui.main_window import MainWindow

    application = ensure_application()
    install_translator(application, language)
    with tempfile.TemporaryDirectory() as folder:
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, folder)
        window = MainWindow("autograd-explorer-screenshots")
        window.resize(*TEACHER_SIZE)
        window.show()
        window.backward_tools.lesson_browser.open_lesson("backward-scalar")
        window.controller.wait()

        def settle(seconds: float = 0.3):
            deadline = time.monotonic() + seconds
            while time.monotonic() < deadline:
                QApplication.processEvents()
                time.sleep(0.01)
        settle()
        window.share.host = "127.0.0.1"
        window.share.action.trigger()
        window.controller.go_to(next(frame.index for frame in window.controller.frames
                                     if frame.ran_backward) - 1)
        settle()
        question, _ = window.share.share.answer_counts()
        for number, choice in enumerate(ANSWERS):
            client = f"student-{number:04d}"
            body = json.dumps({"question": question["id"], "choice": choice, "client": client})
            urllib.request.urlopen(urllib.request.Request(
                window.share.share.url + "answer", data=body.encode(),
                headers={"Content-Type": "application/json"}), timeout=5).read()
        settle(0.6)
        window.grab().save(str(HERE / TEACHER))
        print(HERE / TEACHER)
        window.share.stop()
        window.close()


if __name__ == "__main__":
    language = "zh" if "--lang" in sys.argv and sys.argv[-1] == "zh" else "en"
    teacher(language)
    main(language)
