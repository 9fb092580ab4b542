"""SVG written straight from the scene's items, without painting through ``QSvgGenerator``.

The items are the ones ``compose_scene`` built for every other format, so this is
the same drawing: each item's ``paint`` is mirrored here as SVG elements, with the
same geometry, pens, brushes and fonts, and labels as real ``<text>``. Painting a
big graph through ``QSvgGenerator`` costs a ``<g>`` with every pen and font
attribute per call; this writer emits one element per shape and is several times
faster.

Only items whose drawing is known here are written this way (the graph's nodes,
edges, arrowheads, edge labels, call boxes and legend, the animation's text panels and
the backward overlay's badges). A
scene holding anything else returns ``None`` and is painted by ``QSvgGenerator``.
"""
from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainterPath, QPen, QTransform
from PySide6.QtWidgets import QGraphicsPathItem, QGraphicsPolygonItem, QGraphicsSimpleTextItem

from explorer.drawing.graph_items import (
    GROUP_PADDING,
    GROUP_RADIUS,
    PEN_STYLES,
    EdgeItem,
    GroupBoxItem,
    LegendItem,
    NodeItem,
)
from explorer.drawing.overlay_items import BadgeItem, LeaderLine
from explorer.graph.build import FUNCTION

from .animation_scene import TextPanel
from .raster import image_size
from .scene import ExportScene

# Qt's dash patterns, in pen widths (QPen::dashPattern of each style).
DASHES = {Qt.PenStyle.DashLine: (4, 2), Qt.PenStyle.DotLine: (1, 2),
          Qt.PenStyle.DashDotLine: (4, 2, 1, 2), Qt.PenStyle.DashDotDotLine: (4, 2, 1, 2, 1, 2)}
CAPS = {Qt.PenCapStyle.FlatCap: "butt", Qt.PenCapStyle.SquareCap: "square",
        Qt.PenCapStyle.RoundCap: "round"}
JOINS = {Qt.PenJoinStyle.BevelJoin: "bevel", Qt.PenJoinStyle.RoundJoin: "round",
         Qt.PenJoinStyle.MiterJoin: "miter", Qt.PenJoinStyle.SvgMiterJoin: "miter"}
GENERIC_FAMILY = {True: "monospace", False: "sans-serif"}
POINTS_TO_PIXELS = 96.0 / 72.0
_TRANSLATIONS = {QTransform.TransformationType.TxNone, QTransform.TransformationType.TxTranslate}


class _Unknown(Exception):
    """An item this writer cannot mirror: the scene is painted by ``QSvgGenerator`` instead."""


def _number(value: float) -> str:
    return "%.7g" % value


def _colour(colour: QColor) -> str:
    return colour.name()


def _opacity(name: str, colour: QColor) -> str:
    alpha = colour.alphaF()
    return "" if alpha >= 1 else f' {name}-opacity="{_number(alpha)}"'


class _Writer:
    def __init__(self, marks: dict | None = None):
        self.parts = []
        self.marks = marks or {}
        self._fonts = {}
        self._font_objects = {}
        self._pens = {}
        self._seen_pens = []
        self._seen_brushes = []
        self._node_strokes = {}

    # ----------------------------------------------------------------- styles
    def font(self, font) -> str:
        """Presentation attributes of ``font`` (cached: a drawing uses three or four fonts)."""
        known = self._font_objects.get(id(font))
        if known is not None and known[0] is font:
            return known[1]
        key = font.key()
        attributes = self._fonts.get(key)
        if attributes is None:
            families = [family for family in font.families() or [font.family()] if family]
            monospace = font.styleHint() == font.StyleHint.Monospace or font.fixedPitch()
            families.append(GENERIC_FAMILY[monospace])
            size = font.pixelSize() if font.pixelSize() > 0 else font.pointSizeF() * POINTS_TO_PIXELS
            style = "italic" if font.italic() else "normal"
            attributes = (f' font-family="{escape(",".join(families))}" font-size="{_number(size)}"'
                          f' font-weight="{font.weight().value}"'
                          f' font-style="{style}"')
            self._fonts[key] = attributes
        # Items share their font objects: remember this one (kept alive, so its id stays its own).
        self._font_objects[id(font)] = (font, attributes)
        return attributes

    def pen(self, pen) -> str:
        """Stroke attributes of a ``QPen`` (or of none: ``Qt.NoPen``)."""
        # A drawing has a handful of different pens: one comparison finds most.
        for seen, attributes in self._seen_pens:
            if seen == pen:
                return attributes
        attributes = self._pen_attributes(pen)
        self._seen_pens.append((pen, attributes))
        return attributes

    def _pen_attributes(self, pen) -> str:
        style = pen.style()
        if style == Qt.PenStyle.NoPen or pen.brush().style() == Qt.BrushStyle.NoBrush:
            return ' stroke="none"'
        colour = pen.color()
        width = pen.widthF()
        key = (colour.rgba(), width, style, pen.capStyle(), pen.joinStyle())
        attributes = self._pens.get(key)
        if attributes is None:
            if style not in DASHES and style != Qt.PenStyle.SolidLine:
                raise _Unknown(f"pen style {style}")
            attributes = (f' stroke="{_colour(colour)}"{_opacity("stroke", colour)}'
                          f' stroke-width="{_number(width)}"'
                          f' stroke-linecap="{CAPS[pen.capStyle()]}"'
                          f' stroke-linejoin="{JOINS[pen.joinStyle()]}"')
            if style in DASHES:
                unit = max(width, 1.0)
                dashes = ",".join(_number(length * unit) for length in DASHES[style])
                attributes += f' stroke-dasharray="{dashes}"'
            self._pens[key] = attributes
        return attributes

    def fill(self, brush) -> str:
        for seen, attributes in self._seen_brushes:
            if seen == brush:
                return attributes
        attributes = self._fill_attributes(brush)
        self._seen_brushes.append((brush, attributes))
        return attributes

    @staticmethod
    def _fill_attributes(brush) -> str:
        if brush.style() == Qt.BrushStyle.NoBrush:
            return ' fill="none"'
        if brush.style() != Qt.BrushStyle.SolidPattern:
            raise _Unknown(f"brush style {brush.style()}")
        colour = brush.color()
        return f' fill="{_colour(colour)}"{_opacity("fill", colour)}'

    # ----------------------------------------------------------------- shapes
    def rounded_rect(self, x, y, width, height, radius, paint):
        radius = min(radius, width / 2, height / 2)
        corner = f' rx="{_number(radius)}"' if radius > 0 else ""
        self.parts.append(f'<rect x="{_number(x)}" y="{_number(y)}" width="{_number(width)}"'
                          f' height="{_number(height)}"{corner}{paint}/>')

    def text(self, x, baseline, text, font, colour, anchor: str = "start"):
        """One line of text; ``colour`` a ``QColor`` or an opaque "#rrggbb"."""
        anchored = "" if anchor == "start" else f' text-anchor="{anchor}"'
        fill = (f' fill="{colour}"' if isinstance(colour, str)
                else f' fill="{_colour(colour)}"{_opacity("fill", colour)}')
        self.parts.append(f'<text x="{_number(x)}" y="{_number(baseline)}"{anchored}{fill}{self.font(font)}'
                          f' xml:space="preserve">{escape(text, quote=False)}</text>')

    # ----------------------------------------------------------------- items
    def item(self, item):
        transform = item.sceneTransform()
        if transform.type() not in _TRANSLATIONS:
            raise _Unknown("a rotated or scaled item")
        dx, dy = transform.dx(), transform.dy()
        mark = self.marks.get(item)
        if mark:
            self.parts.append(f"<g {mark}>")
        opacity = item.effectiveOpacity()
        if opacity < 1:
            self.parts.append(f'<g opacity="{_number(opacity)}">')
        kind = type(item)
        if kind is NodeItem:
            self.node(item, dx, dy)
        elif kind is EdgeItem or kind is QGraphicsPathItem:
            self.path(item, dx, dy)
        elif kind is QGraphicsPolygonItem:
            self.polygon(item, dx, dy)
        elif kind is QGraphicsSimpleTextItem:
            self.simple_text(item, dx, dy)
        elif kind is LegendItem:
            self.legend(item, dx, dy)
        elif kind is GroupBoxItem:
            self.group_box(item, dx, dy)
        elif kind is TextPanel:
            self.panel(item, dx, dy)
        elif kind is BadgeItem:
            self.badge(item, dx, dy)
        elif kind is LeaderLine:
            self.leader(item, dx, dy)
        else:
            raise _Unknown(kind.__name__)
        if opacity < 1:
            self.parts.append("</g>")
        if mark:
            self.parts.append("</g>")

    def node(self, item: NodeItem, dx, dy):
        # NodeItem.paint, at full detail.
        style = item._style
        theme = item._theme
        border, width = style.border, 1.3
        if item.isSelected():
            border, width = theme.selection, 2.6
        elif item._highlight:
            border, width = item._highlight, 2.6
        elif item._hovered:
            border, width = theme.hover, 2.0
        key = (border, width * theme.line_scale, style.line)
        stroke = self._node_strokes.get(key)
        if stroke is None:
            stroke = self.pen(QPen(QColor(border), key[1], PEN_STYLES.get(style.line, Qt.PenStyle.SolidLine)))
            self._node_strokes[key] = stroke
        rect = item._rect
        attributes = item.attributes
        if attributes["kind"] == FUNCTION and attributes["role"] != "accumulate":
            radius = rect.height() / 2
        else:
            radius = 4.0
        left, top, w, h = rect.left() + dx, rect.top() + dy, rect.width(), rect.height()
        self.rounded_rect(left, top, w, h, radius, f' fill="{style.fill}"{stroke}')
        if attributes["role"] == "accumulate":
            self.rounded_rect(left + 2.5, top + 2.5, w - 5, h - 5, 3, f' fill="none"{stroke}')
        fonts = item._fonts
        by_key = {"label": (fonts.label, fonts.label_metrics),
                  "detail": (fonts.detail, fonts.detail_metrics),
                  "values": (fonts.values, fonts.values_metrics)}
        line_top = dy - sum(by_key[key][1].height() for _, key in item._lines) / 2
        centre = rect.center().x() + dx
        colour = style.text
        for text, key in item._lines:
            font, metrics = by_key[key]
            # drawText(AlignCenter) in a rect one line high: the baseline is one ascent down.
            self.text(centre, line_top + metrics.ascent(), text, font, colour, "middle")
            line_top += metrics.height()

    def path(self, item, dx, dy):
        path = item.path()
        commands = []
        for index in range(path.elementCount()):
            element = path.elementAt(index)
            if element.type == QPainterPath.ElementType.MoveToElement:
                letter = "M"
            elif element.type == QPainterPath.ElementType.LineToElement:
                letter = "L"
            else:
                raise _Unknown("a curved path")
            commands.append(f"{letter}{_number(element.x + dx)},{_number(element.y + dy)}")
        if commands:
            self.parts.append(f'<path d="{" ".join(commands)}"{self.fill(item.brush())}'
                              f'{self.pen(item.pen())}/>')

    def polygon(self, item, dx, dy):
        points = " ".join(f"{_number(point.x() + dx)},{_number(point.y() + dy)}" for point in item.polygon())
        rule = "evenodd" if item.fillRule() == Qt.FillRule.OddEvenFill else "nonzero"
        self.parts.append(f'<polygon points="{points}" fill-rule="{rule}"{self.fill(item.brush())}'
                          f'{self.pen(item.pen())}/>')

    def simple_text(self, item, dx, dy):
        if item.pen().style() != Qt.PenStyle.NoPen or item.brush().style() != Qt.BrushStyle.SolidPattern:
            raise _Unknown("outlined text")
        font = item.font()
        metrics = QFontMetricsF(font)
        top = dy
        for line in item.text().split("\n"):
            self.text(dx, top + metrics.ascent(), line, font, item.brush().color())
            top += metrics.height()

    def group_box(self, item: GroupBoxItem, dx, dy):
        # GroupBoxItem.paint, at full detail.
        style = item._style
        rect = item.rect()
        pen = QPen(QColor(style.border), 1.0 * item._theme.line_scale)
        self.rounded_rect(rect.left() + dx, rect.top() + dy, rect.width(), rect.height(), GROUP_RADIUS,
                          f' fill="{item._fill}"{self.pen(pen)}')
        header = item.header_rect()
        metrics = item._fonts.label_metrics
        # drawText(AlignVCenter) in the header: the line centred, the baseline one ascent down.
        baseline = header.top() + (header.height() - metrics.height()) / 2 + metrics.ascent()
        self.text(header.left() + GROUP_PADDING / 2 + dx, baseline + dy, item._text, item._fonts.label,
                  style.text)

    def legend(self, item: LegendItem, dx, dy):
        # LegendItem.paint.
        if not item._entries:
            return
        theme = item._theme
        fonts = item._fonts
        padding = fonts.padding
        rect = item._rect
        self.rounded_rect(rect.left() + dx, rect.top() + dy, rect.width(), rect.height(), 5,
                          f' fill="{theme.legend_background}"{self.pen(QPen(QColor(theme.edge), 0.8))}')
        metrics = fonts.detail_metrics
        height = metrics.height()
        text_colour = QColor(theme.legend_text)
        for row, (_role, style) in enumerate(item._entries):
            top = padding + row * item._row
            swatch_top = top + (item._row - height) / 2
            pen = QPen(QColor(style.border), 1.2, PEN_STYLES.get(style.line))
            self.rounded_rect(padding + dx, swatch_top + dy, item._swatch, height, 3,
                              f' fill="{style.fill}"{self.pen(pen)}')
            # drawText(AlignVCenter) in a row-high rect.
            baseline = top + (item._row - height) / 2 + metrics.ascent()
            self.text(padding + item._swatch + padding + dx, baseline + dy, style.legend, fonts.detail,
                      text_colour)

    def panel(self, item: TextPanel, dx, dy):
        # TextPanel.paint.
        rect = item._rect
        self.rounded_rect(rect.left() + dx, rect.top() + dy, rect.width(), rect.height(), 4,
                          f' fill="{_colour(item._fill)}"{self.pen(QPen(item._border, 1.2))}')
        top = item._padding
        for text, font, metrics in item._lines:
            self.text(item._padding + dx, top + metrics.ascent() + dy, text, font, item._text)
            top += metrics.height()


    def badge(self, item: BadgeItem, dx, dy):
        # BadgeItem.paint, for the one-line-per-row badges of the backward overlay.
        if item.kind == "freed" or item._flags != Qt.AlignmentFlag.AlignCenter:
            raise _Unknown("a struck-through or wrapped badge")
        rect = item._rect
        self.rounded_rect(rect.left() + dx, rect.top() + dy, rect.width(), rect.height(),
                          min(rect.height() / 2, 6.0),
                          f' fill="{_colour(item._fill)}"{self.pen(QPen(item._border, 1.1))}')
        metrics = QFontMetricsF(item._font)
        lines = item.text.split("\n")
        # drawText(AlignCenter): the block of lines centred, each line centred.
        top = item._text_rect.center().y() - metrics.height() * len(lines) / 2
        centre = item._text_rect.center().x() + dx
        for line in lines:
            self.text(centre, top + metrics.ascent() + dy, line, item._font, item._text_colour, "middle")
            top += metrics.height()


    def leader(self, item: LeaderLine, dx, dy):
        # LeaderLine.paint.
        start, end = item._start, item._end
        pen = QPen(item._colour, 1.2, Qt.PenStyle.DashLine)
        self.parts.append(f'<path d="M{_number(start.x() + dx)},{_number(start.y() + dy)} '
                          f'L{_number(end.x() + dx)},{_number(end.y() + dy)}" fill="none"{self.pen(pen)}/>')


def svg_mapping(exported: ExportScene) -> tuple[float, float, float]:
    """(ratio, left, top): a scene point (x, y) is at ((x - left) * ratio, (y - top) * ratio) in the SVG."""
    width, height = image_size(exported.rect, 1.0)
    rect = exported.rect
    # As QGraphicsScene.render maps the rectangle onto the picture (KeepAspectRatio, top-left).
    return min(width / rect.width(), height / rect.height()), rect.left(), rect.top()


def scene_svg(exported: ExportScene, title: str = "", description: str = "",
              marks: dict | None = None) -> bytes | None:
    """The scene's rectangle as an SVG document (UTF-8), or None if it holds items not known here.

    ``marks`` maps items to attribute text (``'data-node="3"'``): each such item is
    written inside a ``<g>`` carrying it, so a script can find its elements.
    """
    width, height = image_size(exported.rect, 1.0)
    rect = exported.rect
    ratio = svg_mapping(exported)[0]
    writer = _Writer(marks)
    parts = writer.parts
    parts.append('<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
                 f'<svg width="{width}" height="{height}" viewBox="0 0 {width} {height}"'
                 ' xmlns="http://www.w3.org/2000/svg" version="1.1">\n'
                 f'<title>{escape(title, quote=False)}</title>\n'
                 f'<desc>{escape(description, quote=False)}</desc>')
    brush = exported.scene.backgroundBrush()
    if brush.style() != Qt.BrushStyle.NoBrush:
        try:
            parts.append(f'<rect width="{width}" height="{height}"{writer.fill(brush)}/>')
        except _Unknown:
            return None
    parts.append(f'<g transform="matrix({_number(ratio)} 0 0 {_number(ratio)} '
                 f'{_number(-rect.left() * ratio)} {_number(-rect.top() * ratio)})">')
    try:
        for item in exported.scene.items(rect, Qt.ItemSelectionMode.IntersectsItemBoundingRect,
                                         Qt.SortOrder.AscendingOrder):
            if item.isVisible():
                writer.item(item)
    except _Unknown:
        return None
    parts.append("</g>\n</svg>\n")
    return "\n".join(parts).encode("utf-8")
