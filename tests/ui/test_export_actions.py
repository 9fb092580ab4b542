"""File ▸ Export and Edit ▸ Copy Graph Image write what the headless exporter writes."""
import xml.etree.ElementTree as ElementTree

from PySide6.QtGui import QGuiApplication, QImage

from explorer.ui.program_bridge import parse_program

TUTORIAL = ("x = torch.ones(2, 2, requires_grad=True)\ny = x ** 2\nz = y * y * 3\n"
            "out = z.mean()\nout.backward()\n")


def run_tutorial(window, qtbot):
    window.open_program(parse_program(TUTORIAL))
    window.controller.last()
    qtbot.waitUntil(lambda: window.graph_panel.graph.number_of_nodes() > 0)


def test_export_current_frame_in_several_formats(window, qtbot, tmp_path):
    run_tutorial(window, qtbot)
    png = window.exports.export_to(str(tmp_path / "graph.png"))
    assert not QImage(png).isNull()
    svg = window.exports.export_to(str(tmp_path / "graph.svg"))
    text = ElementTree.tostring(ElementTree.parse(svg).getroot(), encoding="unicode")
    for name in ("PowBackward0", "MulBackward0", "MeanBackward0", "AccumulateGrad"):
        assert name in text
    gif = window.exports.export_to(str(tmp_path / "backward.gif"))
    with open(gif, "rb") as handle:
        assert handle.read(6) in (b"GIF89a", b"GIF87a")
    assert window.exports.export_action in window.menuBar().actions()[0].menu().actions()


def test_copy_graph_image_to_clipboard(window, qtbot):
    run_tutorial(window, qtbot)
    image = window.exports.copy_image()
    assert image is not None and not image.isNull()
    assert not QGuiApplication.clipboard().image().isNull()


def test_export_without_a_run_is_a_clear_error(window, tmp_path):
    import pytest

    from explorer.export.pipeline import ExportError
    with pytest.raises(ExportError, match="nothing to export"):
        window.exports.export_to(str(tmp_path / "empty.png"))
    assert not (tmp_path / "empty.png").exists()
