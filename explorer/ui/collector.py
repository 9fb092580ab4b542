"""Holding off Python's cyclic garbage collector while a big drawing is made.

A big drawing creates hundreds of thousands of objects that all survive, which
is exactly what sets off the collector's full collections: 20-35 ms each for a
5,000-node graph, several per drawing, and each one freezes the window (the
layout thread holds the interpreter while it collects). So while a drawing is
in progress the collector waits, and it resumes once the drawing is shown or
given up. Nothing is lost meanwhile: objects are still freed by their reference
counts, and cycles are collected when the collector runs again.
"""
from __future__ import annotations

import gc

_holders = 0
_resume = False


def hold():
    """Pause automatic collections until every ``hold`` has its ``release``."""
    global _holders, _resume
    if _holders == 0:
        _resume = gc.isenabled()
        gc.disable()
    _holders += 1


def release():
    global _holders
    _holders -= 1
    if _holders == 0 and _resume:
        gc.enable()


class CollectorHold:
    """One owner's hold: taking it twice or letting it go twice is harmless."""

    def __init__(self):
        self.held = False

    def take(self):
        if not self.held:
            self.held = True
            hold()

    def let_go(self):
        if self.held:
            self.held = False
            release()
