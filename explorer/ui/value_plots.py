"""Plots of a tensor's value and .grad: bars for vectors, heatmaps for matrices.

pyqtgraph is imported on first use, so opening the app does not pay for it. Both
plots share one colour scale (heatmaps) or one y range (bars), so a value and
its gradient can be compared by eye.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

_pyqtgraph = None


def pyqtgraph():
    global _pyqtgraph
    if _pyqtgraph is None:
        import pyqtgraph

        from .themes import plot_colours
        # OpenGL stays off: it is not available headless and buys nothing at these sizes.
        pyqtgraph.setConfigOptions(useOpenGL=False, antialias=True, **plot_colours())
        _pyqtgraph = pyqtgraph
    return _pyqtgraph


def plot_kind(array) -> str:
    """"none" for scalars and empty arrays, "bars" for vectors, "image" for matrices."""
    if array is None:
        return "none"
    array = np.asarray(array)
    if array.size <= 1:
        return "none"
    if array.ndim == 1:
        return "bars"
    return "image"


def as_matrix(array):
    array = np.asarray(array, dtype=float)
    return array.reshape(array.shape[0], -1) if array.ndim > 2 else array


class ValuePlots(QWidget):
    """Side-by-side plots of value and grad (the grad plot hidden when there is none)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._plots = []
        self.kind = "none"

    def _ensure_plots(self):
        if self._plots:
            return
        pg = pyqtgraph()
        for title in ("value", ".grad"):
            box = QVBoxLayout()
            box.addWidget(QLabel(title, self))
            plot = pg.PlotWidget(self)
            plot.setMinimumHeight(self.fontMetrics().height() * 8)
            plot.setMenuEnabled(False)
            box.addWidget(plot, 1)
            self._layout.addLayout(box, 1)
            self._plots.append(plot)

    def show_arrays(self, value, grad):
        kind = plot_kind(value)
        self.kind = kind
        if kind == "none":
            self.hide()
            return
        self._ensure_plots()
        self.show()
        arrays = [np.asarray(value, dtype=float), None if grad is None else np.asarray(grad, dtype=float)]
        finite = [a[np.isfinite(a)] for a in arrays if a is not None and a.size]
        low = min((float(a.min()) for a in finite if a.size), default=0.0)
        high = max((float(a.max()) for a in finite if a.size), default=1.0)
        if high == low:
            high = low + 1.0
        for plot, array in zip(self._plots, arrays, strict=True):
            plot.clear()
            plot.setVisible(array is not None)
            if array is None:
                continue
            if kind == "bars":
                self._bars(plot, array, min(low, 0.0), max(high, 0.0))
            else:
                self._image(plot, as_matrix(array), low, high)

    def _bars(self, plot, array, low, high):
        pg = pyqtgraph()
        bars = pg.BarGraphItem(x=np.arange(array.size), height=array.ravel(), width=0.7, brush="#4285f4")
        plot.addItem(bars)
        plot.setYRange(low, high)

    def _image(self, plot, matrix, low, high):
        pg = pyqtgraph()
        # ImageItem indexes [x, y]; transpose so rows run down like the printed tensor.
        image = pg.ImageItem(matrix.T, levels=(low, high))
        image.setColorMap(pg.colormap.get("viridis"))
        plot.addItem(image)
        plot.invertY(True)
        plot.setAspectLocked(True)
