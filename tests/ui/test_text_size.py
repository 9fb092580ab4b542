"""One text-size control scales everything drawn on the graph, remembered per screen.

At 1280x720 the graph's text came out ~5 px with no way to enlarge it but zooming,
which Fit undid; badges and notes stayed 8 pt whatever the theme.
"""
from explorer.drawing.overlay_items import BadgeItem
from explorer.ui.program_bridge import parse_program
from explorer.ui.view_options import GRAPH_POINT_SIZE, TEXT_SCALE_STEP

from .conftest import TEST_ORGANISATION, require_engine

PROGRAM = ("x = torch.ones(2, requires_grad=True)\ny = (x * x).sum()\ny.backward()\n")


def _badge_sizes(window):
    return {item._font.pointSizeF() for item in window.graph_panel.scene.items()
            if isinstance(item, BadgeItem)}


def test_graph_text_5_px_with_no_control_no_more(window, qtbot):
    require_engine()
    window.open_program(parse_program(PROGRAM))
    assert window.controller.wait(30)
    window.controller.go_to(len(window.controller.frames) - 1)
    window.backward_tools.animator.last()
    scene = window.graph_panel.scene
    assert scene.fonts.label.pointSizeF() == GRAPH_POINT_SIZE
    before = _badge_sizes(window)
    assert before
    larger = next(action for action in window.view_options.text_size_menu.actions()
                  if action.text().replace("&", "") == "Larger Text")
    larger.trigger()
    assert abs(scene.fonts.label.pointSizeF() - GRAPH_POINT_SIZE * TEXT_SCALE_STEP) < 1e-6
    assert min(_badge_sizes(window)) > min(before)
    assert scene.drawing.legend is None or scene.drawing.legend._fonts is scene.fonts
    window.view_options.preferences.sync()

    from explorer.ui.main_window import MainWindow
    again = MainWindow(TEST_ORGANISATION)
    qtbot.addWidget(again)
    again.files.ask_save_changes = lambda: "discard"
    assert abs(again.view_options.text_scale - TEXT_SCALE_STEP) < 1e-6, "remembered for this screen"
    assert abs(again.graph_panel.scene.fonts.label.pointSizeF() - GRAPH_POINT_SIZE * TEXT_SCALE_STEP) < 1e-6
    window.view_options.scale_text(None)
    assert window.graph_panel.scene.fonts.label.pointSizeF() == GRAPH_POINT_SIZE
