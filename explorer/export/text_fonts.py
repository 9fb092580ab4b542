"""The app's fonts, set so that text in a PDF can be found and copied.

A PDF viewer maps drawn glyphs back to characters through the font's character
map. Noto Sans CJK's ``locl`` feature swaps Latin digits for glyphs that map has
no entry for, so "MulBackward0" would be found only as "MulBackward"; ligatures
turn "float32" into "ﬂoat32". Both features are switched off. Glyph shapes stay
the same for Latin text and advances barely move, and the boxes are measured
with these very fonts, so the text still fits.
"""
from __future__ import annotations

from PySide6.QtGui import QFont, QFontMetricsF

from explorer.drawing.fonts import code_font, ui_font
from explorer.drawing.graph_items import GraphFonts

FEATURES_OFF = ("locl", "liga", "clig", "dlig")


def plain_text(font: QFont) -> QFont:
    """``font`` with the features that break text extraction switched off."""
    font = QFont(font)
    for tag in FEATURES_OFF:
        font.setFeature(QFont.Tag(tag), 0)
    return font


def export_fonts(point_size: float = 9.0) -> GraphFonts:
    """``GraphFonts`` as the app makes them, with ``plain_text`` applied to each font."""
    fonts = GraphFonts(point_size)
    for key in ("label", "detail", "values"):
        font = plain_text(getattr(fonts, key))
        setattr(fonts, key, font)
        setattr(fonts, f"{key}_metrics", QFontMetricsF(font))
    fonts.padding = fonts.detail_metrics.height() * 0.5
    return fonts


def export_ui_font(point_size: float, bold: bool = False) -> QFont:
    return plain_text(ui_font(point_size, bold))


def export_code_font(point_size: float) -> QFont:
    return plain_text(code_font(point_size))
