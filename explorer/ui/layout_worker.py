"""Layout off the UI thread for graphs big enough to make the window stutter.

A ``LayoutTask`` runs ``layered_layout`` in the global ``QThreadPool`` and reports
through a ``QObject`` living on the UI thread, so the result arrives as a queued
signal. Each request carries a generation number: the receiver drops results of
requests that a newer one has overtaken.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from explorer.graph.layout import layered_layout

# Below this many nodes laying out takes a few milliseconds: do it in place and
# spare the drawing a frame of lag.
BACKGROUND_THRESHOLD = 250


def compute_layout(graph, sizes: dict, previous=None):
    return layered_layout(graph, previous, node_size=sizes.__getitem__)


class LayoutSignals(QObject):
    finished = Signal(int, object, object, object)   # generation, graph, layout, sizes
    failed = Signal(int, str)


class LayoutTask(QRunnable):
    def __init__(self, generation: int, graph, sizes: dict, previous, signals: LayoutSignals):
        super().__init__()
        self.generation = generation
        self.graph = graph
        self.sizes = sizes
        self.previous = previous
        self.signals = signals

    def run(self):
        try:
            layout = compute_layout(self.graph, self.sizes, self.previous)
        except Exception as error:  # reported, never lost in a worker thread
            self.signals.failed.emit(self.generation, f"{type(error).__name__}: {error}")
            return
        self.signals.finished.emit(self.generation, self.graph, layout, self.sizes)


def start_layout(generation: int, graph, sizes: dict, previous, signals: LayoutSignals):
    QThreadPool.globalInstance().start(LayoutTask(generation, graph, sizes, previous, signals))
