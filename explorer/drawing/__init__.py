"""The one drawing of a graph, shown by the window and written by every exporter.

Graph items (``graph_items``), the scene that builds them from a laid-out graph
(``graph_scene``), the fonts (``fonts``) and the graph's theme with its legend in
the interface's language (``graph_theme``). Qt graphics, no windows: it imports
nothing of ``explorer.ui`` or ``explorer.export``, which both build on it.
"""
