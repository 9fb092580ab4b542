"""The one place that chooses fonts.

The interface shows Chinese and English text; a machine may lack any CJK font, so
the family list names the common ones first and ends with the platform default,
which Qt falls back to without complaint. The graph drawing and every widget
take their fonts from here.
"""
from PySide6.QtGui import QFont, QFontDatabase

CJK_FAMILIES = ["Noto Sans CJK SC", "WenQuanYi Micro Hei", "Source Han Sans SC", "Noto Sans SC",
                "Source Han Sans CN", "WenQuanYi Zen Hei", "Microsoft YaHei", "PingFang SC",
                "Hiragino Sans GB", "SimHei"]
MONOSPACE_FAMILIES = ["Noto Sans Mono CJK SC", "DejaVu Sans Mono", "Menlo", "Consolas"]


def ui_font(point_size: float | None = None, bold: bool = False) -> QFont:
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont)
    font.setFamilies(CJK_FAMILIES + [font.family()])
    if point_size:
        font.setPointSizeF(point_size)
    font.setBold(bold)
    return font


def character_width(metrics) -> float:
    """Width of an average Latin letter: sizes are counted in these.

    ``averageCharWidth`` of a CJK font averages over its ideographs (about twice
    as wide), which would make every size twice too large.
    """
    return metrics.horizontalAdvance("abcdefghijklmnopqrstuvwxyz") / 26


def code_font(point_size: float | None = None) -> QFont:
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setFamilies(MONOSPACE_FAMILIES + [font.family()] + CJK_FAMILIES)
    font.setStyleHint(QFont.StyleHint.Monospace)
    if point_size:
        font.setPointSizeF(point_size)
    return font


def installed_cjk_family() -> str | None:
    """A family of ``CJK_FAMILIES`` that is installed, else any that writes Simplified Chinese."""
    installed = set(QFontDatabase.families())
    for family in CJK_FAMILIES:
        if family in installed:
            return family
    chinese = QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)
    return chinese[0] if chinese else None

