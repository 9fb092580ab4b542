"""Each frame of a run drawn for students' browsers, by the HTML export's own pipeline.

A frame's drawing is what ``explorer.export.html_animation.animation_drawing``
gives the exported HTML page (the marked SVG, node boxes, the backward events
and the theme's colours) plus each node's description, for the page's
inspector. Frames are laid out in order, each from the layout before it, as the
app and the exporters do, so nodes keep their places while the teacher steps.

Drawing needs Qt's graphics classes: call from the thread that owns the
QApplication (the teacher's), never from the server's loop.
"""
from __future__ import annotations

from explorer.export.animation import animation_frames
from explorer.export.html_animation import animation_drawing
from explorer.export.html_page import inline_svg
from explorer.export.pipeline import prepare_run
from explorer.export.scene import compose_scene
from explorer.export.themes import drawn_look
from explorer.program.files import Document
from explorer.program.timeline import Timeline


class FrameDrawings:
    def __init__(self, document: Document, timeline: Timeline, language: str = "en",
                 view: str = "tensor-function", theme: str = "light", title: str = ""):
        self.document = document
        self.timeline = timeline
        self.language = language
        self.view = view
        self.theme = theme
        self.title = title
        self._layouts = []   # frame i's layout, for frames 0..len-1

    def drawing(self, index: int) -> dict:
        """Frame ``index`` (from 0) as a JSON-ready dict."""
        frames = self.timeline.frames
        for frame in frames[len(self._layouts): index]:
            self._layouts.append(self._prepare(frame).layout)
        prepared = self._prepare(frames[index])
        if index == len(self._layouts):
            self._layouts.append(prepared.layout)
        exported = compose_scene(prepared.graph, prepared.layout, prepared.theme, prepared.fonts,
                                 prepared.sizes)
        events = animation_frames(prepared.frame, prepared.graph, self.language)
        drawn = animation_drawing(exported, events, self.title)
        graph = prepared.graph
        return {"frame": index, "svg": inline_svg(drawn["svg"]), "size": list(drawn["size"]),
                "boxes": drawn["boxes"], "events": drawn["events"], "colours": drawn["colours"],
                "nodes": [graph.nodes[node].get("tooltip", "") for node in exported.drawing.nodes]}

    def _prepare(self, frame):
        previous = self._layouts[frame.index - 1] if 0 < frame.index <= len(self._layouts) else None
        return prepare_run(self.document, self.timeline, [frame], drawn_look(self.theme, self.language),
                           self.view, self.title, previous)[0]
