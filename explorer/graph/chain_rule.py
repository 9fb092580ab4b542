"""The chain rule written on the edges: each input's local derivative, numbers plugged in.

For an edge into Function ``F`` at input slot ``s`` the label reads, e.g.::

    ∂z/∂y = 2·y = 2        (F's formula for that input, then its value)
    grad × 2               (what backward does with the incoming gradient)

The formula is the engine node's own local derivative (``formulas.derivative_of``):
its gradient with ``grad`` set to 1, for Functions whose derivative is elementwise.
The numbers are the values the Function saved for backward, as the frame's
snapshot holds them (a saved tensor's values, or a saved number such as the
exponent), plugged into the same formula. No Qt here; ``edge_gradients`` in
``backward_state`` gives the flowing values.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .backward_state import value_text
from .build import saved_entries
from .formulas import derivative_of


class _Saved:
    """A Function's saved values, by field name: what the label shows for each (a tensor's
    name or a number) and the numbers the local derivative is evaluated on."""

    def __init__(self, function, snapshot, fallback_names):
        self.shown = dict(fallback_names)
        self.values = {}
        tensors = snapshot.tensors
        for name, value, _freed in saved_entries(function):
            if value in tensors:
                info = tensors[value]
                self.values[name] = np.asarray(info.values, dtype=float)
                if info.names:
                    self.shown[name] = info.names[0]
            elif value is not None:
                number = _number_or_none(value)
                if number is not None:
                    self.values[name] = self.shown[name] = number


def _number_or_none(text):
    try:
        number = float(text)
    except (TypeError, ValueError):
        return None
    return int(number) if number.is_integer() else number


@dataclass(frozen=True)
class ChainRuleLabel:
    derivative: str     # "∂z/∂y = 2·y = 2"
    product: str        # "grad × 2", or with the recorded numbers "0.25 × 3 = 0.75"


def local_derivative(function, slot: int, snapshot, input_name: str = "", output_name: str = ""):
    """``(formula text, value or None)`` of d output / d input ``slot`` of ``function``, or None
    when its derivative is not elementwise (or the engine has no node of that name)."""
    derivative = derivative_of(function.name)
    if derivative is None or slot >= len(derivative.inputs) or derivative.locals[slot] is None:
        return None
    input_field = derivative.inputs[slot]
    saved = _Saved(function, snapshot, {input_field: input_name or input_field})
    value = derivative.local_value(slot, saved.values)
    if value is not None:
        value = np.asarray(value, dtype=float)
    return derivative.local_text(slot, saved.shown), value


def chain_rule_labels(snapshot, graph, state=None) -> dict:
    """``{(tail, head): ChainRuleLabel}`` for every edge into a Function the table knows.

    With a ``VisualState``, products show the recorded incoming gradient and result.
    """
    labels = {}
    functions = snapshot.functions
    for tail, head, attributes in graph.edges(data=True):
        if attributes.get("kind") not in ("input", "flow", "next") or head not in functions:
            continue
        function = functions[head]
        slot = attributes.get("slots", [0])[0]
        input_name = _node_name(graph, tail) or "in"
        output_name = _output_name(function, snapshot) or "out"
        found = local_derivative(function, slot, snapshot, input_name, output_name)
        if found is None:
            continue
        formula, value = found
        derivative = f"∂{output_name}/∂{input_name} = {formula}"
        local = value_text(value) if value is not None else formula
        if value is not None and value_text(value) != formula:
            derivative += f" = {local}"
        product = f"grad × {local}"
        if state is not None and head in state.received and (head, slot) in state.flows:
            incoming = state.received[head][0] if state.received[head] else None
            product = f"{value_text(incoming)} × {local} = {value_text(state.flows[(head, slot)])}"
        labels[(tail, head)] = ChainRuleLabel(derivative, product)
    return labels


def _node_name(graph, node) -> str:
    attributes = graph.nodes[node]
    if attributes.get("kind") == "tensor":
        return attributes.get("label", "")
    return ""


def _output_name(function, snapshot) -> str:
    for tensor_id in getattr(function, "outputs", ()) or ():
        info = snapshot.tensors.get(tensor_id)
        if info is not None and info.names:
            return info.names[0]
    return ""
