"""Presentation mode as a teacher drives it: F5, a clicker's keys, B to blank, Esc to leave."""
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from explorer.ui.presentation import narration_text


def panels(window):
    return [window.palette_dock, window.program_dock, window.code_dock, window.inspector_dock,
            window.console_dock, window.timeline_bar, window.menuBar()]


def enter(qtbot, window):
    qtbot.keyClick(window.graph_panel.view, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: window.isFullScreen())


def test_f5_enters_full_screen_with_only_the_graph_and_esc_leaves(qtbot, window):
    shown_before = [panel for panel in panels(window) if panel.isVisible()]
    enter(qtbot, window)
    assert window.presentation.active
    assert not any(panel.isVisible() for panel in panels(window))
    assert window.graph_panel.view.isVisible()
    assert window.presentation.caption.isVisible()
    assert window.view_options.theme_name == "projector"
    assert window.graph_panel.scene.fonts.label.pointSizeF() >= 1.5 * 9
    qtbot.keyClick(window.graph_panel.view, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not window.isFullScreen())
    assert not window.presentation.active
    assert [panel for panel in panels(window) if panel.isVisible()] == shown_before
    assert window.view_options.theme_name == "light"


def test_clicker_keys_step_through_the_timeline(qtbot, window):
    window.controller.first()
    enter(qtbot, window)
    view = window.graph_panel.view
    qtbot.keyClick(view, Qt.Key.Key_PageDown)
    assert window.controller.index == 1
    qtbot.keyClick(view, Qt.Key.Key_Space)
    qtbot.keyClick(view, Qt.Key.Key_Right)
    assert window.controller.index == 3
    qtbot.keyClick(view, Qt.Key.Key_PageUp)
    assert window.controller.index == 2
    qtbot.keyClick(view, Qt.Key.Key_End)
    assert window.controller.index == len(window.controller.frames) - 1
    qtbot.keyClick(view, Qt.Key.Key_Home)
    assert window.controller.index == 0


def test_backward_steps_go_event_by_event_when_there_is_an_animator(qtbot, window):
    animator = window.presentation.animator()
    if animator is None:
        return
    frames = window.controller.frames
    backward = next(index for index, frame in enumerate(frames) if frame.ran_backward)
    window.controller.go_to(backward - 1)
    enter(qtbot, window)
    view = window.graph_panel.view
    qtbot.keyClick(view, Qt.Key.Key_PageDown)
    assert window.controller.index == backward and animator.event_index == 0
    qtbot.keyClick(view, Qt.Key.Key_PageDown)
    assert window.controller.index == backward and animator.event_index == 1


def test_b_blanks_the_screen_and_b_brings_it_back(qtbot, window):
    enter(qtbot, window)
    view = window.graph_panel.view
    qtbot.keyClick(view, Qt.Key.Key_B)
    blank = window.presentation.blank
    assert blank.isVisible() and blank.geometry() == window.rect()
    image = window.grab().toImage()
    assert QColor(image.pixel(image.width() // 2, image.height() // 2)) == QColor("black")
    qtbot.keyClick(view, Qt.Key.Key_Period)
    assert not blank.isVisible()


def test_caption_shows_the_step_narration_in_the_interface_language(qtbot, window):
    fields = {"narration": ({"en": "Make x.", "zh": "创建 x。"}, {"en": "Square it."})}
    frame = window.controller.frames[0]
    assert narration_text(fields, frame, "zh") == "创建 x。"
    assert narration_text(fields, window.controller.frames[1], "zh") == "Square it."
    assert narration_text({}, frame, "en") == ""
    window.document.fields = fields
    window.controller.first()
    enter(qtbot, window)
    assert window.presentation.caption.text() == "Make x."


def test_the_view_follows_the_active_node(qtbot, window):
    enter(qtbot, window)
    window.graph_panel.view.resetTransform()
    window.graph_panel.view.scale(6, 6)
    window.graph_panel.view.centerOn(-10_000, -10_000)
    window.presentation.follow_active_node()
    node = window.graph_panel.scene.node_item(window.presentation.active_node())
    view = window.graph_panel.view
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    assert visible.contains(node.sceneBoundingRect().center())
