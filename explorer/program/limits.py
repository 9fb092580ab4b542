"""Run limits and the guard that enforces them.

The guard is consulted between steps, on every loop iteration, and around
every call the interpreter makes. Tensor sizes are checked twice: before an
op that could allocate a lot (creation calls, broadcasting, matmul, repeat,
expand, cat, advanced indexing), from the shapes of its arguments, and after
every result. A single op is never interrupted, so the element limit is what
keeps each one short. Memory is the one size no single check sees (a loop
appending tensors, each within the limits): the guard reads the process's
resident memory a few hundred times a second and stops a run that has grown
it past ``max_memory_bytes`` since the run began.
"""
import math
import os
import threading
import time
from dataclasses import dataclass

from .errors import LimitExceeded, RunCancelled


@dataclass(frozen=True)
class Limits:
    # A run happens on a worker and can always be cancelled, so these leave room for the
    # training loops of tutorials (PyTorch's polynomial examples take 2,000 steps).
    max_iterations: int = 200_000     # loop iterations per run, all loops together
    max_elements: int = 10 ** 7       # elements of any one tensor
    max_seconds: float = 60.0         # wall time per run
    max_frames: int = 100_000         # recorded frames per run
    max_sequence_length: int = 10 ** 6   # length of a Python str / list / tuple value
    max_int_bits: int = 4096          # size of a Python int value (2 ** 10 ** 9 would hang)
    max_memory_bytes: int = 2 * 2 ** 30   # growth of resident memory during the run


MEMORY_CHECK_INTERVAL = 0.005  # seconds between reads of the resident memory
_PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def resident_bytes():
    """The process's resident memory, or None where ``/proc`` cannot tell."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * _PAGE_SIZE
    except (OSError, ValueError, IndexError):
        return None


class Guard:
    """Counts and clocks one run; raises ``LimitExceeded`` or ``RunCancelled``."""

    def __init__(self, limits=None, cancel_event=None):
        self.limits = limits or Limits()
        self.cancel_event = cancel_event or threading.Event()
        self.started = time.monotonic()
        self.deadline = self.started + self.limits.max_seconds
        self.iterations = 0
        self.memory_at_start = resident_bytes()
        self.next_memory_check = self.started

    def tick(self):
        """Check the clock, the cancel event and (every few milliseconds) the memory."""
        if self.cancel_event.is_set():
            raise RunCancelled("the run was cancelled")
        now = time.monotonic()
        if now > self.deadline:
            raise LimitExceeded(
                f"the run took longer than {self.limits.max_seconds:g} s (time limit)", "time")
        if now >= self.next_memory_check:
            self.next_memory_check = now + MEMORY_CHECK_INTERVAL
            self.check_memory()

    def check_memory(self):
        """Stop a run whose resident memory grew past the limit since it began."""
        if self.memory_at_start is None:
            return
        current = resident_bytes()
        if current is not None and current - self.memory_at_start > self.limits.max_memory_bytes:
            raise LimitExceeded(
                f"the run used more than {_bytes_text(self.limits.max_memory_bytes)} of memory "
                "(memory limit)", "memory")

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


def _bytes_text(count):
    for unit, size in (("GiB", 2 ** 30), ("MiB", 2 ** 20), ("KiB", 2 ** 10)):
        if count >= size:
            return f"{count / size:g} {unit}"
    return f"{count} bytes"


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
