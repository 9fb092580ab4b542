"""A graph too big to draw in one go: built off the UI thread, swapped in when whole."""
import gc

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QPen
from PySide6.QtWidgets import QGraphicsRectItem

from explorer.drawing.graph_scene import BACKGROUND_THRESHOLD
from explorer.ui.graph_panel import GraphPanel

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


def _big_panel(qtbot):
    panel = GraphPanel()
    qtbot.addWidget(panel)
    panel.resize(900, 700)
    panel.show()
    with qtbot.waitSignal(panel.graphShown, timeout=30_000):
        panel.show_snapshot(chain_snapshot(200))
    return panel


def test_zoomed_out_edges_are_drawn_by_one_item_and_keep_their_highlights(qtbot):
    panel = _big_panel(qtbot)
    drawing = panel.scene.drawing
    assert drawing.edge_overview.isVisible() and not drawing.edge_layer.isVisible()
    assert all(edge.parentItem() is drawing.edge_layer for edge in drawing.edges.values())
    # An edge lit by the backward overlay is drawn again, on top, in its new pen.
    edge = next(iter(drawing.edges.values()))
    lit = QPen(edge.pen())
    lit.setColor(QColor("#ff0000"))
    edge.setPen(lit)
    assert edge in drawing.edge_overview._recoloured
    edge.setPen(edge.look[0])
    assert edge not in drawing.edge_overview._recoloured
    panel.view.reset_zoom()
    assert drawing.edge_layer.isVisible() and not drawing.edge_overview.isVisible()


def test_fitting_a_big_drawing_covers_its_items_and_the_overlays(qtbot):
    panel = _big_panel(qtbot)
    scene = panel.scene
    assert scene.fit_rect() == scene.itemsBoundingRect()
    far = QGraphicsRectItem(QRectF(0, 0, 10, 10))
    far.setPos(scene.itemsBoundingRect().bottomRight() + QPointF(500, 500))
    scene.addItem(far)   # as an overlay's badge is added
    assert scene.fit_rect() == scene.itemsBoundingRect()
    scene.removeItem(far)
    assert scene.fit_rect().bottom() < far.sceneBoundingRect().top()


def test_the_garbage_collector_waits_while_a_big_drawing_is_made(qtbot):
    assert gc.isenabled()
    panel = GraphPanel()
    qtbot.addWidget(panel)
    panel.show_snapshot(chain_snapshot(200))
    assert not gc.isenabled()
    qtbot.waitUntil(lambda: not panel.scene.drawing_pending() and bool(panel.scene.drawing.nodes),
                    timeout=30_000)
    qtbot.waitUntil(gc.isenabled, timeout=5_000)


def test_a_big_drawing_replaced_by_another_and_by_a_small_one_leaves_no_items_behind(qtbot):
    panel = _big_panel(qtbot)
    scene = panel.scene

    def own_items():
        drawing = scene.drawing
        arrows_and_labels = sum(len(edge.childItems()) for edge in drawing.edges.values())
        extras = (drawing.legend, drawing.overview, drawing.edge_overview, drawing.edge_layer)
        return (len(drawing.nodes) + len(drawing.edges) + arrows_and_labels
                + sum(item is not None for item in extras))

    with qtbot.waitSignal(panel.graphShown, timeout=30_000):
        panel.show_snapshot(chain_snapshot(210))
    assert len(scene.items()) == own_items()
    with qtbot.waitSignal(panel.graphShown, timeout=30_000):
        panel.show_snapshot(chain_snapshot(3))
    assert scene.drawing.edge_layer is None
    assert len(scene.items()) == own_items()
