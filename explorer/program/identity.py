"""Stable ids for live objects: "t1", "t2" for tensors, "f1" for Function nodes.

``weakref.WeakKeyDictionary`` cannot hold tensors: on a hash collision it
compares keys with ``==``, which for tensors is elementwise (PyTorch keeps a
``WeakIdKeyDictionary`` for the same reason). ``WeakIdMap`` keys entries by
object identity while the object lives and drops the entry from the weakref
callback when it dies, so an identity is never reused for a different object.
The strings it hands out are what the rest of the explorer sees.
"""
import itertools
import weakref


class WeakIdMap:
    """``{object: value}`` by identity, holding the objects weakly."""

    def __init__(self):
        self._entries = {}  # identity -> (weak reference, value)

    def get(self, obj, default=None):
        entry = self._entries.get(id(obj))
        if entry is None or entry[0]() is not obj:
            return default
        return entry[1]

    def __contains__(self, obj):
        entry = self._entries.get(id(obj))
        return entry is not None and entry[0]() is obj

    def __setitem__(self, obj, value):
        key = id(obj)
        entries = self._entries

        def forget(ref, key=key):
            entry = entries.get(key)
            if entry is not None and entry[0] is ref:
                del entries[key]

        entries[key] = (weakref.ref(obj, forget), value)

    def __len__(self):
        return len(self._entries)


class IdAssigner:
    """Hands out "t<n>" / "f<n>" ids in the order objects are first seen."""

    def __init__(self):
        self._tensor_ids = WeakIdMap()
        self._function_ids = WeakIdMap()
        self._tensor_count = itertools.count(1)
        self._function_count = itertools.count(1)

    def tensor(self, tensor):
        known = self._tensor_ids.get(tensor)
        if known is None:
            known = f"t{next(self._tensor_count)}"
            self._tensor_ids[tensor] = known
        return known

    def function(self, node):
        known = self._function_ids.get(node)
        if known is None:
            known = f"f{next(self._function_count)}"
            self._function_ids[node] = known
        return known
