"""Details of the selected node at the current frame.

A tensor: its names, flags, ``_version``, value and ``.grad`` as numbers and plots,
and, for a leaf, how its ``.grad`` changed along the timeline (the tutorial's
3 → 4 → 1). A Function: its saved tensors (or "freed"), ``next_functions`` and
what it computes backward.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QScrollArea, QVBoxLayout, QWidget

from explorer.drawing.fonts import code_font
from explorer.graph.build import dtype_text, saved_entries, shape_text
from explorer.graph.formulas import backward_formula

from .translation import tr, trf
from .value_plots import ValuePlots

NUMBER_OPTIONS = dict(precision=4, separator=", ", suppress_small=True, max_line_width=60)


def array_text(array) -> str:
    if array is None:
        return "None"
    return np.array2string(np.asarray(array), **NUMBER_OPTIONS)


def compact_value(array) -> str:
    """One number when every element is the same (how the tutorial talks about x.grad)."""
    if array is None:
        return "None"
    array = np.asarray(array)
    if array.size and np.all(array == array.flat[0]):
        return np.format_float_positional(float(array.flat[0]), trim="-")
    return array_text(array).replace("\n", "")


def grad_history(frames, tensor_id: str, upto: int | None = None) -> list[tuple[int, str]]:
    """(frame index, compact .grad) each time the tensor's .grad changed, up to frame ``upto``."""
    history = []
    last = object()
    for frame in frames[: None if upto is None else upto + 1]:
        snapshot = frame.snapshot
        if snapshot is None or tensor_id not in snapshot.tensors:
            continue
        grad = snapshot.tensors[tensor_id].grad
        text = compact_value(grad)
        if text != last:
            if grad is not None or history:
                history.append((frame.index, text))
            last = text
    return history


class Inspector(QScrollArea):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWidgetResizable(True)
        body = QWidget(self)
        self.setWidget(body)
        layout = QVBoxLayout(body)
        self.title = QLabel(body)
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.title.setFont(font)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.facts = QLabel(body)
        self.facts.setTextFormat(Qt.TextFormat.PlainText)
        self.facts.setWordWrap(True)
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.numbers = QPlainTextEdit(body)
        self.numbers.setReadOnly(True)
        self.numbers.setFont(code_font())
        self.numbers.setMinimumHeight(self.fontMetrics().height() * 6)
        self.plots = ValuePlots(body)
        self.plots.hide()
        for widget in (self.title, self.facts, self.numbers, self.plots):
            layout.addWidget(widget)
        layout.addStretch(1)
        self.node_id = ""
        self.show_nothing()

    def show_nothing(self, message: str | None = None):
        self.node_id = ""
        self.title.setText(tr("Inspector"))
        self.facts.setText(message or tr("Select a node in the graph to inspect it."))
        self.numbers.hide()
        self.plots.hide()

    def show_node(self, node_id: str, frame, frames=()):
        """Show ``node_id`` as it is at ``frame``; ``frames`` give the .grad history."""
        snapshot = getattr(frame, "snapshot", None)
        if not node_id or snapshot is None:
            self.show_nothing()
            return
        if node_id in snapshot.tensors:
            self.node_id = node_id
            self._show_tensor(snapshot, snapshot.tensors[node_id], frame, frames)
        elif node_id in snapshot.functions:
            self.node_id = node_id
            self._show_function(snapshot, snapshot.functions[node_id])
        else:
            self.show_nothing(trf("{node} does not exist at this step.", node=node_id))

    def _show_tensor(self, snapshot, tensor, frame, frames):
        names = [name for name, tensor_id in snapshot.variables.items() if tensor_id == tensor.id]
        self.title.setText(", ".join(names) or f"tensor {tensor.id}")
        grad_fn = snapshot.functions.get(tensor.grad_fn)
        lines = [
            f"shape {shape_text(tensor.shape)}   dtype {dtype_text(tensor.dtype)}",
            f"requires_grad={tensor.requires_grad}   is_leaf={tensor.is_leaf}   "
            f"retains_grad={getattr(tensor, 'retains_grad', False)}",
            f"grad_fn={grad_fn.name if grad_fn else None}   _version={tensor.version}",
        ]
        if getattr(tensor, "origin", None):
            lines.append(trf("made by {origin}: not tracked by autograd", origin=tensor.origin))
        if tensor.is_leaf and tensor.requires_grad:
            history = grad_history(frames, tensor.id, getattr(frame, "index", None))
            if history:
                lines.append(trf(".grad over time: {values}", values=" → ".join(text for _, text in history)))
        self.facts.setText("\n".join(lines))
        self.numbers.setPlainText(f"value\n{array_text(tensor.values)}\n\n.grad\n{array_text(tensor.grad)}")
        self.numbers.show()
        self.plots.show_arrays(tensor.values, tensor.grad)

    def _show_function(self, snapshot, function):
        self.title.setText(function.name)
        lines = []
        formula = backward_formula(function.name)
        if formula:
            lines.append(trf("backward: {formula}", formula=formula))
        if getattr(function, "variable", None):
            name = self._tensor_name(snapshot, function.variable)
            lines.append(trf("accumulates into {name}.grad", name=name))
        lines.append("next_functions:")
        for next_id, output_nr in function.next_functions:
            next_function = snapshot.functions.get(next_id)
            lines.append(f"    ({next_function.name if next_function else None}, {output_nr})")
        saved = saved_entries(function)
        if saved:
            lines.append(tr("saved tensors:"))
        for name, value, freed in saved:
            shown = tr("freed") if freed else (self._tensor_name(snapshot, value) if value in snapshot.tensors
                                          else value)
            lines.append(f"    _saved_{name}: {shown}")
        self.facts.setText("\n".join(lines))
        self.numbers.hide()
        self.plots.hide()

    @staticmethod
    def _tensor_name(snapshot, tensor_id):
        names = [name for name, found in snapshot.variables.items() if found == tensor_id]
        return ", ".join(names) or tensor_id
