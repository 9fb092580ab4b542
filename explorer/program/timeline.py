"""The record of a run: one frame per executed step.

Frames, in order of execution:

- a simple step (assignment, call, print, ``pass``, ``break`` ...) gives one
  frame each time it runs, so a loop contributes one frame per iteration of
  each inner step;
- a compound step gives *header* frames (``header=True``): a ``with`` one on
  entry (grad mode already switched), a ``for`` one per iteration (the loop
  variable just bound; the first also evaluated the iterable), a ``while`` one
  per test of its condition, the final false test included, an ``if`` one for
  its test. ``condition`` holds the test's truth value for ``while`` and ``if``.

An error belongs to the frame of the step that raised it; the run stops there
and every earlier frame stays. ``path`` locates the step in the program (see
``Program.step_at``); ``iterations`` gives the 0-based counters of the loops
around it, outermost first.
"""
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ErrorInfo:
    """An exception raised by a step: its type name and message (PyTorch's text)."""

    type_name: str
    message: str

    def __str__(self):
        return f"{self.type_name}: {self.message}" if self.message else self.type_name


@dataclass(frozen=True)
class BackwardEvent:
    """One thing the engine reported during a backward call, in order.

    ``kind`` is the ``engine.observe`` event name: ``backward_started``,
    ``node_evaluated``, ``grad_summed``, ``grad_accumulated``, ``hook_fired``,
    ``backward_finished``. Ids name nodes (``function``) and tensors
    (``tensor``) of the frame's snapshot; arrays are read-only copies.

    - node_evaluated: ``grads_in`` (gradients of the node's outputs) and
      ``grads_out`` (one per next function).
    - grad_summed: ``input_nr``, ``before``, ``added`` and ``after``.
    - grad_accumulated: ``tensor``, ``before`` (None on the first store), ``after``.
    - hook_fired: ``hook`` ("tensor", "node", "node_pre", "post_accumulate"),
      ``function`` or ``tensor``, ``grads_in`` and ``grads_out``.
    - backward_started: ``roots`` (tensor ids) and ``grads_in`` (the seeds).
    """

    kind: str
    function: str = None
    tensor: str = None
    roots: tuple = ()
    grads_in: tuple = ()
    grads_out: tuple = ()
    input_nr: int = None
    before: object = None
    added: object = None
    after: object = None
    hook: str = None


@dataclass(frozen=True)
class Frame:
    index: int
    path: tuple
    line: int
    iterations: tuple
    grad_enabled: bool
    output: str = ""
    error: ErrorInfo = None
    snapshot: object = None
    events: tuple = ()
    warnings: tuple = ()
    header: bool = False
    condition: bool = None
    # Inside a call: the labels of the calls around the statement ("model", "square()"),
    # outermost first. Top-level steps have none; stepping over skips deeper frames.
    call_stack: tuple = ()
    # The middle iterations of a long loop run without a snapshot (see runner.drawn).
    sampled_out: bool = False

    @property
    def depth(self):
        return len(self.call_stack)

    @property
    def ran_backward(self):
        return any(event.kind == "backward_started" for event in self.events)


FINISHED = "finished"
ERROR = "error"
LIMIT = "limit"
CANCELLED = "cancelled"


@dataclass
class Timeline:
    """All frames of one run and how it ended.

    ``status`` is ``finished``, ``error`` (a step raised), ``limit`` (a limit
    was passed) or ``cancelled``; ``error`` repeats the last frame's error.
    ``variables`` are the live values bound at the end (for scripting and tests).
    """

    frames: list = field(default_factory=list)
    status: str = FINISHED
    error: ErrorInfo = None
    variables: dict = field(default_factory=dict)

    @property
    def output(self):
        """Everything printed, in order."""
        return "".join(frame.output for frame in self.frames)

    def frames_of(self, path):
        """The frames of the step at ``path``."""
        return [frame for frame in self.frames if frame.path == tuple(path)]
