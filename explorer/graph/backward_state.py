"""What a backward animation shows after its first k events, as plain data (no Qt).

``visual_state(events, k)`` folds the recorded ``BackwardEvent``s ``0 .. k-1``
into a ``VisualState``. Every number comes from the events: nothing is
recomputed. Because the state is derived from the prefix and never by undoing,
stepping back to k gives exactly what stepping forward to k gave.

Gradients travel along ``next_functions``: when Function ``f`` runs, its
``grads_out[slot]`` goes to ``f.next_functions[slot]``. ``VisualState.flows``
keys them by ``(f, slot)``; ``edge_gradients`` maps them onto the edges of
either graph view (an edge's ``slots`` name the input positions it stands for).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

BACKWARD_STARTED = "backward_started"
NODE_EVALUATED = "node_evaluated"
GRAD_SUMMED = "grad_summed"
GRAD_ACCUMULATED = "grad_accumulated"
HOOK_FIRED = "hook_fired"
BACKWARD_FINISHED = "backward_finished"


def _same_values(a, b) -> bool:
    """Whether two recorded gradients (arrays, or None) hold the same values.

    A dataclass's generated ``__eq__`` cannot compare arrays (``==`` gives an array, whose truth
    is ambiguous): Python 3.11's compared tuples of the fields and passed only where both sides
    held the very same arrays; 3.13's compares field by field and raises."""
    if a is b:
        return True
    if a is None or b is None:
        return False
    a, b = np.asarray(a), np.asarray(b)
    return a.dtype == b.dtype and np.array_equal(a, b, equal_nan=True)


@dataclass(frozen=True)
class GradSum:
    """Two gradients met at input ``input_nr`` of a Function and were added before it ran."""

    function: str
    input_nr: int
    before: object
    added: object
    after: object

    def __eq__(self, other):
        if other.__class__ is not self.__class__:
            return NotImplemented
        return (self.function == other.function and self.input_nr == other.input_nr
                and _same_values(self.before, other.before) and _same_values(self.added, other.added)
                and _same_values(self.after, other.after))


@dataclass(frozen=True)
class LeafChange:
    """A leaf's ``.grad`` before (None: it had none) and after an accumulation."""

    tensor: str
    before: object
    after: object

    def __eq__(self, other):
        if other.__class__ is not self.__class__:
            return NotImplemented
        return (self.tensor == other.tensor and _same_values(self.before, other.before)
                and _same_values(self.after, other.after))


@dataclass(frozen=True)
class VisualState:
    """The picture after ``index`` of ``total`` events.

    - ``current``: the event just applied (None at index 0);
    - ``lit``: node ids that event is about (the Function running, the leaf growing);
    - ``done``: Functions that have run, in order;
    - ``flows``: ``{(function id, slot): gradient}`` sent so far; ``fresh`` the keys
      sent by the current event (the ones travelling now);
    - ``sums``: every GradSum so far; ``summing`` the one of the current event;
    - ``leaves``: ``{tensor id: LeafChange}``, the latest change of each leaf;
    - ``seeds``: ``{root tensor id: gradient}`` backward started from;
    - ``received``: ``{function id: grads_in}`` of every Function that has run.
    """

    index: int
    total: int
    current: object = None
    lit: frozenset = frozenset()
    done: tuple = ()
    flows: dict = field(default_factory=dict)
    fresh: frozenset = frozenset()
    sums: tuple = ()
    summing: GradSum | None = None
    leaves: dict = field(default_factory=dict)
    seeds: dict = field(default_factory=dict)
    received: dict = field(default_factory=dict)
    hooks: tuple = ()
    finished: bool = False

    @property
    def started(self) -> bool:
        return self.index > 0


def ran_backward(frame) -> bool:
    """True for a frame whose step ran backward (its events start with backward_started)."""
    return any(event.kind == BACKWARD_STARTED for event in getattr(frame, "events", ()) or ())


def visual_state(events, k: int) -> VisualState:
    """The state after applying ``events[0:k]`` (``k`` is clamped to the valid range)."""
    events = tuple(events)
    k = max(0, min(int(k), len(events)))
    done, sums, hooks = [], [], []
    flows, leaves, seeds, received = {}, {}, {}, {}
    finished = False
    lit, fresh, summing = frozenset(), frozenset(), None
    for event in events[:k]:
        lit, fresh, summing = frozenset(), frozenset(), None
        kind = event.kind
        if kind == BACKWARD_STARTED:
            for root, seed in zip(event.roots, _padded(event.grads_in, len(event.roots))):
                if root is not None:
                    seeds[root] = seed
            lit = frozenset(root for root in event.roots if root is not None)
        elif kind == NODE_EVALUATED:
            done.append(event.function)
            received[event.function] = tuple(event.grads_in)
            sent = []
            for slot, grad in enumerate(event.grads_out):
                if grad is not None:
                    flows[(event.function, slot)] = grad
                    sent.append((event.function, slot))
            lit, fresh = frozenset({event.function}), frozenset(sent)
        elif kind == GRAD_SUMMED:
            summing = GradSum(event.function, event.input_nr, event.before, event.added, event.after)
            sums.append(summing)
            lit = frozenset({event.function})
        elif kind == GRAD_ACCUMULATED:
            leaves[event.tensor] = LeafChange(event.tensor, event.before, event.after)
            lit = frozenset({event.tensor})
        elif kind == HOOK_FIRED:
            hooks.append(event)
            lit = frozenset(x for x in (event.function, event.tensor) if x is not None)
        elif kind == BACKWARD_FINISHED:
            finished = True
    current = events[k - 1] if k else None
    return VisualState(index=k, total=len(events), current=current, lit=lit, done=tuple(done),
                       flows=flows, fresh=fresh, sums=tuple(sums), summing=summing, leaves=leaves,
                       seeds=seeds, received=received, hooks=tuple(hooks), finished=finished)


def _padded(values, count):
    values = tuple(values or ())
    return values + (None,) * (count - len(values))


# --------------------------------------------------------------------------- onto a graph


@dataclass(frozen=True)
class EdgeGradient:
    """The gradient(s) an edge of the drawing carries; ``fresh`` while it travels."""

    grads: tuple
    fresh: bool
    kind: str

    @property
    def total(self):
        """The gradients summed: what arrives at the edge's tail."""
        arrays = [np.asarray(grad) for grad in self.grads if grad is not None]
        if not arrays:
            return None
        total = arrays[0]
        for array in arrays[1:]:
            total = total + array
        return total


def edge_gradients(state: VisualState, graph) -> dict:
    """``{(tail, head): EdgeGradient}`` for the edges of ``graph`` that carry a gradient now.

    Edges standing for input slots (``input``, ``flow``, ``next``) carry the
    consuming Function's ``grads_out`` at those slots. An ``output`` edge
    (Function → the tensor it made) carries what reached that tensor from its own
    consumers; an ``accumulate``/``variable`` edge carries the leaf's new ``.grad``.
    """
    found = {}
    for tail, head, attributes in graph.edges(data=True):
        kind = attributes.get("kind")
        if kind in ("input", "flow", "next"):
            keys = [(head, slot) for slot in attributes.get("slots", [0]) if (head, slot) in state.flows]
            if keys:
                found[(tail, head)] = EdgeGradient(tuple(state.flows[key] for key in keys),
                                                   any(key in state.fresh for key in keys), kind)
        elif kind in ("accumulate", "variable") and tail in state.leaves:
            change = state.leaves[tail]
            found[(tail, head)] = EdgeGradient((change.after,), tail in state.lit, kind)
    for tail, head, attributes in graph.edges(data=True):
        if attributes.get("kind") != "output":
            continue
        arriving = [found[edge] for edge in graph.out_edges(head) if edge in found
                    and graph.edges[edge].get("kind") in ("input", "flow")]
        if arriving:
            grads = tuple(grad for edge in arriving for grad in edge.grads)
            found[(tail, head)] = EdgeGradient(grads, any(edge.fresh for edge in arriving), "output")
    return found


def value_text(value, limit: int = 18) -> str:
    """A gradient as a badge shows it: one number when all elements agree ("0.75")."""
    if value is None:
        return "None"
    array = np.asarray(value)
    if array.size and np.all(array == array.flat[0]):
        return _number(float(array.flat[0]))
    text = np.array2string(array, precision=3, separator=", ", threshold=6, edgeitems=2,
                           suppress_small=True, max_line_width=10_000).replace("\n", "")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def full_text(value) -> str:
    """Every element, for tooltips."""
    if value is None:
        return "None"
    return np.array2string(np.asarray(value), precision=6, separator=", ", threshold=10_000,
                           suppress_small=True, max_line_width=80)


def _number(number: float) -> str:
    if number == int(number) and abs(number) < 1e15:
        return str(int(number))
    return f"{number:.4g}"
