"""The graph drawing, headless: PNG, SVG, PDF, animated GIF, HTML and graph data.

Exporters are functions that return images or bytes; nothing here opens a
dialog or a window. The app calls ``render_image`` / ``render_svg`` /
``render_pdf`` for File ▸ Export and the clipboard; ``autograd-explorer export``
(``explorer.export.cli``) calls the same functions from the command line.

Importing this package does not import Qt (the names below load on first use),
so the command line can still choose the offscreen platform first. ``prepare``
takes a ``Look``: ``drawn_look()`` for the app's, ``plain_look()`` for graph data
(``data_bytes``) where Qt is missing.
"""
from importlib import import_module

_HOMES = {
    "ExportError": "pipeline", "Prepared": "pipeline", "prepare": "pipeline", "Look": "pipeline",
    "drawn_look": "themes", "plain_look": "plain_look", "data_bytes": "data",
    "render_image": "raster", "render_scene": "raster", "png_bytes": "raster",
    "scene_png": "raster",
    "render_svg": "vector", "render_pdf": "pdf", "svg_bytes": "vector", "pdf_bytes": "pdf",
    "ExportScene": "scene", "compose_scene": "scene",
    "animation_frames": "animation", "encode_gif": "gif", "html_page": "html_page",
    "dot_text": "data", "graphml_bytes": "data", "json_text": "data",
}

__all__ = sorted(_HOMES)


def __getattr__(name):
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{_HOMES[name]}"), name)
