"""Steps: the statements of a program, in time order.

A program is an ordered tuple of steps. Each step is a small frozen dataclass
with two keyword-only fields shared by all:

- ``line``: 1-based source line it came from (0 when built by hand). It never
  takes part in equality, so a program read back from generated source equals
  the original.
- ``disabled``: the runner skips the step; generated source shows it as a
  comment.

``reads()`` and ``writes()`` give the variable names a step reads and binds, in
first-use order (``torch`` and builtins are not variables). For compound steps
(``With``, ``For``, ``While``, ``If``) they cover the whole block, body included,
because a block stands for everything inside it. ``mutates()`` names variables
whose tensor a step changes in place without rebinding them (``x.data *= 100``).
"""
from dataclasses import dataclass, field, replace

from .expressions import Attribute, Name, Subscript, names_read
from .python_text import names_bound, names_loaded, names_mutated, parse_statements


def _unique(names):
    seen = []
    for name in names:
        if name not in seen:
            seen.append(name)
    return tuple(seen)


@dataclass(frozen=True, kw_only=True)
class Step:
    line: int = field(default=0, compare=False)
    disabled: bool = False

    def reads(self):
        return ()

    def writes(self):
        return ()

    def mutates(self):
        return ()

    def bodies(self):
        """Nested step tuples (one for With/For/While, two for If)."""
        return ()

    def with_bodies(self, bodies):
        """A copy with its nested step tuples replaced (same count as ``bodies()``)."""
        return self


@dataclass(frozen=True)
class Import(Step):
    """``import torch`` or ``import engine as torch``: binds ``torch`` to the engine."""

    module: str = "torch"
    alias: str = None


@dataclass(frozen=True)
class FutureImport(Step):
    """``from __future__ import print_function``: accepted, does nothing."""

    features: tuple = ()


@dataclass(frozen=True)
class Assign(Step):
    """``x = value`` (one target) or ``a, b = value`` (``unpack``)."""

    targets: tuple
    value: object
    unpack: bool = False

    def reads(self):
        return names_read(self.value)

    def writes(self):
        return self.targets


def _root_name(target):
    """The variable at the base of ``x.data`` / ``y[0]`` / ``x.grad.data``."""
    while type(target) in (Attribute, Subscript):
        target = target.value
    return target.id if type(target) is Name else None


@dataclass(frozen=True)
class AugAssign(Step):
    """``target op= value``; target is a name, an attribute or an index."""

    target: object
    op: str
    value: object

    def reads(self):
        return _unique(names_read(self.target) + names_read(self.value))

    def writes(self):
        return (self.target.id,) if type(self.target) is Name else ()

    def mutates(self):
        if type(self.target) is Name:
            return ()
        root = _root_name(self.target)
        return (root,) if root else ()


@dataclass(frozen=True)
class AttrAssign(Step):
    """``x.grad = None``, ``x.data = value``, ``x.requires_grad = True``."""

    target: Attribute
    value: object

    def reads(self):
        return _unique(names_read(self.target.value) + names_read(self.value))

    def mutates(self):
        root = _root_name(self.target)
        return (root,) if root else ()


@dataclass(frozen=True)
class IndexAssign(Step):
    """``y[0] = value``: an in-place write through indexing."""

    target: Subscript
    value: object

    def reads(self):
        return _unique(names_read(self.target) + names_read(self.value))

    def mutates(self):
        root = _root_name(self.target)
        return (root,) if root else ()


@dataclass(frozen=True)
class ExprStatement(Step):
    """A call run for its effect: ``out.backward()``, ``print(x)``, ``x.grad.zero_()``."""

    value: object

    def reads(self):
        return names_read(self.value)


@dataclass(frozen=True)
class Code(Step):
    """Statements the blocks have no form for, kept as Python text (comments included):
    ``def``, ``class``, ``try``, ``import numpy as np``, ``del`` ... The sandbox runs them."""

    source: str

    def _statements(self):
        try:
            return parse_statements(self.source)
        except Exception:  # text that does not parse binds nothing; the run reports it
            return ()

    def reads(self):
        return names_loaded(self._statements())

    def writes(self):
        return names_bound(self._statements())

    def mutates(self):
        return names_mutated(self._statements())


def _body_reads(steps):
    return tuple(name for step in steps if not step.disabled for name in step.reads())


def _body_writes(steps):
    return tuple(name for step in steps if not step.disabled for name in step.writes())


def _body_mutates(steps):
    return tuple(name for step in steps if not step.disabled for name in step.mutates())


class _OneBody:
    """What a step with one nested ``body`` (with, for, while) shares."""

    def writes(self):
        return _unique(_body_writes(self.body))

    def mutates(self):
        return _unique(_body_mutates(self.body))

    def bodies(self):
        return (self.body,)

    def with_bodies(self, bodies):
        return replace(self, body=tuple(bodies[0]))


@dataclass(frozen=True)
class With(_OneBody, Step):
    """``with torch.no_grad():`` / ``enable_grad()`` / ``set_grad_enabled(flag)``."""

    context: object
    body: tuple

    def reads(self):
        return _unique(names_read(self.context) + _body_reads(self.body))


@dataclass(frozen=True)
class For(_OneBody, Step):
    """``for i in iterable:`` (``unpack`` for ``for a, b in ...``)."""

    targets: tuple
    iterable: object
    body: tuple
    unpack: bool = False

    def reads(self):
        inner = tuple(n for n in _body_reads(self.body) if n not in self.targets)
        return _unique(names_read(self.iterable) + inner)

    def writes(self):
        return _unique(self.targets + _body_writes(self.body))


@dataclass(frozen=True)
class While(_OneBody, Step):
    condition: object
    body: tuple

    def reads(self):
        return _unique(names_read(self.condition) + _body_reads(self.body))


@dataclass(frozen=True)
class If(Step):
    """``if condition: body else: orelse`` (``elif`` is an ``If`` alone in ``orelse``)."""

    condition: object
    body: tuple
    orelse: tuple = ()

    def reads(self):
        return _unique(names_read(self.condition) + _body_reads(self.body)
                       + _body_reads(self.orelse))

    def writes(self):
        return _unique(_body_writes(self.body) + _body_writes(self.orelse))

    def mutates(self):
        return _unique(_body_mutates(self.body) + _body_mutates(self.orelse))

    def bodies(self):
        return (self.body, self.orelse)

    def with_bodies(self, bodies):
        return replace(self, body=tuple(bodies[0]), orelse=tuple(bodies[1]))


@dataclass(frozen=True)
class Break(Step):
    pass


@dataclass(frozen=True)
class Continue(Step):
    pass


@dataclass(frozen=True)
class Pass(Step):
    pass


@dataclass(frozen=True)
class Program:
    """An ordered tuple of top-level steps."""

    steps: tuple = ()

    def step_at(self, path):
        """The step at ``path``: indices into nested bodies, e.g. ``(4, 0, 1)``.

        For an ``If`` the index after the ``If`` counts through ``body`` then
        ``orelse`` (see ``Frame.path``).
        """
        steps = self.steps
        step = None
        for index in path:
            step = steps[index]
            steps = tuple(s for body in step.bodies() for s in body)
        return step

    def iter_steps(self):
        """``(path, step)`` for every step, depth first, in source order."""
        stack = [((i,), s) for i, s in reversed(list(enumerate(self.steps)))]
        while stack:
            path, step = stack.pop()
            yield path, step
            nested = [s for body in step.bodies() for s in body]
            stack.extend(((path + (i,), s) for i, s in reversed(list(enumerate(nested)))))

    def variables_before(self, path):
        """Names bound by the steps that run before ``path`` (operands to offer)."""
        names = []
        for other_path, step in self.iter_steps():
            if other_path >= path:
                break
            if not step.disabled and not step.bodies():
                names.extend(step.writes())
            elif not step.disabled and type(step) is For:
                names.extend(step.targets)
        return _unique(names)


STATEMENT_KINDS = (Import, FutureImport, Assign, AugAssign, AttrAssign, IndexAssign, ExprStatement,
                   With, For, While, If, Break, Continue, Pass, Code)
