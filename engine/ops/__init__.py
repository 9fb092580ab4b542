"""Every differentiable op, one module per family; importing this registers them all.

Each family registers its ops (``@op``, ``@method`` in table.py) when it is first imported,
here or earlier by a family that uses it; the op table keeps that order, so this list keeps
a fixed one rather than an alphabetical one.
"""
# isort: off
from . import (  # noqa: F401 - imported to register their ops
    arithmetic,
    reduction,
    views,
    copies,
    pointwise,
    pointwise_fill,
    pointwise_round,
    pointwise_select,
    comparison,
    extrema,
    softmax,
    moments,
    cumulative,
    transposes,
    join_split,
    indexing,
    gather,
    setitem,
    stacking,
    linalg,
    conversion,
    ordering,
    diagonals,
    einsum,
    selection,
    pointwise_combine,
    counting,
    products,
    pointwise_binary,
    derivative_math,  # not a family: the names formulas call; gives nodes their generated backward
)
# isort: on
