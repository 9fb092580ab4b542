"""A 500-op loop: its PNG is refused in the tensor view, and drawn with every node's name in the
autograd view (the picture shrinks, its text stays); its SVG holds the same names as text."""
from xml.etree import ElementTree

import numpy as np
from PySide6.QtGui import QImage

from explorer.drawing.graph_items import NodeItem
from explorer.export.cli import main
from explorer.export.pipeline import prepare_frames
from explorer.export.raster import MIN_LEGIBLE_SCALE, fitting_scale
from explorer.export.scene import compose_scene
from explorer.export.themes import drawn_look

# 500 ops written as a loop (a chain of 500 lines is what benchmarks/export.py times).
LOOP_500 = """\
x = torch.ones(4, requires_grad=True)
h = x * 2
for i in range(125):
    h = (h * x + x).sin() * 0.5
out = h.sum()
"""
SVG = "{http://www.w3.org/2000/svg}"


def grey_levels(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_Grayscale8)
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine())
    return rows[:, : image.width()].copy()   # the image and its bits go when this returns


def test_the_500_op_loop_is_refused_in_the_tensor_view_with_one_line(tmp_path, qapp, capsys):
    source = tmp_path / "loop.py"
    source.write_text(LOOP_500, encoding="utf-8")
    assert main([str(source), "-o", str(tmp_path / "loop.png")]) == 1
    error = capsys.readouterr().err.strip()
    assert len(error.splitlines()) == 1 and "--view autograd" in error
    assert not (tmp_path / "loop.png").exists()


def test_the_500_op_loop_png_writes_every_node_name_the_svg_writes(tmp_path, qapp):
    source = tmp_path / "loop.py"
    source.write_text(LOOP_500, encoding="utf-8")
    png, svg = tmp_path / "loop.png", tmp_path / "loop.svg"
    for target in (png, svg):
        assert main([str(source), "-o", str(target), "--view", "autograd"]) == 0
    # The SVG's text runs: the names every node box must show.
    root = ElementTree.parse(svg).getroot()
    texts = {"".join(element.itertext()) for element in root.iter(f"{SVG}text")}
    # The same drawing, placed as the export placed it, tells where each box is in the PNG.
    prepared = prepare_frames(source, ["last"], drawn_look(), view="autograd")[0]
    exported = compose_scene(prepared.graph, prepared.layout, prepared.theme, prepared.fonts,
                             prepared.sizes)
    scale = fitting_scale(exported.rect, 1.0)
    assert MIN_LEGIBLE_SCALE <= scale < 1
    picture = QImage(str(png))
    assert (picture.width(), picture.height()) == (round(exported.rect.width() * scale + 0.4999),
                                                    round(exported.rect.height() * scale + 0.4999))
    grey = grey_levels(picture)
    nodes = [item for item in exported.scene.items() if isinstance(item, NodeItem)]
    assert len(nodes) > 500
    for node in nodes:
        assert node.attributes["label"] in texts
        box = node.sceneBoundingRect()
        # The inside of the box, clear of its outline: text draws dark pixels on the light fill.
        left = int((box.left() - exported.rect.left()) * scale) + 4
        right = int((box.right() - exported.rect.left()) * scale) - 4
        top = int((box.top() - exported.rect.top()) * scale) + 3
        bottom = int((box.bottom() - exported.rect.top()) * scale) - 3
        inside = grey[top:bottom, left:right]
        assert (inside < 110).sum() >= 6, f"no text drawn in {node.attributes['label']}'s box"
