"""Run limits and the guard that enforces them.

The guard is consulted between steps, on every loop iteration, and around
every call the interpreter makes. Tensor sizes are checked twice: before an
op that could allocate a lot (creation calls, broadcasting, matmul, repeat,
expand, cat, advanced indexing), from the shapes of its arguments, and after
every result. A single op is never interrupted, so the element limit is what
keeps each one short.
"""
import math
import threading
import time
from dataclasses import dataclass

from .errors import LimitExceeded, RunCancelled


@dataclass(frozen=True)
class Limits:
    max_iterations: int = 10_000      # loop iterations per run, all loops together
    max_elements: int = 10 ** 7       # elements of any one tensor
    max_seconds: float = 10.0         # wall time per run
    max_frames: int = 100_000         # recorded frames per run
    max_sequence_length: int = 10 ** 6   # length of a Python str / list / tuple value
    max_int_bits: int = 4096          # size of a Python int value (2 ** 10 ** 9 would hang)


class Guard:
    """Counts and clocks one run; raises ``LimitExceeded`` or ``RunCancelled``."""

    def __init__(self, limits=None, cancel_event=None):
        self.limits = limits or Limits()
        self.cancel_event = cancel_event or threading.Event()
        self.started = time.monotonic()
        self.deadline = self.started + self.limits.max_seconds
        self.iterations = 0

    def tick(self):
        """Check the clock and the cancel event."""
        if self.cancel_event.is_set():
            raise RunCancelled("the run was cancelled")
        if time.monotonic() > self.deadline:
            raise LimitExceeded(
                f"the run took longer than {self.limits.max_seconds:g} s (time limit)", "time")

    def count_iteration(self):
        self.iterations += 1
        if self.iterations > self.limits.max_iterations:
            raise LimitExceeded(
                f"more than {self.limits.max_iterations} loop iterations (iteration limit)",
                "iterations")
        self.tick()

    def check_elements(self, count, what="a tensor"):
        if count > self.limits.max_elements:
            raise LimitExceeded(
                f"{what} would have {_count_text(count)} elements; the limit is "
                f"{self.limits.max_elements:,} (element limit)", "elements")

    def check_array(self, value):
        """A numpy result (or anything else, unchecked) against the element limit."""
        size = getattr(value, "size", None)
        if type(size) is int:
            self.check_elements(size)
        return value

    def check_int(self, value):
        if abs(value).bit_length() > self.limits.max_int_bits:
            raise LimitExceeded(
                f"an integer grew past {self.limits.max_int_bits} bits (integer limit)", "integer")

    def check_length(self, length):
        if length > self.limits.max_sequence_length:
            raise LimitExceeded(
                f"a sequence of {_count_text(length)} items is longer than the limit "
                f"{self.limits.max_sequence_length:,} (sequence limit)", "sequence")


def _count_text(count):
    if isinstance(count, float) and not math.isfinite(count):
        return "too many"
    if count >= 10 ** 15:
        return f"about 10^{int(math.log10(count))}"
    return f"{int(count):,}"


def product(dims, cap):
    """Product of ``dims``, stopping early once it passes ``cap`` (returns cap + 1)."""
    total = 1
    for dim in dims:
        total *= max(int(dim), 0)
        if total > cap:
            return cap + 1
    return total


def broadcast_shape(shapes):
    """The broadcast of ``shapes``, or None when they do not broadcast."""
    ndim = max((len(s) for s in shapes), default=0)
    result = []
    for axis in range(-ndim, 0):
        size = 1
        for shape in shapes:
            if len(shape) >= -axis:
                dim = shape[axis]
                if dim != 1:
                    if size not in (1, dim):
                        return None
                    size = dim
        result.append(size)
    return tuple(result)
