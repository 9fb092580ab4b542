"""The backward animation as one graph plus per-event changes, for ``html_page``.

The scene is written to SVG once, with each node's and edge's elements marked
by an index; every ``AnimationFrame`` becomes those indices, the values to show
beside nodes and the caption. Node boxes are given in SVG units so the page can
place values and follow the event's nodes without measuring anything.
"""
from __future__ import annotations

from PySide6.QtWidgets import QGraphicsPolygonItem

from .html_page import html_page
from .raster import image_size
from .scene import ExportScene
from .svg import scene_svg, svg_mapping
from .vector import generated_svg


def animation_page(exported: ExportScene, frames, title: str, language: str, delay_ms: int) -> bytes:
    """The page playing ``frames`` over the drawing of ``exported``."""
    drawn = animation_drawing(exported, frames, title)
    return html_page(title, drawn["svg"], drawn["size"], drawn["boxes"], drawn["events"], language, delay_ms,
                     drawn["colours"])


def animation_drawing(exported: ExportScene, frames, title: str) -> dict:
    """What a page needs to play ``frames`` over ``exported``: the marked ``svg`` (bytes), its
    ``size``, the node ``boxes``, the ``events`` and the theme's ``colours`` (``html_page``'s
    arguments; the classroom server sends the same to students' browsers)."""
    drawing = exported.drawing
    node_index = {node: index for index, node in enumerate(drawing.nodes)}
    edge_index = {edge: index for index, edge in enumerate(drawing.edges)}
    marks = {}
    for node, item in drawing.nodes.items():
        marks[item] = f'data-node="{node_index[node]}"'
    for edge, item in drawing.edges.items():
        marks[item] = f'data-edge="{edge_index[edge]}"'
        for child in item.childItems():
            if isinstance(child, QGraphicsPolygonItem):   # the arrowhead
                marks[child] = marks[item]
    svg = scene_svg(exported, title, marks=marks) or generated_svg(exported, title)
    ratio, left, top = svg_mapping(exported)
    boxes = []
    for item in drawing.nodes.values():
        rect = item.sceneBoundingRect()
        boxes.append([round((rect.left() - left) * ratio, 1), round((rect.top() - top) * ratio, 1),
                      round(rect.width() * ratio, 1), round(rect.height() * ratio, 1)])
    events = [{"current": [node_index[node] for node in frame.current if node in node_index],
               "edges": [edge_index[edge] for edge in frame.edges if edge in edge_index],
               "badges": [[node_index[node], text] for node, text in frame.badges if node in node_index],
               "heading": frame.heading, "caption": frame.caption}
              for frame in frames]
    theme = exported.theme
    colours = {"background": theme.background, "text": theme.legend_text, "edge": theme.edge,
               "panel": theme.legend_background, "current": theme.selection, "visited": theme.hover}
    return {"svg": svg, "size": image_size(exported.rect, 1.0), "boxes": boxes, "events": events,
            "colours": colours}
