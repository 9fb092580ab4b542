"""Every differentiable op, one module per family; importing this registers them all.

Each family registers its ops (``@op``, ``@method`` in table.py) as it is imported, so this
order, not an alphabetical one, is the order of the op table and of what is read from it.
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
    derivative_math,
)
# isort: on
