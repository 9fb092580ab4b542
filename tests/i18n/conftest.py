"""Windows built in a chosen language; the language is put back to English afterwards."""
import pytest
from PySide6.QtWidgets import QApplication

from explorer.i18n import install_translator
from explorer.program.steps import Program
from explorer.ui.lessons import FIRST_EXAMPLE
from explorer.ui.program_bridge import parse_program

TEST_ORGANISATION = "autograd-explorer-tests"


@pytest.fixture
def chinese(qapp):
    lang = install_translator(qapp, "zh")
    assert lang == "zh", "the Chinese translation file could not be loaded"
    yield lang
    install_translator(qapp, "en")
    QApplication.processEvents()


def build_window(qtbot, program_source=FIRST_EXAMPLE):
    from explorer.ui.main_window import MainWindow

    window = MainWindow(TEST_ORGANISATION)
    window.files.ask_save_changes = lambda: "discard"
    qtbot.addWidget(window)
    window.show()
    window.open_program(parse_program(program_source) if program_source else Program(()))
    return window
