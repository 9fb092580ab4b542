"""Test set-up shared by every test: headless Qt before anything imports Qt."""
import os
import tempfile

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")
# Edits wait for their run before the test looks (tests of background runs lower it).
os.environ.setdefault("AUTOGRAD_EXPLORER_SYNC_RUN_S", "60")
# Autosaves of test windows go to a throwaway folder, never the user's data folder.
os.environ.setdefault("AUTOGRAD_EXPLORER_DATA_DIR", tempfile.mkdtemp(prefix="autograd-explorer-data-"))


@pytest.fixture
def settings_folder(tmp_path):
    """QSettings of windows made in the test live in the test's own folder."""
    from PySide6.QtCore import QSettings

    folder = tmp_path / "settings"
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    return folder
