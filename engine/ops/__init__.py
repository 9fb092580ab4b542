"""Every differentiable op, one module per family; importing this registers them all.

Each family registers its ops (``@op``, ``@method`` in table.py) as it is imported, so this
order is the op table's, which the palette shows its first-lesson ops in: not alphabetical.
"""
# isort: off
from . import (  # noqa: F401 - imported to register their ops
    arithmetic,
    reduction,
    views,
    copies,
    pointwise,
    comparison,
    reductions2,
    transposes,
    join_split,
    indexing,
    stacking,
    linalg,
    conversion,
    ordering,
    diagonals,
    einsum,
    selection,
    pointwise_combine,
    moments,
    counting,
    products,
    derivative_math,
)
# isort: on
