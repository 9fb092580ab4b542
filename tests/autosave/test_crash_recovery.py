"""A real crash: the app autosaves an edit, dies by SIGKILL, and the next start restores the edit."""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from explorer.ui import autosave
from explorer.ui.program_bridge import load_program, parse_program

EDITED = "x = torch.ones(3, requires_grad=True)\ny = x * 5\ny.sum().backward()\n"
ROOT = Path(__file__).resolve().parents[2]


def wait_for(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    pytest.fail(f"timed out waiting for {what}")


def autosaved_program(folder):
    path = folder / "autosave-1.agx.json"
    try:
        return load_program(str(path))[0]
    except Exception:
        return None


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_killed_app_offers_and_restores_its_autosave(qtbot, tmp_path, monkeypatch):
    data = tmp_path / "data"
    source = tmp_path / "edit.py"
    source.write_text(EDITED, encoding="utf-8")
    environment = dict(os.environ, QT_QPA_PLATFORM="offscreen", AUTOGRAD_EXPLORER_DATA_DIR=str(data),
                       AUTOGRAD_EXPLORER_AUTOSAVE_MS="200", XDG_CONFIG_HOME=str(tmp_path / "config"),
                       XDG_DATA_HOME=str(tmp_path / "share"), PYTHONPATH=str(ROOT))
    log = tmp_path / "app.log"
    expected = parse_program(EDITED)
    with open(log, "wb") as output, subprocess.Popen(
            [sys.executable, str(Path(__file__).with_name("crash_driver.py")), str(source)],
            env=environment, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT) as app:
        try:
            wait_for(lambda: autosaved_program(data) == expected or app.poll() is not None, 90,
                     "the autosave of the edit")
            assert app.poll() is None, log.read_text()
            app.send_signal(signal.SIGKILL)
            app.wait(timeout=30)
        finally:
            if app.poll() is None:
                app.kill()
                app.wait(timeout=30)
    assert app.returncode == -signal.SIGKILL
    assert (data / "autosave-1.agx.json").exists()

    # The next start, in this process.
    monkeypatch.setenv(autosave.FOLDER_VARIABLE, str(data))
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    asked = []

    def answer(_self, original_path):
        asked.append(original_path)
        return autosave.RESTORE

    monkeypatch.setattr(autosave.Autosave, "ask_restore", answer)
    from explorer.cli import create_window

    window = create_window(organisation="autograd-explorer-tests")
    window.files.ask_save_changes = lambda: "discard"
    qtbot.addWidget(window)
    assert len(asked) == 1
    assert window.document.program == expected
    assert window.code_pane.text() == EDITED
    assert window.document.modified, "a restored program is unsaved work"
    window.close()
    assert not (data / "autosave-1.agx.json").exists(), "a clean exit leaves no autosave"
