"""PySide6 widgets of the explorer: graph view, program editor, inspector, timeline."""
