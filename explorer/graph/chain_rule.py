"""The chain rule written on the edges: each input's local derivative, numbers plugged in.

For an edge into Function ``F`` at input slot ``s`` the label reads, e.g.::

    ∂z/∂y = 2·y = 2        (F's formula for that input, then its value)
    grad × 2               (what backward does with the incoming gradient)

Formulas come from the table below, one row per Function name; the numbers
from the values the Function saved for backward, as the frame's snapshot
holds them (a saved tensor's values, or a saved number such as the exponent).
No Qt here; ``edge_gradients`` in ``backward_state`` gives the flowing values.

Table grammar: ``name -> (formula for input 0, formula for input 1, ...)``; a
formula is a function ``(saved) -> (text, value)`` where ``saved`` gives each
saved field's display name (``saved.name("self")``) and numeric value
(``saved.value("self")``). ``value`` is None when it cannot be computed.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .backward_state import value_text
from .build import saved_entries


class _Saved:
    """A Function's saved values, by field name: display names and numbers."""

    def __init__(self, function, snapshot, fallback_names):
        self.names = dict(fallback_names)
        self.values = {}
        tensors = snapshot.tensors
        for name, value, _freed in saved_entries(function):
            if value in tensors:
                info = tensors[value]
                self.values[name] = np.asarray(info.values, dtype=float)
                if info.names:
                    self.names[name] = info.names[0]
            elif value is not None:
                self.values[name] = _number_or_none(value)
                if self.values[name] is not None:
                    self.names[name] = value

    def name(self, field: str) -> str:
        return self.names.get(field, field)

    def value(self, field: str):
        return self.values.get(field)


def _number_or_none(text):
    try:
        return np.asarray(float(text))
    except (TypeError, ValueError):
        return None


def _apply(function, *arrays):
    if any(array is None for array in arrays):
        return None
    with np.errstate(all="ignore"):
        return function(*arrays)


def _constant(number):
    return lambda saved: (_number_text(number), np.asarray(float(number)))


def _number_text(number) -> str:
    return str(int(number)) if float(number) == int(number) else str(number)


def _pow(saved):
    exponent = saved.value("exponent")
    base = saved.name("self")
    if exponent is None:
        return (f"exponent·{base}^(exponent-1)", None)
    e = float(exponent)
    if e == 2:
        text = f"2·{base}"
    elif e == 1:
        text = "1"
    else:
        text = f"{_number_text(e)}·{base}^{_number_text(e - 1)}"
    return text, _apply(lambda x: e * x ** (e - 1), saved.value("self"))


def _field(field):
    return lambda saved: (saved.name(field), saved.value(field))


FORMULAS = {
    # ---- arithmetic
    "MulBackward0": (_field("other"), _field("self")),
    "DivBackward0": (
        lambda s: (f"1/{s.name('other')}", _apply(lambda b: 1 / b, s.value("other"))),
        lambda s: (f"-{s.name('self')}/{s.name('other')}²",
                   _apply(lambda a, b: -a / b ** 2, s.value("self"), s.value("other")))),
    "PowBackward0": (_pow,),
    "AddBackward0": (_constant(1), _constant(1)),
    "AddBackward1": (_constant(1),),
    "SubBackward0": (_constant(1), _constant(-1)),
    "SubBackward1": (_constant(1),),
    "RsubBackward1": (_constant(-1),),
    "NegBackward0": (_constant(-1),),
    # ---- pointwise
    "ExpBackward0": (lambda s: (f"exp({s.name('self')})", s.value("result")),),
    "LogBackward0": (lambda s: (f"1/{s.name('self')}", _apply(lambda x: 1 / x, s.value("self"))),),
    "SinBackward0": (lambda s: (f"cos({s.name('self')})", _apply(np.cos, s.value("self"))),),
    "CosBackward0": (lambda s: (f"-sin({s.name('self')})", _apply(lambda x: -np.sin(x), s.value("self"))),),
    "TanhBackward0": (lambda s: ("1 - tanh²", _apply(lambda r: 1 - r ** 2, s.value("result"))),),
    "SigmoidBackward0": (lambda s: ("σ·(1 - σ)", _apply(lambda r: r * (1 - r), s.value("result"))),),
    "ReluBackward0": (lambda s: ("[result > 0]", _apply(lambda r: (r > 0).astype(float),
                                                         s.value("result"))),),
    "SqrtBackward0": (lambda s: (f"1/(2√{s.name('self')})", _apply(lambda r: 1 / (2 * r),
                                                                      s.value("result"))),),
    # ---- reductions: every element gets the same share
    "SumBackward0": (_constant(1),),
    "MeanBackward0": (lambda s: (f"1/{s.name('self_sym_numel')}",
                                 _apply(lambda n: 1 / n, s.value("self_sym_numel"))),),
}


@dataclass(frozen=True)
class ChainRuleLabel:
    derivative: str     # "∂z/∂y = 2·y = 2"
    product: str        # "grad × 2", or with the recorded numbers "0.25 × 3 = 0.75"


def local_derivative(function, slot: int, snapshot, input_name: str = "", output_name: str = ""):
    """``(formula text, value or None)`` of d output / d input ``slot`` of ``function``, or None."""
    row = FORMULAS.get(function.name)
    if row is None or slot >= len(row):
        return None
    defaults = {"self": input_name or "self"} if slot == 0 else {"other": input_name or "other"}
    saved = _Saved(function, snapshot, defaults)
    return row[slot](saved)


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
