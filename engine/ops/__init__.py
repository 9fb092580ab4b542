"""Every differentiable op, one module per family; importing this registers them all."""
import importlib

_FAMILIES = ("arithmetic", "reduction", "views", "shape", "pointwise", "comparison", "reductions2",
             "shape2", "indexing", "stacking", "linalg", "conversion", "nn_ops", "ordering",
             "diagonals", "einsum", "selection", "pointwise_combine", "moments", "counting",
             "products", "derivative_math")

for _name in _FAMILIES:
    try:
        importlib.import_module(f"{__name__}.{_name}")
    except ModuleNotFoundError as _exc:
        if _exc.name != f"{__name__}.{_name}":
            raise
