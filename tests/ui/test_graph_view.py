"""The graph pane: drawing from snapshots, view switch, zoom, selection, background layout."""
import numpy as np
from PySide6.QtCore import QPointF, Qt

from explorer.drawing.graph_items import EdgeItem, LegendItem, NodeItem
from explorer.drawing.graph_scene import BACKGROUND_THRESHOLD
from explorer.ui.graph_panel import GraphPanel

from .snapshots import chain_snapshot, tutorial_snapshot


def make_panel(qtbot):
    panel = GraphPanel()
    qtbot.addWidget(panel)
    panel.resize(800, 600)
    panel.show()
    return panel


def test_snapshot_becomes_items(qtbot):
    panel = make_panel(qtbot)
    panel.show_snapshot(tutorial_snapshot())
    items = panel.scene.items()
    nodes = [item for item in items if isinstance(item, NodeItem)]
    edges = [item for item in items if isinstance(item, EdgeItem)]
    assert {node.node_id for node in nodes} == {"t1", "t2", "t4", "t5", "t6", "f1", "f2", "f3", "f4", "f5"}
    assert len(edges) == panel.graph.number_of_edges()
    assert any(isinstance(item, LegendItem) for item in items)
    assert "PowBackward0" in panel.scene.node_item("f2").toolTip()


def test_view_toggle_shows_the_grad_fn_graph(qtbot):
    panel = make_panel(qtbot)
    panel.show_snapshot(tutorial_snapshot())
    panel.findChild(type(panel.view_buttons.buttons()[0]), "view_grad_fn").click()
    assert panel.view_name == "grad_fn"
    assert panel.graph.graph["view"] == "grad_fn"
    assert panel.scene.node_item("t2") is None
    assert panel.scene.node_item("t5").attributes["role"] == "root"


def test_nodes_keep_their_places_as_the_graph_grows(qtbot):
    panel = make_panel(qtbot)
    panel.show_snapshot(chain_snapshot(4))
    before = panel.scene.node_item("t5").pos()
    panel.show_snapshot(chain_snapshot(6))
    assert panel.scene.node_item("t5").pos() == before


def test_selection_reports_the_node_and_survives_redraw(qtbot):
    panel = make_panel(qtbot)
    panel.show_snapshot(tutorial_snapshot())
    with qtbot.waitSignal(panel.nodeSelected) as blocker:
        panel.select_node("f2")
    assert blocker.args == ["f2"]
    panel.show_snapshot(tutorial_snapshot())
    assert panel.scene.selected_node() == "f2"


def test_click_selects_a_node(qtbot):
    panel = make_panel(qtbot)
    panel.show_snapshot(tutorial_snapshot())
    view = panel.view
    point = view.mapFromScene(panel.scene.node_item("t1").scenePos())
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert panel.scene.selected_node() == "t1"


def test_zoom_keys_and_fit(qtbot):
    panel = make_panel(qtbot)
    panel.show_snapshot(tutorial_snapshot())
    view = panel.view
    start = view.current_scale()
    view.zoom_in_action.trigger()
    assert view.current_scale() > start
    assert view.user_zoomed
    view.reset_zoom_action.trigger()
    assert view.current_scale() == 1.0
    view.fit()
    assert not view.user_zoomed
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    assert visible.contains(panel.scene.node_item("t5").sceneBoundingRect())


def test_ctrl_wheel_zooms_under_the_mouse(qtbot):
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QWheelEvent

    panel = make_panel(qtbot)
    panel.show_snapshot(tutorial_snapshot())
    view = panel.view
    start = view.current_scale()
    centre = QPointF(view.viewport().rect().center())
    event = QWheelEvent(centre, view.viewport().mapToGlobal(centre), QPoint(0, 0), QPoint(0, 120),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.ControlModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    view.wheelEvent(event)
    assert view.current_scale() > start


def test_large_graph_lays_out_in_the_background(qtbot):
    panel = make_panel(qtbot)
    snapshot = chain_snapshot(BACKGROUND_THRESHOLD)
    with qtbot.waitSignal(panel.graphShown, timeout=20000):
        panel.show_snapshot(snapshot)
        # The call returned before the layout was done: the window was never blocked.
        assert panel.scene.node_item("t1") is None
    assert panel.scene.node_item("t1") is not None


def test_stale_background_layout_is_dropped(qtbot):
    panel = make_panel(qtbot)
    with qtbot.waitSignal(panel.graphShown, timeout=20000):
        panel.show_snapshot(chain_snapshot(BACKGROUND_THRESHOLD))
        panel.show_snapshot(tutorial_snapshot())
    qtbot.wait(200)
    assert panel.scene.node_item("f5") is not None
    assert panel.graph.number_of_nodes() == 10


def test_empty_snapshot_clears(qtbot):
    panel = make_panel(qtbot)
    panel.show_snapshot(tutorial_snapshot())
    panel.show_snapshot(None)
    assert not [item for item in panel.scene.items() if isinstance(item, NodeItem)]


def test_value_previews_are_drawn_on_tensor_nodes(qtbot):
    panel = make_panel(qtbot)
    panel.show_snapshot(tutorial_snapshot(x_grad=np.full((2, 2), 3.0)))
    assert panel.scene.node_item("t4").attributes["preview"] == "[[3., 3.], [3., 3.]]"


def test_unnamed_tensors_say_so(qtbot):
    from explorer.graph.node_text import node_lines

    assert node_lines({"kind": "tensor", "label": "", "alive": False, "detail": "(2,) float32",
                       "role": "nonleaf", "shape": (2,)})[0][0] == "(temporary)"
