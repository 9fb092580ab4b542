"""File ▸ Export and Edit ▸ Copy Graph Image: the headless exporters, from the app.

Export writes the selected frame (or, for .gif/.html, the backward animation
at or before it) with the current view, theme and language, through the same
pipeline as ``autograd-explorer export``; the program is not run again (the
app's timeline is passed in). The dialog is the only thing here that asks the
user anything; ``export_to`` does the work and is what tests call.
"""
from __future__ import annotations

import os
import tempfile

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMessageBox

from explorer.i18n import current_language

from .program_bridge import save_program
from .translation import tr, trf

FILTERS = ("PNG (*.png)", "SVG (*.svg)", "PDF (*.pdf)", "GIF (*.gif)", "HTML (*.html)",
           "Graphviz DOT (*.dot)", "GraphML (*.graphml)", "JSON (*.json)")
VIEW_NAMES = {"tensor_function": "tensor-function", "grad_fn": "autograd"}


class ExportActions(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.export_action = QAction(tr("&Export…"), window)
        self.export_action.setShortcut(QKeySequence("Ctrl+E"))
        self.export_action.triggered.connect(self.ask_and_export)
        self.copy_action = QAction(tr("Copy Graph Image"), window)
        self.copy_action.setShortcut(QKeySequence("Ctrl+Shift+C"))
        self.copy_action.triggered.connect(self.copy_image)

    def ask_and_export(self):
        start = os.path.splitext(self.window.document.path or tr("graph"))[0] + ".png"
        path, _ = QFileDialog.getSaveFileName(self.window, tr("Export"), start, ";;".join(FILTERS))
        if not path:
            return
        try:
            self.export_to(path)
        except Exception as exc:  # noqa: BLE001 - every failure is reported, none loses the program
            QMessageBox.warning(self.window, tr("Export"), trf("Could not export: {error}",
                                                               error=str(exc)))

    def export_to(self, path: str) -> str:
        """Write the current frame (or its backward animation) to ``path``; returns ``path``."""
        from explorer.export import format_names, formats, pipeline, writing
        from explorer.export.themes import drawn_look

        controller = self.window.controller
        frame = controller.frame
        if controller.timeline is None or frame is None:
            raise pipeline.ExportError(tr("nothing to export: run the program first"))
        suffix = format_names.format_of(path)
        writing.check_target(path)
        with tempfile.TemporaryDirectory() as folder:
            source = os.path.join(folder, "program.agx.json")
            save_program(source, self.window.document.program, self.window.document.fields)
            look = drawn_look(self.window.view_options.theme_name, current_language())
            prepared = pipeline.prepare_frames(
                source, [frame.index + 1], look, VIEW_NAMES.get(self.window.graph_panel.view_name,
                                                                "tensor-function"),
                timeline=controller.timeline)[0]
        if suffix in format_names.ANIMATIONS:
            data = formats.animation_bytes(prepared, suffix)
        else:
            data = formats.still_bytes(prepared, suffix)
        writing.write_file(path, data)
        self.window.statusBar().showMessage(trf("Exported {path}", path=path), 5000)
        return path

    def copy_image(self):
        """The graph as shown (whole graph, current theme) onto the clipboard, at 2x for slides."""
        from explorer.export.raster import render_image

        scene = self.window.graph_panel.scene
        if scene.layout is None or scene.graph is None or scene.graph.number_of_nodes() == 0:
            return None
        image = render_image(scene.graph, scene.layout, scene.theme, 2.0, fonts=scene.fonts)
        QGuiApplication.clipboard().setImage(image)
        self.window.statusBar().showMessage(tr("Graph image copied"), 3000)
        return image
