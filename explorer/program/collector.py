"""Holding off Python's cyclic garbage collector while a big piece of work is made.

NOTE [collector pauses]: running a long program, building its graph, laying it
out and drawing it each create hundreds of thousands of objects that all
survive, which is exactly what sets off the collector's full collections. Each
full collection walks every object alive, so the more the work has made, the
longer each one takes: 20-35 ms each for a 5,000-node graph, and a 20,000-op
run spent 1.27 s in them, turning its cost per op super-linear. So while such
work is in progress the collector waits, and it resumes when the last piece
of work ends. Nothing is lost meanwhile: objects are still freed by their
reference counts, and cycles are collected once the collector runs again.

Pauses nest and may overlap across threads (a run on a worker while the window
draws): the collector resumes when the last one ends, and only if it was on
when the first one began.
"""
import contextlib
import gc
import threading

_lock = threading.Lock()
_holders = 0
_resume = False


def hold():
    """Pause automatic collections until every ``hold`` has its ``release``."""
    global _holders, _resume
    with _lock:
        if _holders == 0:
            _resume = gc.isenabled()
            gc.disable()
        _holders += 1


def release():
    global _holders
    with _lock:
        _holders -= 1
        if _holders == 0 and _resume:
            gc.enable()


@contextlib.contextmanager
def collections_paused():
    """No automatic collection inside the ``with`` block (see NOTE [collector pauses])."""
    hold()
    try:
        yield
    finally:
        release()
