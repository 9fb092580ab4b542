"""Renders a student's page of "Share with class" in headless Chromium, phone-sized and
laptop-sized, with lesson 5's backward pass half-way and its question on screen (run from the
repository root; needs Chromium):

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

LESSON = ROOT / "assets" / "lessons" / "05-backward-scalar.agx.json"
SHOTS = {"share-student-phone.png": (390, 844), "share-student-laptop.png": (1366, 768)}


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


if __name__ == "__main__":
    main("zh" if "--lang" in sys.argv and sys.argv[-1] == "zh" else "en")
