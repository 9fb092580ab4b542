"""An autosave that failed to restore is kept: the next autosave of its slot writes beside it."""
from PySide6.QtCore import QSettings

from explorer.ui import autosave
from explorer.ui.autosave import Autosave
from explorer.ui.program_bridge import parse_program

BROKEN = "{ not a program"


def test_autosave_failed_to_restore_is_overwritten_by_the_next_autosave_no_more(
        qtbot, tmp_path, monkeypatch):
    from explorer.ui.main_window import MainWindow

    folder = tmp_path / "data"
    monkeypatch.setenv(autosave.FOLDER_VARIABLE, str(folder))
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    folder.mkdir()
    (folder / "autosave-1.agx.json").write_text(BROKEN, encoding="utf-8")
    (folder / "autosave-1.json").write_text('{"path": ""}', encoding="utf-8")
    monkeypatch.setattr(Autosave, "ask_restore", lambda _self, _path: autosave.RESTORE)
    window = MainWindow("autograd-explorer-tests")
    window.files.failed.disconnect()
    window.files.ask_save_changes = lambda: "discard"
    qtbot.addWidget(window)
    messages = []
    window.autosave.failed.connect(messages.append)
    assert window.autosave.slot == 1
    assert not window.autosave.offer_restore()
    assert messages and "autosave-1-failed-1.agx.json" in messages[0]
    window.code_pane.set_text("x = torch.ones(2)\n")
    window.code_pane.parse_now()
    assert window.autosave.save_now()
    kept = folder / "autosave-1-failed-1.agx.json"
    assert kept.read_text(encoding="utf-8") == BROKEN
    assert (folder / "autosave-1-failed-1.json").exists()
    assert window.document.program == parse_program("x = torch.ones(2)\n")
    window.autosave.finish()
    assert kept.exists(), "a clean exit keeps what could not be restored"
