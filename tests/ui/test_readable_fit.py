"""The automatic fit keeps graph text readable (NOTE [readable fit] in graph_view.py).

At 1280x720 the tutorial's backward frame was fitted at 0.37: node text 4.5 px,
below the level at which it is drawn at all, so the graph showed as empty boxes.
Now the fit stops at the readable scale, scrolls, and keeps in sight what the
frame is about; Fit to Window still shows everything drawn.
"""
from explorer.ui.graph_view import MIN_READABLE_TEXT_PX
from explorer.ui.program_bridge import parse_program

from .conftest import require_engine

TUTORIAL = ("x = torch.ones(2, 2, requires_grad=True)\ny = x + 2\nz = y * y * 3\nout = z.mean()\n"
            "out.backward()\nprint(x.grad)\n")
SMALL = "x = torch.ones(2, requires_grad=True)\ny = (x * 2).sum()\n"


def _open(window, qtbot, text, size=(1152, 648)):
    require_engine()
    window.resize(*size)
    qtbot.wait(50)
    window.open_program(parse_program(text))
    assert window.controller.wait(30)


def _visible(view):
    return view.mapToScene(view.viewport().rect()).boundingRect()


def _text_pixels(window):
    view = window.graph_panel.view
    return view.readable_scale() and MIN_READABLE_TEXT_PX * view.current_scale() / view.readable_scale()


def _node(window, label):
    scene = window.graph_panel.scene
    return next(item for node, item in scene.drawing.nodes.items()
                if window.graph_panel.graph.nodes[node].get("label") == label)


def test_a_tall_graph_at_1280x720_is_drawn_too_small_to_read_no_more(window, qtbot):
    _open(window, qtbot, TUTORIAL)
    backward = next(frame for frame in window.controller.frames if frame.events)
    window.controller.go_to(backward.index)
    qtbot.wait(50)
    view = window.graph_panel.view
    assert _text_pixels(window) >= MIN_READABLE_TEXT_PX - 0.01
    assert not _visible(view).contains(window.graph_panel.scene.fit_rect())   # it did not fit whole
    assert not view.user_zoomed   # still the automatic fit: the next frame fits again
    # What the step made (out, the root of backward) is in sight, not the empty top-left corner.
    assert _visible(view).intersects(_node(window, "out").sceneBoundingRect())


def test_fit_to_window_still_shows_everything_drawn_and_keeps_doing_so_when_resized(window, qtbot):
    _open(window, qtbot, TUTORIAL)
    window.controller.go_to(len(window.controller.frames) - 1)
    view = window.graph_panel.view
    view.fit_action.trigger()
    drawn = window.graph_panel.scene.itemsBoundingRect()
    assert _visible(view).adjusted(-1, -1, 1, 1).contains(drawn)
    window.resize(1100, 620)
    qtbot.wait(100)
    assert _visible(view).adjusted(-1, -1, 1, 1).contains(window.graph_panel.scene.itemsBoundingRect())
    # A zoom, then the automatic fit again (a new program): readable once more.
    view.zoom_in()
    _open(window, qtbot, TUTORIAL, size=(1100, 620))
    window.controller.go_to(len(window.controller.frames) - 1)
    qtbot.wait(50)
    assert _text_pixels(window) >= MIN_READABLE_TEXT_PX - 0.01


def test_a_graph_that_fits_readably_is_shown_whole(window, qtbot):
    _open(window, qtbot, SMALL, size=(1600, 1000))
    window.controller.go_to(len(window.controller.frames) - 1)
    qtbot.wait(50)
    view = window.graph_panel.view
    assert _visible(view).adjusted(-1, -1, 1, 1).contains(window.graph_panel.scene.fit_rect())
    assert _text_pixels(window) >= MIN_READABLE_TEXT_PX


def test_the_backward_animation_keeps_its_lit_node_in_sight(window, qtbot):
    _open(window, qtbot, TUTORIAL)
    backward = next(frame for frame in window.controller.frames if frame.events)
    window.controller.go_to(backward.index)
    animator = window.backward_tools.animator
    view = window.graph_panel.view
    for _ in range(len(animator.events)):
        animator.step_forward()
        lit = window.presentation.active_node()
        item = window.graph_panel.scene.node_item(lit)
        if item is not None:
            assert _visible(view).intersects(item.sceneBoundingRect()), lit
