"""A window's hold on Python's cyclic garbage collector while a big drawing is made.

A drawing of a big graph waits for the collector as a run does: see NOTE
[collector pauses] in ``explorer.program.collector``, whose counted ``hold`` and
``release`` this holds on to until the drawing is shown or given up.
"""
from __future__ import annotations

from explorer.program.collector import hold, release


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
