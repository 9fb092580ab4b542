"""The window's layout settles: resizing fits the graph once, then the window idles.

Fitting used to toggle the view's scroll bars (the scene's rectangle has a wider
margin than what a fit shows), whose appearance resized the view, which fitted
again: a core kept busy while nothing changed, and once a frozen window.
"""
import time

import pytest
from PySide6.QtCore import QEvent, QObject, QRectF
from PySide6.QtWidgets import QGraphicsRectItem

from explorer.drawing.graph_scene import GraphScene
from explorer.ui.graph_view import GraphView
from explorer.ui.program_bridge import parse_program

from .conftest import require_engine

IDLE_MS = 1000
# Repaints or resizes allowed in an idle second: none is needed, a stray one is harmless.
IDLE_EVENTS = 2
WINDOW_SIZES = ((1280, 720), (1280, 840), (1600, 1000))


class EventCounter(QObject):
    """Counts paints and resizes of the widgets it watches."""

    def __init__(self, *widgets):
        super().__init__()
        self.count = 0
        for widget in widgets:
            widget.installEventFilter(self)

    limit = None
    on_limit = None

    def eventFilter(self, _watched, event):
        if event.type() in (QEvent.Type.Paint, QEvent.Type.Resize):
            self.count += 1
            if self.limit is not None and self.count == self.limit:
                self.on_limit()
        return False


def _count_fits(view):
    fits = []
    original = view.auto_fit
    view.auto_fit = lambda: (fits.append(1), original())[1]
    return fits


def _idle_activity(qtbot, view):
    """(events, fits, CPU seconds) of ``view`` over an idle second."""
    counter = EventCounter(view, view.viewport())
    fits = _count_fits(view)
    started = time.process_time()
    qtbot.wait(IDLE_MS)
    return counter.count, len(fits), time.process_time() - started


@pytest.mark.parametrize("size", WINDOW_SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_resize_fit_scrollbar_loop_leaves_the_window_idle(window, qtbot, size):
    require_engine()
    window.open_program(parse_program("x = torch.ones(2, 2, requires_grad=True)\n"
                                      "y = (x * x).sum()\ny.backward()\n"))
    assert window.controller.wait(30)
    for width, height in ((size[0] - 37, size[1] - 23), size):
        window.resize(width, height)
        qtbot.wait(200)
    events, fits, cpu = _idle_activity(qtbot, window.graph_panel.view)
    assert events <= IDLE_EVENTS, f"{events} repaints or resizes in an idle second"
    assert fits == 0, f"{fits} fits in an idle second"
    # Under 5 % of a core (doubled: the test's own timer wakes up too).
    assert cpu < 0.1 * IDLE_MS / 1000, f"{cpu:.3f} s of CPU in an idle second"


@pytest.mark.parametrize("height", (500, 2000), ids=("fits-readably", "too-tall-to-read-whole"))
def test_resize_fit_scrollbar_loop_settles_at_every_size(qtbot, height):
    """A scene rectangle wider than the fitted one, at sizes where a scroll bar
    would come and go: every size settles after one fit. Too tall to fit at a
    readable scale, the view keeps that scale and its scroll bars (NOTE [readable fit])."""
    scene = GraphScene()
    scene.addItem(QGraphicsRectItem(QRectF(0, 0, 500, height)))
    scene.setSceneRect(QRectF(-24, -24, 548, height + 48))
    view = GraphView(scene)
    qtbot.addWidget(view)
    view.show()
    counter = EventCounter(view, view.viewport())
    unsettled = []

    def break_the_loop():
        # A loop never lets the event queue drain: stop fitting so the test can report it.
        unsettled.append((view.width(), view.height()))
        view.user_zoomed = True

    counter.limit, counter.on_limit = 50, break_the_loop
    for width in range(560, 660, 9):
        for height in range(540, 640, 9):
            view.resize(width, height)
            qtbot.wait(1)
            counter.count = 0
            for _ in range(4):
                qtbot.wait(1)
            if counter.count:
                unsettled.append((width, height))
            if unsettled:
                break
        if unsettled:
            break
    assert not unsettled, f"resized again by itself at {unsettled[:5]} ({len(unsettled)} sizes)"


def test_resize_fit_scrollbar_loop_at_lesson_7_frame_6_maximised_leaves_the_window_idle(window, qtbot):
    """Where the window once never came back: lesson 7, frame 6, maximised."""
    from explorer.lessons import lesson_path

    require_engine()
    assert window.files.load(str(lesson_path("jacobian-vector-product")))
    assert window.controller.wait(30)
    window.controller.go_to(min(5, len(window.controller.frames) - 1))
    window.showMaximized()
    qtbot.wait(200)
    for width, height in WINDOW_SIZES:
        window.showNormal()
        window.resize(width, height)
        qtbot.wait(100)
        window.showMaximized()
        qtbot.wait(100)
    events, fits, cpu = _idle_activity(qtbot, window.graph_panel.view)
    assert events <= IDLE_EVENTS and fits == 0, (events, fits)
    assert cpu < 0.1 * IDLE_MS / 1000, f"{cpu:.3f} s of CPU in an idle second"
