"""Snapshots: the live graph after one step, as plain read-only data.

A ``Snapshot`` holds:

- ``tensors``: ``{id: TensorInfo}`` for every tensor bound to a variable (or
  inside a tuple/list bound to one, named ``g[0]``), every leaf reached through
  an ``AccumulateGrad``, every tensor saved for backward, and the output of
  every Function node reachable from those tensors' ``grad_fn`` even when no
  variable holds it any more (then ``alive`` is False and the values are the
  ones it had when the node was created);
- ``functions``: ``{id: FunctionInfo}`` for every node reachable from them;
- ``variables``: ``{name: tensor id}``;
- ``values``: ``{name: short text}`` for variables that hold something else.

Ids are stable strings ("t1", "f3") given by the recorder, the same object
keeps its id across frames. Arrays are read-only copies, shared between
frames while unchanged, so a long timeline of small tensors stays small.
"""
from dataclasses import dataclass

from .sandbox.formatting import text_items


@dataclass(frozen=True, eq=False)
class TensorInfo:
    id: str
    names: tuple
    shape: tuple
    dtype: str
    values: object          # read-only numpy array
    grad: object            # read-only numpy array or None
    requires_grad: bool
    is_leaf: bool
    retains_grad: bool
    version: int
    origin: str             # "no_grad" | "detach" | "data" | None
    grad_fn: str            # function id or None
    output_nr: int
    alive: bool = True


@dataclass(frozen=True)
class SavedInfo:
    """One value a node saved for backward: a tensor (by id) or a short text."""

    name: str
    tensor: str = None
    value: str = None
    freed: bool = False


@dataclass(frozen=True)
class FunctionInfo:
    id: str
    name: str               # PyTorch's class name: "MulBackward0", "AccumulateGrad"
    next_functions: tuple   # ((function id or None, input_nr), ...)
    saved: tuple            # SavedInfo, in the node's saved_fields order
    variable: str = None    # the leaf's tensor id, for AccumulateGrad
    outputs: tuple = ()     # the output tensors' ids, when known
    scope: tuple = ()       # the calls it was made in ("model", "model.fc1"), outermost first
    # (tensor id, slot) of each input that needs no grad: next_functions holds None there,
    # so only these say which tensor the node read at that slot.
    constant_inputs: tuple = ()

    @property
    def output(self):
        """The (first) output tensor's id, or None."""
        return self.outputs[0] if self.outputs else None


@dataclass(frozen=True)
class Snapshot:
    tensors: dict
    functions: dict
    variables: dict
    values: dict

    def tensor(self, name):
        """The TensorInfo bound to variable ``name``."""
        return self.tensors[self.variables[name]]

    def function_of(self, name):
        """The FunctionInfo of the grad_fn of variable ``name`` (or None)."""
        info = self.tensor(name)
        return None if info.grad_fn is None else self.functions[info.grad_fn]


def owns_tensors(value):
    """A Module or an optimiser: a holder of tensors that other names see too."""
    return hasattr(type(value), "named_parameters") or (
        hasattr(type(value), "zero_grad") and hasattr(value, "param_groups"))


SHORT_TEXT_ITEMS = 1000  # nested items a variable's one-line description may show


def short_text(value, limit=80):
    """A one-line description of a non-tensor value, cheap even for long lists."""
    if owns_tensors(value):
        # A Module's or an optimiser's repr runs to many lines, and a name says enough.
        return f"<{type(value).__name__}>"
    if isinstance(value, str):
        text = repr(value[:limit])
    elif isinstance(value, (list, tuple, dict, set)) and (
            len(value) > 50 or text_items(value, SHORT_TEXT_ITEMS) > SHORT_TEXT_ITEMS):
        # Its text would be long (perhaps very: 50 lists of a million items): a count says enough.
        text = f"<{type(value).__name__} of {len(value)} items>"
    else:
        try:
            text = repr(value)
        except Exception as error:  # a program's own __repr__ may fail; the run goes on
            text = f"<{type(value).__name__} object (repr failed: {type(error).__name__})>"
    text = text.replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 3] + "..."
