"""The graph's life over the timeline, as plain data (no Qt).

- ``saved_states``: for each Function, the state of each tensor it saved for
  backward: ``alive``, ``freed`` (backward ran without ``retain_graph``),
  ``stale`` (its values changed but its ``_version`` did not: a ``.data`` edit,
  "changed behind autograd's back") or ``bumped`` (an in-place op raised its
  ``_version``: the next backward through this Function raises).
- ``error_anchor``: the node a step's error belongs to, e.g. the first Function
  that needed a freed or modified tensor.
- ``no_grad_scopes``: the tensors made inside each ``with torch.no_grad():`` run.

What a tensor looked like when it was saved is read from the frame that created
the Function (the first frame whose snapshot holds it).
"""
from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass

import numpy as np

from .build import order_key, saved_entries

ALIVE, FREED, STALE, BUMPED = "alive", "freed", "stale", "bumped"
MAX_LOOKBACK = 400   # frames searched backwards for where a Function was made

FREED_ERROR = "backward through the graph a second time"
VERSION_ERROR = "modified by an inplace operation"
LEAF_INPLACE_ERROR = "leaf Variable that requires grad is being used in an in-place operation"


@dataclass(frozen=True)
class SavedState:
    function: str
    name: str        # the saved field, "self", "other", "result"
    tensor: str      # the saved tensor's id
    state: str       # ALIVE, FREED, STALE or BUMPED
    saved_version: int | None = None
    version: int | None = None


def saved_states(frames, index: int) -> dict:
    """``{function id: (SavedState, ...)}`` for the Functions of frame ``index`` that saved tensors."""
    snapshot = frames[index].snapshot
    if snapshot is None:
        return {}
    def saved_tensors(function):
        return [(name, value, freed) for name, value, freed in saved_entries(function)
                if value in snapshot.tensors or (freed and isinstance(value, str) and value[:1] == "t")]

    with_tensors = [f for f in snapshot.functions.values() if saved_tensors(f)]
    created = _creation_snapshots(frames, index, [f.id for f in with_tensors])
    states = {}
    for function in with_tensors:
        at_creation = created.get(function.id)
        found = []
        for name, tensor_id, freed in saved_tensors(function):
            now = snapshot.tensors.get(tensor_id)
            then = at_creation.tensors.get(tensor_id) if at_creation is not None else None
            state = ALIVE
            if freed:
                state = FREED
            elif now is not None and then is not None:
                if now.version != then.version:
                    state = BUMPED
                elif not _same_values(now.values, then.values):
                    state = STALE
            found.append(SavedState(function.id, name, tensor_id, state,
                                    then.version if then is not None else None,
                                    now.version if now is not None else None))
        states[function.id] = tuple(found)
    return states


def _creation_snapshots(frames, index, function_ids):
    """``{function id: snapshot of the frame that made it}``, searching backwards from ``index``."""
    remaining = set(function_ids)
    created = {}
    later = frames[index].snapshot
    lowest = max(-1, index - MAX_LOOKBACK)
    for position in range(index - 1, lowest, -1):
        snapshot = frames[position].snapshot
        if snapshot is None or not remaining:
            break
        for function_id in list(remaining):
            if function_id not in snapshot.functions:
                created[function_id] = later
                remaining.discard(function_id)
        later = snapshot
    for function_id in remaining:
        created[function_id] = later
    return created


def _same_values(a, b) -> bool:
    a, b = np.asarray(a), np.asarray(b)
    return a.shape == b.shape and bool(np.array_equal(a, b, equal_nan=a.dtype.kind in "fc"))


# --------------------------------------------------------------------------- errors


def error_anchor(frames, index: int, source_line: str = ""):
    """The node id the error of frame ``index`` is drawn at, or None when none fits.

    Freed buffers and version errors belong to the first Function (from the
    root, in the order backward visits them) that needed the tensor and had not
    run yet; other errors to the first variable named on the step's line that
    the snapshot holds (a leaf requiring grad for the in-place error).
    """
    frame = frames[index]
    snapshot = frame.snapshot
    if getattr(frame, "error", None) is None or snapshot is None:
        return None
    message = frame.error.message
    if FREED_ERROR in message or VERSION_ERROR in message:
        wanted = FREED if FREED_ERROR in message else BUMPED
        states = saved_states(frames, index)
        ran = {event.function for event in frame.events if event.kind == "node_evaluated"}
        for function_id in _backward_order(snapshot, frame.events):
            if function_id in ran:
                continue
            if any(s.state == wanted for s in states.get(function_id, ())):
                return function_id
        if wanted == FREED:
            # A wrapped number (``x * 2``) is freed too; it is not a tensor but counts the same.
            for function_id in _backward_order(snapshot, frame.events):
                function = snapshot.functions.get(function_id)
                if function_id not in ran and function and any(e[2] for e in saved_entries(function)):
                    return function_id
    names = re.findall(r"[A-Za-z_]\w*", source_line or "")
    candidates = [snapshot.variables[name] for name in names if name in snapshot.variables]
    if LEAF_INPLACE_ERROR in message:
        for tensor_id in candidates:
            info = snapshot.tensors.get(tensor_id)
            if info is not None and info.is_leaf and info.requires_grad:
                return tensor_id
    return candidates[0] if candidates else None


def _backward_order(snapshot, events):
    """Function ids breadth-first from the roots' grad_fn along next_functions."""
    queue = deque()
    for event in events:
        if event.kind == "backward_started":
            for root in event.roots:
                info = snapshot.tensors.get(root)
                if info is not None and info.grad_fn is not None:
                    queue.append(info.grad_fn)
        elif event.kind == "node_evaluated" and event.function in snapshot.functions:
            queue.append(event.function)
    seen = []
    while queue:
        function_id = queue.popleft()
        if function_id in seen or function_id not in snapshot.functions:
            continue
        seen.append(function_id)
        queue.extend(next_id for next_id, _ in snapshot.functions[function_id].next_functions
                     if next_id is not None)
    # A root no variable holds (``z.sum().backward()``) is not in the snapshot: the rest
    # follow newest first, the order backward reaches Functions in a chain.
    rest = sorted((f for f in snapshot.functions if f not in seen), key=order_key, reverse=True)
    return seen + rest


# --------------------------------------------------------------------------- no_grad


@dataclass(frozen=True)
class NoGradScope:
    """Tensors made while grad mode was off, in one uninterrupted run of frames."""

    first_frame: int
    last_frame: int
    tensors: tuple


def no_grad_scopes(frames, index: int) -> list:
    """The no_grad scopes up to frame ``index`` whose tensors the frame still holds."""
    current = frames[index].snapshot
    if current is None:
        return []
    scopes = []
    run, made = None, []
    # The snapshot before this one: its tensors are read only inside a no_grad run
    # (reading every frame's made a 400-iteration loop's snapshots materialise on each redraw).
    before = None
    for position in range(index + 1):
        frame = frames[position]
        snapshot = frame.snapshot
        if snapshot is None:
            continue
        if not getattr(frame, "grad_enabled", True):
            if run is None:
                run = position
            previous = set(before.tensors) if before is not None else set()
            new = [t for t in snapshot.tensors if t not in previous and t not in made]
            made.extend(new)
        elif run is not None:
            scopes.append((run, position - 1, made))
            run, made = None, []
        before = snapshot
    if run is not None:
        scopes.append((run, index, made))
    result = []
    for first, last, tensors in scopes:
        kept = tuple(t for t in tensors if t in current.tensors and not current.tensors[t].requires_grad)
        if kept:
            result.append(NoGradScope(first, last, kept))
    return result
