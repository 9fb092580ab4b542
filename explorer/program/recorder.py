"""Choose how a run is recorded: full snapshots on the engine, nothing elsewhere.

A recorder is a context manager (active for the whole run) with
``begin_frame()``, ``snapshot(variables)`` and ``take_events()``. Snapshots
need the engine's internals and its observation hooks, so with any other
module (real PyTorch as a test oracle) frames carry no snapshot.
"""


class NullRecorder:
    """Records nothing: frames get ``snapshot=None`` and no events."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def begin_frame(self):
        pass

    def snapshot(self, variables, touched_names=()):
        return None

    def take_events(self):
        return ()

    def pause(self):
        pass

    def resume(self):
        pass


def is_engine(torch_module):
    """True for our engine (it has the observation API that snapshots rely on)."""
    observe = getattr(torch_module, "observe", None)
    return getattr(observe, "add_listener", None) is not None and \
        getattr(torch_module, "__name__", "").split(".")[0] == "engine"


def make_recorder(torch_module, record=None):
    """A recorder for ``torch_module``; ``record`` None means "if it is the engine"."""
    if record is None:
        record = is_engine(torch_module)
    if not record:
        return NullRecorder()
    from .snapshot_recorder import EngineRecorder
    return EngineRecorder(torch_module)
