"""Chinese text renders as real glyphs, and a machine without a Chinese font is told so once."""
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPainter

from explorer.drawing import fonts
from explorer.ui import font_notice


def render(text, font):
    image = QImage(120, 120, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setFont(font)
    painter.setPen(QColor("black"))
    painter.drawText(image.rect(), Qt.AlignmentFlag.AlignCenter, text)
    painter.end()
    return image


def ink(image):
    return sum(1 for y in range(image.height()) for x in range(image.width())
               if image.pixelColor(x, y).lightness() < 128)


def test_two_chinese_characters_render_as_two_different_glyphs(qapp):
    if fonts.installed_cjk_family() is None:
        pytest.skip("no CJK font installed (CI installs fonts-noto-cjk)")
    font = fonts.ui_font(48)
    first, second = render("梯", font), render("度", font)
    assert ink(first) > 50 and ink(second) > 50
    # A missing glyph draws the same empty box for every character.
    assert first != second
    assert render("梯", font) == first


def test_the_interface_font_lists_chinese_families_first(qapp):
    families = fonts.ui_font().families()
    assert families[: len(fonts.CJK_FAMILIES)] == fonts.CJK_FAMILIES


def test_missing_chinese_font_warns_once_and_does_not_fail(qapp, monkeypatch, caplog):
    monkeypatch.setattr(fonts, "installed_cjk_family", lambda: None)
    monkeypatch.setattr(font_notice, "_warned", [])
    shown = []
    assert font_notice.warn_once_without_cjk_font(shown.append)
    assert not font_notice.warn_once_without_cjk_font(shown.append)
    assert len(shown) == 1 and "fonts-noto-cjk" in shown[0]
    assert "Chinese font" in caplog.text
