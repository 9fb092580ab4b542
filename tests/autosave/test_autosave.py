"""Autosave in one process: when it writes, what a clean exit leaves, and files that failed to load."""
import json

import pytest
from PySide6.QtCore import QLockFile, QSettings

from explorer.ui import autosave
from explorer.ui.autosave import Autosave
from explorer.ui.program_bridge import load_program, parse_program, save_program

EDITED = "x = torch.ones(2, requires_grad=True)\ny = x * 7\n"


@pytest.fixture
def data(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    monkeypatch.setenv(autosave.FOLDER_VARIABLE, str(folder))
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    return folder


@pytest.fixture
def window(qtbot, data):
    from explorer.ui.main_window import MainWindow

    main_window = MainWindow("autograd-explorer-tests")
    main_window.files.ask_save_changes = lambda: "discard"
    main_window.files.failed.disconnect()
    qtbot.addWidget(main_window)
    main_window.show()
    return main_window


def edit(window, source=EDITED):
    window.code_pane.set_text(source)
    window.code_pane.parse_now()


def test_timer_saves_the_edited_program_aside(qtbot, window, data):
    window.autosave.timer.setInterval(50)
    assert window.autosave.timer.isActive()
    edit(window)
    path = window.autosave.program_path
    qtbot.waitUntil(path.exists, timeout=5000)
    assert load_program(str(path))[0] == parse_program(EDITED)
    assert json.loads(window.autosave.info_path.read_text())["path"] == ""


def test_default_interval_is_thirty_seconds(window, monkeypatch):
    monkeypatch.delenv(autosave.INTERVAL_VARIABLE, raising=False)
    assert autosave.default_interval_ms() == 30_000


def test_nothing_is_saved_aside_without_changes_and_undo_removes_it(window):
    assert not window.autosave.save_now()
    edit(window)
    assert window.autosave.save_now()
    assert not window.autosave.save_now(), "unchanged since the last autosave"
    window.document.undo_stack.undo()
    assert not window.autosave.save_now()
    assert not window.autosave.program_path.exists()


def test_clean_exit_removes_the_autosave_and_frees_the_slot(window, data):
    edit(window)
    window.autosave.save_now()
    path = window.autosave.program_path
    assert path.exists()
    window.close()
    assert not path.exists()
    assert QLockFile(str(data / "autosave-1.lock")).tryLock(0)


def test_a_second_app_takes_another_slot(window, data):
    second = Autosave(window.document, window.files, folder=data)
    assert (window.autosave.slot, second.slot) == (1, 2)
    second.finish()


def test_discarding_the_restore_removes_the_autosave(window, data, monkeypatch):
    edit(window)
    window.autosave.save_now()
    leftover = window.autosave.program_path
    # Pretend the app died: the slot's lock goes, its files stay.
    window.autosave.lock.unlock()
    window.autosave.slot = None
    monkeypatch.setattr(Autosave, "ask_restore", lambda _self, _path: autosave.DISCARD)
    later = Autosave(window.document, window.files, folder=data)
    assert later.has_crash_autosave()
    assert not later.offer_restore()
    assert not leftover.exists()
    later.finish()


def test_restore_keeps_the_original_path_and_undo_goes_back_to_it(window, data, tmp_path, monkeypatch):
    original = tmp_path / "mine.agx.json"
    save_program(str(original), parse_program("a = torch.zeros(2)\n"))
    window.files.load(str(original))
    edit(window)
    window.autosave.save_now()
    window.autosave.lock.unlock()
    window.autosave.slot = None
    monkeypatch.setattr(Autosave, "ask_restore", lambda _self, _path: autosave.RESTORE)
    later = Autosave(window.document, window.files, folder=data)
    window.document.reset(parse_program(""), "")
    assert later.offer_restore()
    assert window.document.path == str(original)
    assert window.document.program == parse_program(EDITED)
    window.document.undo_stack.undo()
    assert window.document.program == parse_program("a = torch.zeros(2)\n")
    later.finish()


def test_a_file_that_failed_to_load_is_never_overwritten(window, tmp_path):
    broken = tmp_path / "broken.agx.json"
    broken.write_text('{"format": "autograd-explorer/999"}', encoding="utf-8")
    assert not window.files.load(str(broken))
    # The document still names the broken file (as a restore of its autosave would): Save must ask.
    window.document.set_path(str(broken))
    edit(window)
    chosen = tmp_path / "elsewhere.agx.json"
    asked = []
    window.files.choose_save_path = lambda: asked.append(True) or str(chosen)
    assert window.files.save()
    assert asked == [True]
    assert broken.read_text(encoding="utf-8") == '{"format": "autograd-explorer/999"}'
    assert load_program(str(chosen))[0] == parse_program(EDITED)
    assert window.document.path == str(chosen)
