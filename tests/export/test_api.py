"""The functions the app calls for File ▸ Export and the clipboard: images and bytes, no windows."""
import xml.etree.ElementTree as ElementTree

from PySide6.QtWidgets import QApplication

from explorer.export import render_image, render_pdf, render_svg
from explorer.export.pipeline import lay_out, prepare
from explorer.export.themes import drawn_look
from explorer.graph.style import DARK

from .helpers import write_tutorial


def test_render_image_from_graph_layout_theme_and_scale(tmp_path, qapp):
    look = drawn_look()
    prepared = prepare(write_tutorial(tmp_path), look)
    fonts = look.fonts
    layout, sizes = lay_out(prepared.graph, look)
    single = render_image(prepared.graph, layout, DARK, 1.0, fonts=fonts, sizes=sizes)
    double = render_image(prepared.graph, layout, DARK, 2.0, fonts=fonts, sizes=sizes)
    assert not single.isNull()
    assert 2 * single.width() - double.width() in (0, 1)
    assert single.pixelColor(1, 1).name() == DARK.background
    # A picture of a bare scene: nothing was ever put on screen.
    assert [w for w in QApplication.topLevelWidgets() if w.isVisible()] == []


def test_transparent_background_for_the_clipboard(tmp_path, qapp):
    prepared = prepare(write_tutorial(tmp_path), drawn_look())
    image = render_image(prepared.graph, prepared.layout, prepared.theme, fonts=prepared.fonts,
                         sizes=prepared.sizes, transparent=True)
    assert image.pixelColor(1, 1).alpha() == 0


def test_render_svg_and_pdf_return_documents(tmp_path, qapp):
    prepared = prepare(write_tutorial(tmp_path), drawn_look())
    svg = render_svg(prepared.graph, prepared.layout, title="tutorial")
    root = ElementTree.fromstring(svg)
    assert any("MeanBackward0" in "".join(text.itertext()) for text in root.iter("{http://www.w3.org/2000/svg}text"))
    assert render_pdf(prepared.graph, prepared.layout).startswith(b"%PDF")


def test_the_package_does_not_import_qt_until_asked():
    import subprocess
    import sys

    from .helpers import REPOSITORY, headless_environment

    probe = "import sys, explorer.export; print('PySide6.QtGui' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPOSITORY,
                            env=headless_environment(), timeout=60)
    assert result.stdout.strip() == "False", result.stderr


def test_pictures_past_the_pixel_limits_are_refused_or_scaled_down():
    from PySide6.QtCore import QRectF

    from explorer.export.raster import MAX_PIXELS, MAX_SIDE, fitting_scale, image_size

    small = QRectF(0, 0, 800, 600)
    assert fitting_scale(small, 2.0) == 2.0
    tall = QRectF(0, 0, 2000, 100_000)
    scale = fitting_scale(tall, 1.0)
    width, height = image_size(tall, scale)
    assert scale < 1.0 and height <= MAX_SIDE and width * height <= MAX_PIXELS
    assert height > 0.99 * MAX_SIDE


def test_png_encoder_round_trips_through_qt(tmp_path, qapp):
    from PySide6.QtGui import QColor, QImage

    from explorer.export.png import encode_png
    from explorer.export.raster import png_bytes

    prepared = prepare(write_tutorial(tmp_path), drawn_look())
    for transparent in (False, True):
        image = render_image(prepared.graph, prepared.layout, prepared.theme, 2.0, fonts=prepared.fonts,
                             sizes=prepared.sizes, transparent=transparent)
        decoded = QImage()
        assert decoded.loadFromData(png_bytes(image), "PNG")
        assert decoded.hasAlphaChannel() == transparent
        assert decoded.convertToFormat(QImage.Format.Format_ARGB32) == image.convertToFormat(
            QImage.Format.Format_ARGB32)
        assert decoded.dotsPerMeterX() == image.dotsPerMeterX() == round(2 * 96 / 0.0254)
    odd = QImage(3, 5, QImage.Format.Format_RGB32)
    odd.fill(QColor("#123456"))
    decoded = QImage()
    assert decoded.loadFromData(encode_png(odd), "PNG")
    assert decoded.pixelColor(2, 4).name() == "#123456"
