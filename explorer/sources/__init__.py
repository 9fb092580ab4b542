"""Readers that turn tutorials people already have into lessons: Jupyter notebooks,
Markdown chapters, saved tutorial pages and ``# %%`` scripts. No Qt.

``read_tutorial(path)`` gives a ``Document`` whose ``cells`` keep the page's cells
and the outputs it shows; ``output_verdicts(timeline, document)`` says, after a run,
which cells print what the page shows.
"""
from .opening import is_imported, open_document
from .reading import TUTORIAL_SUFFIXES, is_tutorial_path, read_tutorial, read_tutorial_text
from .verdicts import CellVerdict, cell_first_steps, output_verdicts

__all__ = ["is_imported", "open_document", "TUTORIAL_SUFFIXES", "is_tutorial_path", "read_tutorial",
           "read_tutorial_text",
           "CellVerdict", "cell_first_steps", "output_verdicts"]
