"""File ▸ Open lays the new program's graph out afresh.

Node ids repeat from program to program ("t3" in one lesson is another tensor in
the next): kept from the previous file, the old positions put edges of
08-no-grad through its no_grad tensor.
"""
from explorer.lessons import lesson_path

from .conftest import require_engine


def _positions(window) -> dict:
    """Where each node is drawn."""
    nodes = window.graph_panel.scene.drawing.nodes
    return {node_id: item.sceneBoundingRect().center().toTuple() for node_id, item in nodes.items()}


def test_stale_layout_after_opening_another_lesson_is_laid_out_afresh(window):
    require_engine()
    assert window.files.load(str(lesson_path("training-step")))
    assert window.controller.wait(30)
    window.controller.go_to(len(window.controller.frames) - 1)
    assert window.files.load(str(lesson_path("no-grad")))
    assert window.controller.wait(30)
    shown = _positions(window)
    panel = window.graph_panel
    panel.forget_layout()
    panel.show_snapshot(panel.snapshot)
    assert shown and shown == _positions(window)


def test_stale_layout_after_opening_during_a_background_run_is_laid_out_afresh(window):
    require_engine()
    assert window.files.load(str(lesson_path("training-step")))
    assert window.controller.wait(30)
    window.controller.go_to(len(window.controller.frames) - 1)
    window.controller.sync_budget_s = 0.0
    assert window.files.load(str(lesson_path("no-grad")))
    assert window.controller.wait(30)
    shown = _positions(window)
    panel = window.graph_panel
    panel.forget_layout()
    panel.show_snapshot(panel.snapshot)
    assert shown and shown == _positions(window)
