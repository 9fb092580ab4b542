"""A graph too big to draw in one go: built off the UI thread, swapped in when whole."""
from PySide6.QtGui import QColor

from explorer.ui.graph_panel import GraphPanel
from explorer.ui.layout_worker import BACKGROUND_THRESHOLD

from .snapshots import chain_snapshot


def test_big_graph_arrives_whole_and_zoomed_out_boxes_are_drawn_by_the_overview(qtbot):
    panel = GraphPanel()
    qtbot.addWidget(panel)
    panel.resize(900, 700)
    panel.show()
    snapshot = chain_snapshot(200)
    assert len(snapshot.tensors) + len(snapshot.functions) > BACKGROUND_THRESHOLD
    with qtbot.waitSignal(panel.graphShown, timeout=30_000):
        panel.show_snapshot(snapshot)
    scene = panel.scene
    assert not scene.drawing_pending()
    assert len(scene.drawing.nodes) == panel.graph.number_of_nodes()
    assert len(scene.drawing.edges) > 0
    # Fitted to the window, a deep chain is far too small for text: the overview paints.
    overview = scene.drawing.overview
    assert overview is not None and overview.isVisible()
    image = panel.view.grab().toImage()
    colours = {QColor(image.pixel(x, y)).name() for x in range(0, image.width(), 5)
               for y in range(0, image.height(), 5)}
    assert len(colours) > 3  # boxes and edges, not a blank view
    # Selecting still works through the (content-less) node items.
    node = sorted(scene.drawing.nodes)[5]
    panel.select_node(node)
    assert scene.selected_node() == node
    # At actual size the nodes paint themselves (and their text) again.
    panel.view.reset_zoom()
    assert not overview.isVisible()
