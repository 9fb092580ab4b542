"""The v of ``y.backward(v)``, editable, and the Jacobian it multiplies.

For a backward frame whose output has several elements, the panel shows v (an
edit changes the program through an ordinary undoable command, so the run and
every view follow), the gradient the recorded backward accumulated, and for
small sizes the Jacobian J = ∂y/∂x (computed by ``explorer.program.jacobian``
with ``autograd.grad``, row by row) with vᵀJ checked against that gradient.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from explorer.graph.backward_state import value_text
from explorer.program.jacobian import backward_vector, backward_vector_edit, vjp_check

from .commands import edit_command
from .program_edit import location
from .translation import tr, trf


def numbers_text(array) -> str:
    # Each number in its own precision: a float32 0.1 prints as 0.1, not 0.10000000149.
    return ", ".join(np.format_float_positional(x, trim="-") for x in np.asarray(array).reshape(-1))


def parse_numbers(text: str) -> list[float]:
    """"0.1, 1, 1e-4" -> [0.1, 1.0, 0.0001]; raises ValueError on anything else."""
    parts = [part for part in text.replace("[", " ").replace("]", " ").replace(",", " ").split() if part]
    return [float(part) for part in parts]


class VjpPanel(QWidget):
    def __init__(self, document, controller, parent=None):
        super().__init__(parent)
        self.document = document
        self.controller = controller
        self.frame = None
        self.check = None
        self.applies = False
        self.v_edit = QLineEdit(self)
        self.v_edit.setObjectName("vjp_v")
        self.v_edit.setToolTip(tr("The v of backward(v): one weight per output element. Enter to apply."))
        self.v_edit.returnPressed.connect(self.apply_v)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.result = QLabel(self)
        self.result.setWordWrap(True)
        self.table = QTableWidget(self)
        self.table.setObjectName("vjp_jacobian")
        self.verdict = QLabel(self)
        self.verdict.setWordWrap(True)
        form = QFormLayout()
        form.addRow("v =", self.v_edit)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addLayout(form)
        layout.addWidget(self.result)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.verdict)
        self.show_frame(None)

    def show_frame(self, frame):
        """Show ``frame`` when it is a backward(v) of a non-scalar output, else say why not."""
        self.frame = frame
        self.check = None
        found = backward_vector(frame) if frame is not None else None
        v = found[1] if found else None
        self.applies = v is not None and np.asarray(v).size > 1
        self.v_edit.setEnabled(self.applies)
        self.table.setVisible(False)
        self.verdict.clear()
        self.result.clear()
        if not self.applies:
            self.v_edit.clear()
            self.message.setText(tr("Go to a step that calls y.backward(v) on a tensor with several "
                                    "elements to see and edit v."))
            return
        self.message.setText(tr("backward(v) computes vᵀJ: each leaf's gradient is v weighted by how "
                                "much each output element depends on it."))
        self.v_edit.setText(numbers_text(v))
        try:
            self.check = vjp_check(self.document.program, frame)
        except Exception as error:  # the check reruns user code: report, never crash the panel
            self.verdict.setText(trf("Jacobian not available: {error}",
                                     error=f"{type(error).__name__}: {error}"))
            return
        if self.check is None:
            self.verdict.setText(tr("Jacobian not shown (too large, or the step is inside a block)."))
            return
        self._show_check(self.check)

    def _show_check(self, check):
        leaf = check.leaves[0]
        self.result.setText(f"{leaf.name}.grad += vᵀJ = {value_text(leaf.recorded, 60)}")
        jacobian = leaf.jacobian
        self.table.setVisible(True)
        self.table.setRowCount(jacobian.shape[0])
        self.table.setColumnCount(jacobian.shape[1])
        self.table.setVerticalHeaderLabels([f"∂{check.output_name}[{i}]" for i in range(jacobian.shape[0])])
        self.table.setHorizontalHeaderLabels([f"∂{leaf.name}[{j}]" for j in range(jacobian.shape[1])])
        for row in range(jacobian.shape[0]):
            for column in range(jacobian.shape[1]):
                item = QTableWidgetItem(np.format_float_positional(jacobian[row, column], precision=4,
                                                                   trim="-"))
                self.table.setItem(row, column, item)
        if leaf.matches:
            verdict = trf("vᵀJ = {vjp} ✓ equals the gradient backward(v) accumulated into {leaf}.grad.",
                          vjp=value_text(leaf.vjp, 60), leaf=leaf.name)
        else:
            verdict = trf("vᵀJ = {vjp} ✗ differs from the gradient backward(v) accumulated into "
                          "{leaf}.grad.", vjp=value_text(leaf.vjp, 60), leaf=leaf.name)
        self.verdict.setText(verdict)

    def apply_v(self):
        """Write the edited v into the program (one undoable edit)."""
        if not self.applies or self.frame is None:
            return
        try:
            values = parse_numbers(self.v_edit.text())
        except ValueError:
            self.verdict.setText(tr("v must be numbers separated by commas."))
            return
        found = backward_vector(self.frame)
        if found is None or len(values) != np.asarray(found[1]).size:
            self.verdict.setText(trf("v needs {count} numbers.",
                                     count=np.asarray(found[1]).size if found else "?"))
            return
        if np.asarray(found[1]).ndim != 1:
            self.verdict.setText(tr("Only a one-dimensional v can be edited here."))
            return
        if len(self.frame.path) != 1:
            self.verdict.setText(tr("Only a backward(v) at the top level of the program can be edited "
                                    "here."))
            return
        edit = backward_vector_edit(self.document.program, self.frame.path[0], values)
        if edit is None:
            self.verdict.setText(tr("v is not written as torch.tensor([...]) in the program; edit it "
                                    "there."))
            return
        index, step = edit
        self.document.push(edit_command(self.document, location(None, 0, index), step))
