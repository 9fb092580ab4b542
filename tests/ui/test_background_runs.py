"""Runs happen on a worker: the window answers, progress shows, Cancel stops the run."""
import time

from explorer.ui.program_bridge import parse_program

# Runs until a limit or Cancel stops it (seconds, even when long loops are drawn sparsely).
LONG = ("import torch\nx = torch.ones(3, requires_grad=True)\n"
        "while True:\n    y = (x * 2).sum()\n    y.backward()\n")


def test_a_long_run_goes_on_in_the_background_and_can_be_cancelled(window, qtbot):
    controller = window.controller
    controller.sync_budget_s = 0.0
    progress = []
    controller.progressChanged.connect(lambda running, count: progress.append((running, count)))
    started = time.monotonic()
    window.open_program(parse_program(LONG))
    assert time.monotonic() - started < 2.0  # the window's thread was not held by the run
    assert controller.running
    assert window.timeline_bar.cancel_action.isEnabled()
    # The event loop turns meanwhile: progress comes in (or the run reaches a limit first,
    # on a machine fast enough to run 100,000 frames before three polls).
    qtbot.waitUntil(lambda: len(progress) >= 3 or not controller.running, timeout=30_000)
    still_running = controller.running
    window.timeline_bar.cancel_action.trigger()
    assert controller.wait(10)
    assert controller.timeline.status in (("cancelled", "limit") if still_running else ("limit",))
    assert progress[0][0] is True and progress[-1][0] is False
    assert not window.timeline_bar.cancel_action.isEnabled()


def test_an_edit_during_a_run_replaces_it(window):
    controller = window.controller
    controller.sync_budget_s = 0.0
    window.open_program(parse_program(LONG))
    window.open_program(parse_program("import torch\nx = torch.ones(2)\n"))
    assert controller.wait(10)
    assert controller.timeline.status == "finished"
    assert len(controller.frames) == 2
