"""The backward animation as data: one frame per event the engine recorded.

A frame of the timeline that ran ``backward()`` carries the engine's events in
order (``explorer.program.timeline.BackwardEvent``). Each becomes an
``AnimationFrame`` saying which nodes the event is about, which edges the
gradient travels along, which values to show beside which nodes, and a caption.
Nothing is recomputed: every number comes from the recorded events.

Node ids are the snapshot's, shared by both graph views, so the same frames
highlight the Tensor–Function graph and the grad_fn graph.
"""
from __future__ import annotations

from dataclasses import dataclass

from explorer.graph.backward_captions import caption, position_text
from explorer.graph.build import ACCUMULATE_GRAD, preview_values
from explorer.program.timeline import Frame, Timeline

from .pipeline import ExportError


@dataclass(frozen=True)
class AnimationFrame:
    number: int          # from 1
    count: int
    kind: str            # the BackwardEvent kind
    current: tuple       # node ids the event is about
    visited: tuple       # node ids earlier events were about
    edges: tuple         # (tail, head) edges the gradient travels along in this event
    badges: tuple        # (node id, text) values shown beside nodes
    heading: str
    caption: str


def backward_frame(timeline: Timeline, chosen: Frame) -> Frame:
    """The frame that ran backward at or most recently before ``chosen``."""
    for frame in reversed(timeline.frames[: chosen.index + 1]):
        if frame.ran_backward:
            return frame
    raise ExportError(f"no backward() ran at or before frame {chosen.index + 1}: nothing to animate")


def animation_frames(frame: Frame, graph, language: str = "en") -> list[AnimationFrame]:
    """One ``AnimationFrame`` per event of ``frame``, for ``graph`` (either view)."""
    namer = _Namer(frame.snapshot)
    events = frame.events
    frames = []
    visited = []
    for number, event in enumerate(events, start=1):
        current, edges, badges = _focus(event, graph, namer)
        current = tuple(node for node in current if node in graph)
        frames.append(AnimationFrame(
            number=number, count=len(events), kind=event.kind, current=current,
            visited=tuple(node for node in visited if node not in current),
            edges=tuple(edges), badges=tuple((node, text) for node, text in badges if node in graph),
            heading=position_text(number, len(events), language),
            caption=caption(event, frame.snapshot, language)))
        visited.extend(node for node in current if node not in visited)
    return frames


# --------------------------------------------------------------------------- per event


def _focus(event, graph, namer):
    """(nodes, edges, badges) an event is about."""
    kind = event.kind
    if kind == "backward_started":
        nodes = []
        badges = []
        for root, seed in zip(event.roots, event.grads_in or (None,) * len(event.roots), strict=False):
            nodes.append(root)
            grad_fn = namer.grad_fn_of(root)
            if grad_fn:
                nodes.append(grad_fn)
            badges.append((root if root in graph else grad_fn, "grad " + value_text(seed)))
        return nodes, [], badges
    if kind == "node_evaluated":
        return [event.function], *_delivered(event, graph)
    if kind == "grad_summed":
        return [event.function], [], [(event.function, f"Σ {value_text(event.after)}")]
    if kind == "grad_accumulated":
        accumulate = namer.accumulate_of(event.tensor)
        nodes = [event.tensor] + ([accumulate] if accumulate else [])
        edges = [edge for edge in graph.edges if accumulate in edge and event.tensor in edge]
        holder = event.tensor if event.tensor in graph else accumulate
        return nodes, edges, [(holder, ".grad " + value_text(event.after))]
    if kind == "hook_fired":
        target = event.function or event.tensor
        return [target], [], []
    return [], [], []


def _delivered(event, graph):
    """Edges carrying a node's output gradients to its inputs, and those gradients as badges.

    Every graph edge into the node stands for one or more input slots (``slots``);
    the gradient for slot i is ``grads_out[i]``.
    """
    node = event.function
    badges = [(node, "grad " + " ".join(value_text(grad) for grad in event.grads_in))]
    if node not in graph:
        return [], badges
    edges = []
    for tail in graph.predecessors(node):
        slots = graph.edges[tail, node].get("slots", [0])
        grads = [event.grads_out[slot] for slot in slots
                 if slot < len(event.grads_out) and event.grads_out[slot] is not None]
        if not grads:
            continue
        edges.append((tail, node))
        # Through a tensor the gradient continues to the Function that produced it.
        edges.extend((producer, tail) for producer in graph.predecessors(tail)
                     if graph.edges[producer, tail].get("kind") == "output")
        badges.append((tail, "grad " + " + ".join(value_text(grad) for grad in grads)))
    return edges, badges


def value_text(value) -> str:
    return "None" if value is None else preview_values(value)


class _Namer:
    """Readable names for a snapshot's ids: variable names, PyTorch class names."""

    def __init__(self, snapshot):
        self.snapshot = snapshot
        self.names = {}
        for name, tensor_id in snapshot.variables.items():
            self.names.setdefault(tensor_id, name)

    def tensor(self, tensor_id) -> str:
        if tensor_id is None:
            return ""
        return self.names.get(tensor_id, tensor_id)

    def function(self, function_id) -> str:
        info = self.snapshot.functions.get(function_id)
        return info.name if info is not None else str(function_id)

    def grad_fn_of(self, tensor_id):
        info = self.snapshot.tensors.get(tensor_id)
        return info.grad_fn if info is not None else None

    def accumulate_of(self, tensor_id):
        for function in self.snapshot.functions.values():
            if function.name == ACCUMULATE_GRAD and function.variable == tensor_id:
                return function.id
        return None
