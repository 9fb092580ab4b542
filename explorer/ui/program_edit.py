"""Edits of an immutable ``Program`` addressed by block locations.

A *location* is ``(parent, body, index)``: ``parent`` is the location of the
compound step that holds the block (``None`` at the top level), ``body`` which of
its bodies (0, or 1 for an ``If``'s ``else``), ``index`` the position in it. A
location names a slot between steps as well as a step, so the same address
serves "insert here" and "this block". Every function returns a new Program.
"""
from __future__ import annotations

from dataclasses import replace

from explorer.program.steps import If, Program

TOP = None


def location(parent, body: int, index: int):
    return (parent, body, index)


def _body(program: Program, parent, body: int) -> tuple:
    if parent is None:
        return program.steps
    return step_at(program, parent).bodies()[body]


def step_at(program: Program, where):
    parent, body, index = where
    return _body(program, parent, body)[index]


def body_length(program: Program, parent, body: int = 0) -> int:
    return len(_body(program, parent, body))


def _with_body(program: Program, parent, body: int, steps: tuple) -> Program:
    if parent is None:
        return replace(program, steps=tuple(steps))
    compound = step_at(program, parent)
    bodies = list(compound.bodies())
    bodies[body] = tuple(steps)
    return replace_step(program, parent, compound.with_bodies(bodies))


def replace_step(program: Program, where, step) -> Program:
    parent, body, index = where
    steps = list(_body(program, parent, body))
    steps[index] = step
    return _with_body(program, parent, body, tuple(steps))


def insert_step(program: Program, where, step) -> Program:
    parent, body, index = where
    steps = list(_body(program, parent, body))
    steps.insert(index, step)
    return _with_body(program, parent, body, tuple(steps))


def remove_step(program: Program, where) -> Program:
    parent, body, index = where
    steps = list(_body(program, parent, body))
    del steps[index]
    return _with_body(program, parent, body, tuple(steps))


def move_step(program: Program, source, target) -> tuple[Program, tuple]:
    """Move the block at ``source`` to the slot ``target`` (a slot of the program before the move).

    Returns the new program and where the block ended up.
    """
    if is_inside(target, source):
        raise ValueError("a block cannot move into itself")
    step = step_at(program, source)
    program = remove_step(program, source)
    target = _shift_after_removal(target, source)
    return insert_step(program, target, step), target


def is_inside(where, container) -> bool:
    """Whether ``where`` lies inside (or is) the block at ``container``."""
    while where is not None:
        if where == container:
            return True
        where = where[0]
    return False


def _shift_after_removal(where, removed):
    """``where`` expressed in the program once the block at ``removed`` is gone."""
    if where is None:
        return None
    parent, body, index = where
    parent = _shift_after_removal(parent, removed)
    if (parent, body) == (removed[0], removed[1]) and index > removed[2]:
        index -= 1
    return (parent, body, index)


def iter_locations(program: Program, parent=None):
    """``(location, step, depth)`` for every block, depth first, in source order."""
    stack = []
    body_steps = program.steps if parent is None else ()
    stack.extend(reversed([((parent, 0, i), s, 0) for i, s in enumerate(body_steps)]))
    while stack:
        where, step, depth = stack.pop()
        yield where, step, depth
        children = []
        for number, body in enumerate(step.bodies()):
            children.extend(((where, number, i), s, depth + 1) for i, s in enumerate(body))
        stack.extend(reversed(children))


def runner_path(program: Program, where) -> tuple:
    """The runner's step path for a location (an ``If`` counts ``body`` then ``orelse``)."""
    parent, body, index = where
    if parent is None:
        return (index,)
    compound = step_at(program, parent)
    if type(compound) is If and body == 1:
        index += len(compound.body)
    return runner_path(program, parent) + (index,)


def location_of_path(program: Program, path) -> tuple | None:
    """The location of a runner step path, or None when the program has no such step."""
    where = None
    for index in path:
        compound = step_at(program, where) if where is not None else None
        body = 0
        if compound is not None and type(compound) is If and index >= len(compound.body):
            index -= len(compound.body)
            body = 1
        steps = _body(program, where, body)
        if not 0 <= index < len(steps):
            return None
        where = (where, body, index)
    return where


def variables_in_scope(program: Program, where) -> tuple:
    """Names bound by blocks that run before ``where`` (the operands a form offers)."""
    return program.variables_before(runner_path(program, where)) if program.steps else ()
