import pytest
from PySide6.QtCore import QSettings

from explorer.ui.lessons import FIRST_EXAMPLE
from explorer.ui.program_bridge import parse_program

TEST_ORGANISATION = "autograd-explorer-tests"


@pytest.fixture
def window(qtbot, tmp_path):
    from explorer.ui.main_window import MainWindow

    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    main_window = MainWindow(TEST_ORGANISATION)
    main_window.files.ask_save_changes = lambda: "discard"
    qtbot.addWidget(main_window)
    main_window.show()
    qtbot.waitExposed(main_window)
    main_window.open_program(parse_program(FIRST_EXAMPLE))
    return main_window
