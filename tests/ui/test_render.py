"""The main window renders to a picture that is not blank."""
from PySide6.QtGui import QImage

from explorer.cli import create_window

from .snapshots import tutorial_snapshot


def distinct_colours(image: QImage, step: int = 3) -> int:
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    colours = set()
    for y in range(0, image.height(), step):
        for x in range(0, image.width(), step):
            colours.add(image.pixel(x, y))
    return len(colours)


def test_main_window_png_is_not_blank(qtbot, tmp_path, settings_folder):
    from .conftest import TEST_ORGANISATION

    window = create_window(organisation=TEST_ORGANISATION)
    qtbot.addWidget(window)
    window.files.ask_save_changes = lambda: "discard"
    window.show()
    assert window.controller.index == 0  # a lesson opens on its first frame (no spoiler)
    window.controller.last()
    assert window.graph_panel.graph.number_of_nodes() > 0
    qtbot.wait(50)
    path = tmp_path / "main_window.png"
    assert window.grab().save(str(path))
    image = QImage(str(path))
    assert image.width() > 600 and image.height() > 400
    assert distinct_colours(image) > 40


def test_graph_scene_renders_headless(qtbot, tmp_path):
    from PySide6.QtGui import QPainter
    from PySide6.QtWidgets import QGraphicsScene

    from explorer.drawing.graph_items import GraphFonts
    from explorer.drawing.graph_scene import build_items, node_sizes
    from explorer.graph.build import build_graph
    from explorer.ui.layout_worker import compute_layout

    graph = build_graph(tutorial_snapshot())
    fonts = GraphFonts()
    sizes = node_sizes(graph, fonts)
    drawing = build_items(graph, compute_layout(graph, sizes), fonts=fonts, sizes=sizes)
    scene = QGraphicsScene()
    for item in drawing.all_items():
        scene.addItem(item)
    rect = scene.itemsBoundingRect()
    image = QImage(int(rect.width()) + 1, int(rect.height()) + 1, QImage.Format.Format_ARGB32)
    image.fill(0xFFFFFFFF)
    painter = QPainter(image)
    scene.render(painter, target=image.rect().toRectF(), source=rect)
    painter.end()
    assert distinct_colours(image, 2) > 10
