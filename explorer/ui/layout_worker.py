"""Layout off the UI thread for graphs big enough to make the window stutter.

A ``LayoutTask`` runs ``layered_layout`` in the global ``QThreadPool`` and reports
through a ``QObject`` living on the UI thread, so the result arrives as a queued
signal. Each request carries a generation number: the receiver drops results of
requests that a newer one has overtaken.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from explorer.graph.layout import layered_layout


def compute_layout(graph, sizes: dict, previous=None):
    return layered_layout(graph, previous, node_size=sizes.__getitem__)


class LayoutSignals(QObject):
    finished = Signal(int, object, object, object)   # generation, graph, layout, sizes
    failed = Signal(int, str)


class LayoutTask(QRunnable):
    """Build (when given a ``make_graph`` callable), measure and lay out, off the UI thread.

    Building a 5,000-node graph from a snapshot takes a good part of a second, so
    it moves here too; measuring text with QFontMetricsF is safe on any thread.
    """

    def __init__(self, generation: int, graph, sizes, previous, signals: LayoutSignals):
        super().__init__()
        self.generation = generation
        self.graph = graph
        self.sizes = sizes
        self.previous = previous
        self.signals = signals

    def run(self):
        try:
            graph = self.graph() if callable(self.graph) else self.graph
            sizes = self.sizes(graph) if callable(self.sizes) else self.sizes
            previous = self.previous(graph) if callable(self.previous) else self.previous
            layout = compute_layout(graph, sizes, previous)
        except Exception as error:  # reported, never lost in a worker thread
            self.signals.failed.emit(self.generation, f"{type(error).__name__}: {error}")
            return
        self.signals.finished.emit(self.generation, graph, layout, sizes)


def start_layout(generation: int, graph, sizes, previous, signals: LayoutSignals):
    """Lay out in the thread pool; ``graph``, ``sizes`` and ``previous`` may be callables
    (of nothing, of the graph, of the graph) evaluated there."""
    QThreadPool.globalInstance().start(LayoutTask(generation, graph, sizes, previous, signals))
