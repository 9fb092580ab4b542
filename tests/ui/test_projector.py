"""Presentation mode is legible from the back of a room and keeps "predict, then reveal".

Badges stayed 8 pt while the nodes grew; the automatic fit came before the badges
were put on, so side badges hung off the view; questions and printed output were
hidden with the docks; an answer must wait for Reveal (R).
"""
from PySide6.QtCore import Qt

from explorer.drawing.overlay_items import BadgeItem
from explorer.lessons import lesson_path, load_lesson
from explorer.ui.program_bridge import parse_program

from .conftest import require_engine

TUTORIAL = ("x = torch.ones(2, 2, requires_grad=True)\ny = x + 2\nz = y * y * 3\nout = z.mean()\n"
            "out.backward()\nprint(x.grad)\n")


def _badges(window):
    return [item for item in window.graph_panel.scene.items() if isinstance(item, BadgeItem)]


def _backward_frame(window):
    return next(frame for frame in window.controller.frames if frame.events)


def test_gradient_badges_6_px_while_presenting_no_more(window):
    require_engine()
    window.open_program(parse_program(TUTORIAL))
    assert window.controller.wait(30)
    window.presentation.enter()
    try:
        window.controller.go_to(_backward_frame(window).index)
        window.backward_tools.animator.last()
        badges = [badge for badge in _badges(window) if badge.kind.startswith("gradient")]
        assert badges
        node_text = window.graph_panel.scene.fonts.label.pointSizeF()
        assert all(badge._font.pointSizeF() >= node_text for badge in badges)
    finally:
        window.presentation.leave()


def test_fit_ignores_side_badges_no_more(window):
    require_engine()
    window.open_program(parse_program(TUTORIAL))
    assert window.controller.wait(30)
    window.controller.go_to(len(window.controller.frames) - 1)   # "saved ...: freed" beside nodes
    view = window.graph_panel.view
    view.fit_action.trigger()   # the automatic fit stops at readable text (test_readable_fit.py)
    shown = view.mapToScene(view.viewport().rect()).boundingRect()
    drawn = window.graph_panel.scene.itemsBoundingRect()
    assert shown.adjusted(-1, -1, 1, 1).contains(drawn)


def test_questions_never_appear_while_presenting_no_more(window, qtbot):
    require_engine()
    assert window.files.load(str(lesson_path("no-grad-fn")))
    assert window.controller.wait(30)
    question = load_lesson("no-grad-fn").narration[2]["question"]
    window.presentation.enter()
    try:
        details = window.presentation.details
        frame = next(frame for frame in window.controller.frames if frame.path and frame.path[0] == 2)
        window.controller.go_to(frame.index)
        assert details.isVisible()
        assert question["prompt"]["en"] in details.text()
        assert question["explanation"]["en"] not in details.text()
        qtbot.keyClick(window.graph_panel.view, Qt.Key.Key_R)
        assert question["explanation"]["en"] in details.text()
    finally:
        window.presentation.leave()
    assert not window.presentation.details.isVisible()


def test_printed_output_never_appears_while_presenting_no_more(window):
    require_engine()
    window.open_program(parse_program(TUTORIAL))
    assert window.controller.wait(30)
    window.presentation.enter()
    try:
        window.controller.go_to(len(window.controller.frames) - 1)
        assert "tensor([[4.5000, 4.5000]" in window.presentation.details.text()
    finally:
        window.presentation.leave()


def test_animation_caption_7_px_while_presenting_no_more(window):
    caption = window.backward_tools.controls.caption
    usual = caption.font().pointSizeF()
    window.presentation.enter()
    try:
        assert caption.font().pointSizeF() >= 1.5 * usual
    finally:
        window.presentation.leave()
    assert caption.font().pointSizeF() == usual


def _overlaps(window):
    scene = window.graph_panel.scene
    badges = [item for item in scene.items() if isinstance(item, BadgeItem) and item.isVisible()]
    found = []
    for badge in badges:
        rect = badge.sceneBoundingRect().adjusted(1, 1, -1, -1)
        found += [(badge.text, node_id) for node_id, node in scene.drawing.nodes.items()
                  if rect.intersects(node.sceneBoundingRect())]
    return found


def test_badges_cover_node_names_no_more(window):
    require_engine()
    for lesson_id in ("training-step", "retain-graph", "detach-and-versions"):
        assert window.files.load(str(lesson_path(lesson_id)))
        assert window.controller.wait(30)
        for frame in window.controller.frames:
            window.controller.go_to(frame.index)
            animator = window.backward_tools.animator
            for index in sorted({0, len(animator.events) // 2, len(animator.events)}):
                animator.seek(index)
                assert _overlaps(window) == [], (lesson_id, frame.index, index)
