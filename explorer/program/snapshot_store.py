"""Histories of tensors and nodes over a run, and snapshots built from them on demand.

Recording every frame's whole graph would cost time and memory proportional
to the graph on every frame (a 1,000-op program would be quadratic). Instead
the store keeps, per tensor and per Function node, the list of infos it went
through (a new entry only when something changed), and per frame only the
variable bindings. ``LazySnapshot`` rebuilds a frame's ``Snapshot`` from these
histories the first time it is read: it walks the graph from the variables'
``grad_fn`` using each node's info as of that frame.

What is re-read after a frame (everything else is known not to have changed):
tensors bound to the names the step touched, tensors named by engine events
(in-place writes, ``.data`` writes, accumulation), new node outputs, nodes that
ran in backward (they free saved tensors), and after a backward every live
tensor (retained grads and hooks can reach any of them).
"""
import bisect
import weakref
from dataclasses import replace

from .collector import collections_paused
from .snapshot import FunctionInfo, SavedInfo, Snapshot, owns_tensors, short_text
from .tensor_state import TensorReader

MAX_SEQUENCE_NAMED = 64  # tensors inside a tuple/list variable get names like g[0]


class _History:
    """Infos of one object in frame order; ``at(frame)`` is the latest at or before it."""

    __slots__ = ("frames", "infos")

    def __init__(self, frame, info):
        self.frames = [frame]
        self.infos = [info]

    def add(self, frame, info):
        if info is self.infos[-1]:
            return
        if self.frames[-1] == frame:
            self.infos[-1] = info
        else:
            self.frames.append(frame)
            self.infos.append(info)

    def at(self, frame):
        position = bisect.bisect_right(self.frames, frame) - 1
        return self.infos[position] if position >= 0 else None

    @property
    def latest(self):
        return self.infos[-1]


MAX_HELD_TENSORS = 200  # tensors named through one variable (model.fc1.weight, ...)


class SnapshotStore:
    def __init__(self, ids, tensor_type):
        self.ids = ids
        self.tensor_type = tensor_type
        self.reader = TensorReader(ids)
        self.frame = 0
        self.tensors = {}        # tensor id -> _History of TensorInfo (names empty)
        self.functions = {}      # function id -> _History of FunctionInfo
        self.live = {}           # tensor id -> weak ref, while the tensor lives
        self.died = {}           # tensor id -> first frame at which it was gone
        self.nodes = {}          # function id -> weak ref to the node
        self.node_outputs = {}   # function id -> tuple of weak refs to output tensors
        self.previous_bindings = ({}, {}, {})
        self.held = {}           # variable name -> (its value, [(qualified name, tensor)])

    # ------------------------------------------------------------ tensors
    def tensor_id(self, tensor):
        tensor_id = self.ids.tensor(tensor)
        if tensor_id not in self.live and tensor_id not in self.died:
            self.live[tensor_id] = weakref.ref(tensor, self._forget(tensor_id))
        return tensor_id

    def _forget(self, tensor_id):
        def gone(ref):
            self.live.pop(tensor_id, None)
            self.died.setdefault(tensor_id, self.frame)
        return gone

    def record_tensor(self, tensor, storage_touched, grad_enabled):
        tensor_id = self.tensor_id(tensor)
        history = self.tensors.get(tensor_id)
        info = self.reader.read(tensor, storage_touched, grad_enabled,
                                history.latest if history else None)
        if history is None:
            self.tensors[tensor_id] = _History(self.frame, info)
        else:
            history.add(self.frame, info)
        return tensor_id

    def record_created_output(self, tensor):
        tensor_id = self.tensor_id(tensor)
        if tensor_id not in self.tensors:
            self.tensors[tensor_id] = _History(self.frame, self.reader.creation_info(tensor))
        return tensor_id

    # ---------------------------------------------------------- functions
    def record_node(self, node, outputs=None, scope=None, inputs=None):
        """Record (or re-record) a node's info; nodes it points at are recorded too.

        ``scope``: the calls the node is being made in (kept when it is re-recorded).
        ``inputs``: the tensors it was made from, one per slot (kept likewise).
        """
        function_id = self.ids.function(node)
        self.nodes[function_id] = weakref.ref(node)
        if outputs is not None:
            self.node_outputs[function_id] = tuple(weakref.ref(t) for t in outputs)
            for tensor in outputs:
                self.record_created_output(tensor)
        edges = []
        for next_node, input_nr in node.next_functions:
            if next_node is None:
                edges.append((None, input_nr))
                continue
            next_id = self.ids.function(next_node)
            if next_id not in self.functions:
                self.record_node(next_node)
            edges.append((next_id, input_nr))
        output_ids = tuple(self.ids.tensor(t) for t in
                           (ref() for ref in self.node_outputs.get(function_id, ()))
                           if t is not None)
        previous = self.functions.get(function_id)
        if not output_ids and previous is not None:
            output_ids = previous.latest.outputs  # outputs gone since: keep their ids
        variable = getattr(node, "variable", None) if type(node).__name__ == "AccumulateGrad" \
            else None
        variable_id = None
        if variable is not None:
            variable_id = self.tensor_id(variable)
            if variable_id not in self.tensors:
                self.record_tensor(variable, False, True)
        if scope is None:
            scope = previous.latest.scope if previous is not None else ()
        if inputs is not None:
            constant_inputs = self._constant_inputs(edges, inputs)
        else:
            constant_inputs = previous.latest.constant_inputs if previous is not None else ()
        info = FunctionInfo(
            id=function_id, name=type(node).__name__, next_functions=tuple(edges),
            saved=self._saved_infos(node, output_ids, previous), variable=variable_id,
            outputs=output_ids, scope=scope, constant_inputs=constant_inputs)
        if previous is None:
            self.functions[function_id] = _History(self.frame, info)
        elif info != previous.latest:
            previous.add(self.frame, info)
        return function_id

    def _constant_inputs(self, edges, inputs) -> tuple:
        """(tensor id, slot) of the tensors among ``inputs`` at slots with no edge."""
        found = ()
        for slot, (next_id, _input_nr) in enumerate(edges):
            if next_id is None and slot < len(inputs) and isinstance(inputs[slot], self.tensor_type):
                found += ((self.ids.tensor(inputs[slot]), slot),)
        return found

    def _saved_infos(self, node, output_ids, previous):
        saved_values = getattr(node, "_saved", ()) or ()
        names = getattr(type(node), "saved_fields", ()) or ()
        old = {s.name: s for s in previous.latest.saved} if previous is not None else {}
        infos = []
        for index, value in enumerate(saved_values):
            name = names[index] if index < len(names) else f"saved{index}"
            if type(value).__name__ == "SavedNumber":
                # A wrapped Python number (the 3 of ``y * 3``): show the number; it is freed
                # after backward like any saved tensor, and then keeps the text it had.
                freed = bool(value.is_freed)
                text = (old[name].value if name in old else None) if freed else short_text(value.data)
                infos.append(SavedInfo(name, value=text, freed=freed))
                continue
            if type(value).__name__ != "SavedTensor":
                infos.append(SavedInfo(name, value=short_text(value)))
                continue
            freed = bool(getattr(value, "is_freed", False))
            if value.tensor is not None:
                tensor_id = self.tensor_id(value.tensor)
                if tensor_id not in self.tensors:
                    self.record_tensor(value.tensor, False, True)
            elif freed:
                tensor_id = old[name].tensor if name in old else None  # the id it had
            else:
                tensor_id = output_ids[0] if output_ids else None  # a saved output
            infos.append(SavedInfo(name, tensor=tensor_id, freed=freed))
        return tuple(infos)

    def refresh_node(self, node):
        """Re-read a node that ran in backward or was retargeted by an in-place op."""
        self.record_node(node)

    # ------------------------------------------------------------- frames
    def end_frame(self, variables, touched_names, dirty, storage_touched, backward, grad_enabled):
        """Record what may have changed in this frame; return its LazySnapshot."""
        old_variables, old_elements, old_values = self.previous_bindings
        variable_ids, elements, values = {}, {}, {}
        holders = []
        module_touched = False
        for name, value in variables.items():
            if isinstance(value, self.tensor_type):
                variable_ids[name] = self.tensor_id(value)
                if name in touched_names or variable_ids[name] not in self.tensors:
                    dirty.append(value)
                continue
            values[name] = old_values[name] if name not in touched_names and name in old_values \
                else short_text(value)
            if isinstance(value, (tuple, list)) and len(value) <= MAX_SEQUENCE_NAMED:
                for index, item in enumerate(value):
                    if isinstance(item, self.tensor_type):
                        elements[f"{name}[{index}]"] = self.tensor_id(item)
                        if name in touched_names:
                            dirty.append(item)
            else:
                # A model's parameters (``model.fc1.weight``) and an object's tensors, listed
                # again when the name is touched.
                held = self.held.get(name)
                if held is None or held[0] is not value or name in touched_names:
                    held = self.held[name] = (value, self._held_tensors(name, value))
                for qualified, tensor in held[1]:
                    elements[qualified] = self.tensor_id(tensor)
                if held[1]:
                    holders.append(held[1])
                if name in touched_names and owns_tensors(value):
                    module_touched = True
        # An optimiser changes a model's tensors under another name, and ``zero_grad`` drops
        # their grads without an event: a frame that touched a Module or an optimiser reads
        # every held tensor again (cheap when unchanged: versions and identities compare).
        if module_touched:
            for held in holders:
                dirty.extend(tensor for _qualified, tensor in held)
        if backward:
            dirty.extend(ref() for ref in list(self.live.values()))
        for tensor in dirty:
            if tensor is not None:
                self.record_tensor(tensor, storage_touched, grad_enabled)
        # Share unchanged binding maps with the previous frame: most steps bind one name.
        if variable_ids == old_variables:
            variable_ids = old_variables
        if elements == old_elements:
            elements = old_elements
        if values == old_values:
            values = old_values
        self.previous_bindings = (variable_ids, elements, values)
        snapshot = LazySnapshot(self, self.frame, variable_ids, elements, values)
        self.frame += 1
        return snapshot

    def _held_tensors(self, name, value):
        """(qualified name, tensor) for the tensors a Module or a program's object holds."""
        found = []
        try:
            named = getattr(type(value), "named_parameters", None)
            if callable(named) and hasattr(value, "_parameters"):
                for qualified, tensor in value.named_parameters():
                    found.append((f"{name}.{qualified}", tensor))
                    if len(found) >= MAX_HELD_TENSORS:
                        break
                for qualified, tensor in value.named_buffers():
                    if isinstance(tensor, self.tensor_type) and len(found) < MAX_HELD_TENSORS:
                        found.append((f"{name}.{qualified}", tensor))
            elif type(value).__module__ == "__main__" and hasattr(value, "__dict__"):
                for attribute, item in list(vars(value).items())[:MAX_HELD_TENSORS]:
                    if isinstance(item, self.tensor_type) and not attribute.startswith("_"):
                        found.append((f"{name}.{attribute}", item))
        except Exception:  # a program's own class may define these oddly; names are a nicety
            return []
        return found

    # ------------------------------------------------------ materializing
    def tensor_at(self, tensor_id, frame):
        history = self.tensors.get(tensor_id)
        info = history.at(frame) if history is not None else None
        if info is None:
            return None
        died = self.died.get(tensor_id)
        if died is not None and died <= frame:
            info = replace(info, alive=False)
        return info

    def function_at(self, function_id, frame):
        history = self.functions.get(function_id)
        return history.at(frame) if history is not None else None

    def build(self, frame, variable_ids, elements, values):
        names = {}
        for name, tensor_id in variable_ids.items():
            names.setdefault(tensor_id, []).append(name)
        for name, tensor_id in elements.items():
            names.setdefault(tensor_id, []).append(name)
        tensors = {}
        for tensor_id in names:
            info = self.tensor_at(tensor_id, frame)
            if info is not None:
                tensors[tensor_id] = info
        functions = {}
        stack = [info.grad_fn for info in tensors.values() if info.grad_fn is not None]
        referenced = []
        while stack:
            function_id = stack.pop()
            if function_id in functions:
                continue
            info = self.function_at(function_id, frame)
            if info is None:
                continue
            functions[function_id] = info
            referenced.extend(info.outputs)
            referenced.extend(s.tensor for s in info.saved if s.tensor is not None)
            if info.variable is not None:
                referenced.append(info.variable)
            stack.extend(f for f, _ in info.next_functions if f is not None and f not in functions)
        for tensor_id in referenced:
            if tensor_id not in tensors:
                info = self.tensor_at(tensor_id, frame)
                if info is not None:
                    tensors[tensor_id] = info
        for tensor_id, tensor_names in names.items():
            if tensor_id in tensors:
                tensors[tensor_id] = replace(tensors[tensor_id], names=tuple(tensor_names))
        return Snapshot(tensors=tensors, functions=functions, variables=dict(variable_ids),
                        values=dict(values))


class LazySnapshot:
    """A frame's Snapshot, built from the store the first time any part of it is read."""

    __slots__ = ("_store", "_frame", "_variables", "_elements", "_values", "_built")

    def __init__(self, store, frame, variable_ids, elements, values):
        self._store = store
        self._frame = frame
        self._variables = variable_ids
        self._elements = elements
        self._values = values
        self._built = None

    def materialize(self):
        if self._built is None:
            with collections_paused():  # NOTE [collector pauses] in collector.py
                self._built = self._store.build(self._frame, self._variables, self._elements,
                                                self._values)
        return self._built

    @property
    def tensors(self):
        return self.materialize().tensors

    @property
    def functions(self):
        return self.materialize().functions

    @property
    def variables(self):
        return self._variables

    @property
    def values(self):
        return self._values

    def tensor(self, name):
        return self.materialize().tensor(name)

    def function_of(self, name):
        return self.materialize().function_of(name)

    def release(self):
        """Drop the built snapshot (it is rebuilt on the next read)."""
        self._built = None
