"""A frame's snapshot as a ``networkx.DiGraph``: the two views the explorer draws.

Both builders read a snapshot with ``tensors`` {id: TensorInfo}, ``functions``
{id: FunctionInfo} and ``variables`` {name: tensor id} (see ``explorer.program``)
and return a graph whose node ids are the snapshot's own stable ids ("t3", "f7"),
so a node keeps its identity, and its place in the layout, from frame to frame.

Node attributes (every node): ``kind`` ("tensor" or "function"), ``role`` (how it
is drawn, see ``TENSOR_ROLES`` / ``FUNCTION_ROLES``), ``label``, ``detail`` (second
line: shape and dtype, or the saved-tensor state), ``order`` (creation order, for
deterministic layouts) and ``tooltip``. Function nodes carry ``scope``, the calls
they were made in; the graph's ``groups`` attribute lists the boxes those calls
make (``explorer.graph.groups``). Tensor nodes also carry ``shape``,
``dtype``, ``preview`` (a short text of the values), ``grad_preview``, ``names``
and the autograd flags.

Edge attributes: ``kind`` (see ``EDGE_KINDS``) and ``slots``, the input positions
of the consuming Function the edge stands for. ``y * y`` feeds the same tensor
into both inputs of one MulBackward0: a DiGraph keeps one edge, so ``slots`` is
``[0, 1]`` and the drawing can say so instead of silently losing an input.
"""
from __future__ import annotations

import re

import networkx as nx
import numpy as np

from explorer.graph.groups import find_groups, module_classes
from explorer.program.collector import collections_paused

TENSOR = "tensor"
FUNCTION = "function"

TENSOR_ROLES = ("leaf", "nonleaf", "constant", "no_grad", "detach", "data", "root")
FUNCTION_ROLES = ("function", "accumulate")
EDGE_KINDS = (
    "input",        # tensor -> the Function that consumed it
    "output",       # Function -> the tensor it produced
    "flow",         # Function -> Function when the tensor between them is not held by any name
    "accumulate",   # leaf tensor -> its AccumulateGrad
    "constant",     # tensor that needs no grad -> the Function that read it (no gradient flows back)
    "next",         # grad_fn view: next_functions[i] -> the Function that lists it
    "variable",     # grad_fn view: leaf box -> AccumulateGrad
    "result",       # grad_fn view: root Function -> the output box
)

ACCUMULATE_GRAD = "AccumulateGrad"
PREVIEW_CHARACTERS = 28


# --------------------------------------------------------------------------- public builders


def tensor_function_graph(snapshot) -> nx.DiGraph:
    """Tensors and the Functions between them, edges in data-flow direction."""
    graph = nx.DiGraph(view="tensor_function")
    tensors = snapshot.tensors
    functions = snapshot.functions
    names = _names_by_tensor(snapshot)

    for tensor in tensors.values():
        graph.add_node(tensor.id, **_tensor_attributes(tensor, names.get(tensor.id, ())))
    for function in functions.values():
        graph.add_node(function.id, **_function_attributes(function))

    producers = _tensors_by_producer(tensors)
    for function in functions.values():
        for slot, (next_id, output_nr) in enumerate(function.next_functions):
            if next_id is None or next_id not in functions:
                continue
            source = _tensor_behind(functions[next_id], output_nr, producers, tensors)
            if source is None:
                _add_edge(graph, next_id, function.id, "flow", slot)
            else:
                _add_edge(graph, source, function.id, "input", slot)
        for tensor_id, slot in getattr(function, "constant_inputs", ()):
            if tensor_id in tensors:
                _add_edge(graph, tensor_id, function.id, "constant", slot)
        if function.name == ACCUMULATE_GRAD and getattr(function, "variable", None) in tensors:
            _add_edge(graph, function.variable, function.id, "accumulate", 0)

    for tensor in tensors.values():
        if tensor.grad_fn is not None and tensor.grad_fn in functions:
            _add_edge(graph, tensor.grad_fn, tensor.id, "output", tensor.output_nr or 0)
    return _with_groups(graph, snapshot)


def grad_fn_graph(snapshot) -> nx.DiGraph:
    """PyTorch's own graph, drawn the way torchviz draws it.

    Function nodes joined along ``next_functions`` (edges point from the listed
    function to the one that lists it, as torchviz draws them), each
    AccumulateGrad fed by a box for its leaf variable, and a box for every
    named result whose grad_fn nothing else consumes.
    """
    graph = nx.DiGraph(view="grad_fn")
    tensors = snapshot.tensors
    functions = snapshot.functions
    names = _names_by_tensor(snapshot)

    for function in functions.values():
        graph.add_node(function.id, **_function_attributes(function))
    consumed = set()
    for function in functions.values():
        for slot, (next_id, _output_nr) in enumerate(function.next_functions):
            if next_id is not None and next_id in functions:
                consumed.add(next_id)
                _add_edge(graph, next_id, function.id, "next", slot)

    for function in functions.values():
        variable = getattr(function, "variable", None)
        if function.name == ACCUMULATE_GRAD and variable in tensors:
            attributes = _tensor_attributes(tensors[variable], names.get(variable, ()))
            attributes["role"] = "leaf"
            graph.add_node(variable, **attributes)
            _add_edge(graph, variable, function.id, "variable", 0)

    for tensor in tensors.values():
        is_root = (tensor.grad_fn in functions and tensor.grad_fn not in consumed
                   and tensor.id in names and tensor.id not in graph)
        if is_root:
            attributes = _tensor_attributes(tensor, names[tensor.id])
            attributes["role"] = "root"
            graph.add_node(tensor.id, **attributes)
            _add_edge(graph, tensor.grad_fn, tensor.id, "result", 0)
    return _with_groups(graph, snapshot)


VIEWS = {"tensor_function": tensor_function_graph, "grad_fn": grad_fn_graph}


def build_graph(snapshot, view: str = "tensor_function") -> nx.DiGraph:
    """The graph of ``snapshot`` in the named view ("tensor_function" or "grad_fn").

    The cyclic garbage collector waits while it is built: every node and edge made
    survives, which is what sets off full collections (NOTE [collector pauses] in
    ``explorer.program.collector``).
    """
    with collections_paused():
        return VIEWS[view](snapshot)


def empty_graph(view: str = "tensor_function") -> nx.DiGraph:
    return nx.DiGraph(view=view)


# --------------------------------------------------------------------------- values as text


def preview_values(values, limit: int = PREVIEW_CHARACTERS) -> str:
    """A one-line text of ``values`` cut to ``limit`` characters, e.g. "[[1., 1.], [1., 1.]]"."""
    if values is None:
        return ""
    array = np.asarray(values)
    if array.size == 0:
        return "[]"
    # A handful of numbers is all a node has room for; summarise the rest.
    text = np.array2string(array, precision=4, separator=", ", threshold=8, edgeitems=2,
                           max_line_width=10_000)
    text = re.sub(r"\s+", " ", text)
    if len(text) > limit:
        text = _cut_between_numbers(text, limit)
    return text


def _cut_between_numbers(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters after a whole number ("[0.1234, …"), never inside
    one, where "0.12…" would read as another value."""
    ending = ", …"
    cut = text.rfind(", ", 0, limit - len(ending) + 1)
    while text[:cut].endswith("..."):  # numpy's own summary mark: one ellipsis is enough
        cut = text.rfind(", ", 0, cut)
    if cut > 0:
        return text[:cut] + ending
    return text[: limit - 1] + "…"   # a single number longer than the limit


def shape_text(shape) -> str:
    return "(" + ", ".join(str(size) for size in shape) + ")"


def dtype_text(dtype) -> str:
    text = str(dtype)
    return text if text.startswith("torch.") else "torch." + text


# --------------------------------------------------------------------------- internals


def order_key(node_id: str):
    """Creation order from ids like "t12" (digits compared as numbers, not text)."""
    match = re.match(r"^(\D*)(\d+)$", str(node_id))
    if match:
        return (match.group(1), int(match.group(2)))
    return (str(node_id), 0)


def _with_groups(graph, snapshot):
    """``graph`` with its ``groups``: the calls (functions, Modules) its nodes were made in."""
    graph.graph["groups"] = find_groups(graph, module_classes(getattr(snapshot, "values", None)))
    return graph


def _names_by_tensor(snapshot):
    names = {}
    for name, tensor_id in snapshot.variables.items():
        names.setdefault(tensor_id, []).append(name)
    return {tensor_id: tuple(found) for tensor_id, found in names.items()}


def _tensors_by_producer(tensors):
    producers = {}
    for tensor in tensors.values():
        if tensor.grad_fn is not None:
            producers.setdefault((tensor.grad_fn, tensor.output_nr or 0), []).append(tensor.id)
    return producers


def _tensor_behind(function, output_nr, producers, tensors):
    """The tensor whose gradient flows into ``function`` at ``output_nr``, if one is known."""
    if function.name == ACCUMULATE_GRAD:
        variable = getattr(function, "variable", None)
        return variable if variable in tensors else None
    found = producers.get((function.id, output_nr or 0))
    return found[0] if found else None


def _add_edge(graph, source, target, kind, slot):
    if graph.has_edge(source, target):
        graph.edges[source, target]["slots"].append(slot)
    else:
        graph.add_edge(source, target, kind=kind, slots=[slot])


def tensor_role(tensor) -> str:
    origin = getattr(tensor, "origin", None)
    if origin in ("no_grad", "detach", "data") and not tensor.requires_grad:
        return origin
    if not tensor.requires_grad:
        return "constant"
    return "leaf" if tensor.is_leaf else "nonleaf"


def _tensor_attributes(tensor, names):
    # No variable holds a Module's parameter: it goes by its qualified name ("model.fc1.weight").
    names = names or tuple(getattr(tensor, "names", ()) or ())
    shape = tuple(tensor.shape)
    preview = preview_values(tensor.values)
    grad_preview = preview_values(tensor.grad) if tensor.grad is not None else ""
    label = ", ".join(names) if names else ""
    role = tensor_role(tensor)
    detail = f"{shape_text(shape)} {dtype_text(tensor.dtype).removeprefix('torch.')}"
    tooltip_lines = [
        f"{label or 'tensor'} ({tensor.id})",
        f"shape {shape_text(shape)}, dtype {dtype_text(tensor.dtype)}",
        f"requires_grad={tensor.requires_grad}, is_leaf={tensor.is_leaf}",
        f"_version={tensor.version}",
        f"value {preview}",
    ]
    if grad_preview:
        tooltip_lines.append(f"grad {grad_preview}")
    if getattr(tensor, "origin", None):
        tooltip_lines.append(f"made by {tensor.origin}")
    alive = getattr(tensor, "alive", True)
    if not alive:
        tooltip_lines.append("no variable holds it any more; its Function still does")
    return {
        "kind": TENSOR, "role": role, "label": label, "detail": detail,
        "order": order_key(tensor.id), "names": tuple(names), "shape": shape,
        "dtype": dtype_text(tensor.dtype), "preview": preview, "grad_preview": grad_preview,
        "requires_grad": bool(tensor.requires_grad), "is_leaf": bool(tensor.is_leaf),
        "retains_grad": bool(getattr(tensor, "retains_grad", False)),
        "version": tensor.version, "origin": getattr(tensor, "origin", None), "alive": alive,
        "tooltip": "\n".join(tooltip_lines),
    }


def saved_entries(function):
    """``(name, tensor id or value text, freed)`` for each value ``function`` saved for backward.

    Accepts the program package's ``SavedInfo`` records and plain tuples alike.
    """
    entries = []
    for entry in tuple(getattr(function, "saved", ()) or ()):
        if isinstance(entry, tuple):
            name, value = entry[0], entry[1]
            freed = bool(entry[2]) if len(entry) > 2 else False
        else:
            name = entry.name
            value = entry.tensor if entry.tensor is not None else entry.value
            freed = bool(entry.freed)
        entries.append((name, value, freed))
    return entries


def _function_attributes(function):
    saved = saved_entries(function)
    freed = any(entry[2] for entry in saved)
    role = "accumulate" if function.name == ACCUMULATE_GRAD else "function"
    if saved:
        detail = "saved: freed" if freed else f"saved: {len(saved)}"
    else:
        detail = ""
    tooltip_lines = [f"{function.name} ({function.id})"]
    for next_id, output_nr in function.next_functions:
        tooltip_lines.append(f"next: ({next_id}, {output_nr})")
    for name, value, entry_freed in saved:
        tooltip_lines.append(f"_saved_{name}: {'freed' if entry_freed else value}")
    scope = tuple(getattr(function, "scope", ()) or ())
    if scope:
        tooltip_lines.append("made in " + " › ".join(scope))
    return {
        "kind": FUNCTION, "role": role, "label": function.name, "detail": detail,
        "order": order_key(function.id), "freed": freed, "saved_count": len(saved),
        "scope": scope,
        "tooltip": "\n".join(tooltip_lines),
    }

