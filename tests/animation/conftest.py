"""The main-window fixtures of the interface tests, and helpers to read the drawing back."""
import pytest
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication

from explorer.program.steps import Program
from explorer.ui.program_bridge import parse_program
from tests.ui import conftest as ui_fixtures


@pytest.fixture
def window(qtbot, settings_folder):
    """A shown main window, deleted (not only closed) afterwards so no window outlives its test."""
    from explorer.ui.main_window import MainWindow

    main_window = MainWindow(ui_fixtures.TEST_ORGANISATION)
    main_window.files.ask_save_changes = lambda: "discard"   # no modal question may block
    main_window.files.failed.disconnect()
    main_window.show()
    qtbot.waitExposed(main_window)
    main_window.open_program(Program(()))
    yield main_window
    main_window.close()
    main_window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def open_source(window, source):
    window.open_program(parse_program(source))
    assert window.controller.frames, "the program produced no frames"
    return window.controller.frames


def tools(window):
    return window.backward_tools


def overlay_items(window, kind=None):
    """Badges, regions and callouts the animation and the life-cycle notes put on the scene."""
    found = list(tools(window).animator.overlay.items) + list(tools(window).lifecycle.items)
    return [item for item in found if kind is None or item.kind == kind]


def texts(window, kind):
    return [item.text for item in overlay_items(window, kind)]


def scene_picture(window):
    """Everything the animation changes on the scene, as comparable data."""
    scene = window.graph_panel.scene
    badges = sorted((item.kind, item.text, round(item.pos().x(), 1), round(item.pos().y(), 1))
                    for item in overlay_items(window))
    rings = sorted((node, item._highlight) for node, item in scene.drawing.nodes.items())
    edges = sorted((edge, item.pen().color().name(), item.pen().widthF())
                   for edge, item in scene.drawing.edges.items())
    return badges, rings, edges


def backward_frames(window):
    return [frame for frame in window.controller.frames if frame.ran_backward]
