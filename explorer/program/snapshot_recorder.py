"""Recording a run on the engine: ids, backward events and snapshots.

``EngineRecorder`` listens to ``engine.observe`` for the whole run (only to
events from the run's own thread). It names every node and output tensor when
the node is created, keeps each output's values from that moment (so a
result no variable holds any more can still be drawn), turns backward events
into ``BackwardEvent`` records with array copies, and builds a ``Snapshot``
after each frame (``snapshot_store.py``).
"""
import threading

from .identity import IdAssigner
from .snapshot_store import SnapshotStore
from .tensor_state import host_copy
from .timeline import BackwardEvent

CATCH_UP_SEQUENCE = 50  # list items whose graphs a catch-up looks through

# How a backward's root that no variable holds is named on its frame's graph.
ROOT_NAME = "(backward root)"


class EngineRecorder:
    def __init__(self, torch_module):
        self.torch = torch_module
        self.observe = torch_module.observe
        self.tensor_type = torch_module.Tensor
        self.ids = IdAssigner()
        self.store = SnapshotStore(self.ids, self.tensor_type)
        self.events = []
        self.thread = None
        # The calls now running (set by the runner): nodes remember where they were made.
        self.scope_provider = tuple
        self.paused = False      # the middle of a long loop runs unrecorded
        self.catch_up = False
        self._reset_frame_state()

    def _reset_frame_state(self):
        self.storage_touched = False
        self.backward = False
        self.dirty = []          # tensors that may have changed in this frame
        self.evaluated = []      # nodes that ran in backward in this frame
        self.roots = []          # the tensors a backward of this frame started from

    # ------------------------------------------------------------- run
    def __enter__(self):
        self.thread = threading.get_ident()
        self.observe.add_listener(self)
        return self

    def __exit__(self, *exc):
        self.observe.remove_listener(self)
        return False

    def begin_frame(self):
        self.events = []
        self._reset_frame_state()

    def take_events(self):
        events = tuple(self.events)
        self.events = []
        return events

    def snapshot(self, variables, touched_names=()):
        if self.catch_up:
            self._catch_up(variables)
            touched_names = tuple(variables)
        for node in self.evaluated:
            self.store.refresh_node(node)  # it may have freed its saved tensors
        unnamed = [root for root in self.roots
                   if not any(value is root for value in variables.values())]
        if unnamed:
            # ``x.sum().backward()``: the root is no variable, yet the pass starts there.
            variables = dict(variables)
            for number, root in enumerate(unnamed):
                variables[ROOT_NAME if number == 0 else f"{ROOT_NAME} {number + 1}"] = root
        snapshot = self.store.end_frame(
            variables, frozenset(touched_names), self.dirty, self.storage_touched, self.backward,
            bool(self.torch.is_grad_enabled()))
        self._reset_frame_state()
        return snapshot

    def _mine(self):
        return not self.paused and threading.get_ident() == self.thread

    # ------------------------------------------------------------ sampling
    def pause(self):
        """Record nothing until ``resume`` (the middle iterations of a long loop)."""
        self.paused = True

    def resume(self):
        """Record again; the next snapshot first catches up on what happened meanwhile."""
        if self.paused:
            self.paused = False
            self.catch_up = True

    def _catch_up(self, variables):
        """Nodes made and tensors changed while paused: learn them from the variables."""
        self.catch_up = False
        self.storage_touched = True
        self.backward = True  # read every live tensor again: any may have changed
        stack = []
        for value in variables.values():
            if isinstance(value, self.tensor_type):
                stack.append(value)
            elif isinstance(value, (list, tuple)) and len(value) <= CATCH_UP_SEQUENCE:
                stack.extend(item for item in value if isinstance(item, self.tensor_type))
        for tensor in stack:
            node = tensor._grad_fn
            if node is not None and self.ids.function(node) not in self.store.functions:
                self.store.record_node(node)

    # ----------------------------------------------------- conversions
    def _tensor_id(self, value):
        return self.ids.tensor(value) if isinstance(value, self.tensor_type) else None

    def _array(self, value):
        if isinstance(value, self.tensor_type):
            return host_copy(value._data)
        return None

    def _arrays(self, values):
        if values is None:
            return ()
        if isinstance(values, self.tensor_type):
            return (self._array(values),)
        return tuple(self._array(v) for v in values)

    def _target_ids(self, target):
        """(function id, tensor id) of a hook's target: a node or a leaf tensor."""
        if isinstance(target, self.tensor_type):
            return None, self.ids.tensor(target)
        return self.ids.function(target), None

    # -------------------------------------------- graph-building events
    def node_created(self, node, inputs, outputs):
        if not self._mine():
            return
        self.store.record_node(node, tuple(outputs), scope=self.scope_provider(), inputs=inputs)

    def inplace(self, node, target):
        """An in-place op wrote ``target`` (and made it the output of ``node``)."""
        if not self._mine():
            return
        self._touched(target)
        if node is not None:
            self.store.record_node(node, (target,))

    def version_bumped(self, tensor, version):
        if self._mine():
            self._touched(tensor)

    def data_written(self, tensor):
        if self._mine():
            self._touched(tensor)

    def _touched(self, tensor):
        """``tensor``'s storage changed; so did the tensor it is the ``.data`` of."""
        self.storage_touched = True
        self.dirty.append(tensor)
        extra = tensor._extra
        owner = extra.get("data_of") if extra else None
        owner = owner() if owner is not None else None
        if owner is not None:
            self.dirty.append(owner)

    # ------------------------------------------------- backward events
    def backward_started(self, roots, grad_roots):
        if not self._mine():
            return
        self.storage_touched = True
        self.backward = True
        self.roots.extend(root for root in roots if not any(root is v for v in self.roots))
        self.events.append(BackwardEvent(
            "backward_started", roots=tuple(self._tensor_id(r) for r in roots),
            grads_in=self._arrays(grad_roots)))

    def grad_summed(self, node, input_nr, before, added, after):
        if not self._mine():
            return
        self.events.append(BackwardEvent(
            "grad_summed", function=self.ids.function(node), input_nr=input_nr,
            before=self._array(before), added=self._array(added), after=self._array(after)))

    def node_evaluated(self, node, grads_in, grads_out):
        if not self._mine():
            return
        self.evaluated.append(node)
        self.events.append(BackwardEvent(
            "node_evaluated", function=self.ids.function(node),
            grads_in=self._arrays(grads_in), grads_out=self._arrays(grads_out)))

    def grad_accumulated(self, tensor, before, after):
        if not self._mine():
            return
        self.storage_touched = True
        self.dirty.append(tensor)
        self.events.append(BackwardEvent(
            "grad_accumulated", tensor=self.ids.tensor(tensor), before=self._array(before),
            after=self._array(after)))

    def hook_fired(self, kind, target, grad_in, grad_out):
        if not self._mine():
            return
        function, tensor = self._target_ids(target)
        self.events.append(BackwardEvent(
            "hook_fired", hook=kind, function=function, tensor=tensor,
            grads_in=self._arrays(grad_in), grads_out=self._arrays(grad_out)))

    def backward_finished(self, roots):
        if not self._mine():
            return
        self.events.append(BackwardEvent(
            "backward_finished", roots=tuple(self._tensor_id(r) for r in roots)))
