"""Probe tables: one case, run on engine and on PyTorch, must come out the same.

A case is ``fn(m)`` with ``m`` the module (``engine`` or ``torch``); its
outcome is what it returned (tensors described by values, dtype, flags and
grad_fn name), or the error it raised (type name and text), plus every
warning it issued (category and first line: tracebacks differ by design).
"""
import re
import warnings


def is_tensor(value):
    return hasattr(value, "grad_fn") and hasattr(value, "tolist") and hasattr(value, "dtype")


def describe(value):
    """A plain, comparable picture of ``value`` (tensors, nodes, nested tuples)."""
    if is_tensor(value):
        fn = value.grad_fn
        return ("tensor", _rounded(value.detach().tolist()), str(value.dtype), value.requires_grad,
                None if fn is None else type(fn).__name__)
    if isinstance(value, (list, tuple)):
        return type(value).__name__, tuple(describe(v) for v in value)
    if isinstance(value, dict):
        return {k: describe(v) for k, v in value.items()}
    if hasattr(value, "next_functions"):
        return ("node", type(value).__name__)
    if isinstance(value, float):
        return _rounded(value)
    return value


def _rounded(values):
    """Floats to 6 significant digits: the engine's float32 math may differ in the last bit."""
    if isinstance(values, list):
        return [_rounded(v) for v in values]
    if isinstance(values, float):
        return "nan" if values != values else float(f"{values:.6g}")
    return values


def _without_origin(text):
    """A warning's text without the C++ location PyTorch appends to some."""
    return re.sub(r" \(Triggered internally at [^)]*\)$", "", text)


def outcome(fn, m, first_line=False):
    """What ``fn(m)`` returns or raises, and the warnings it issues."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = ("ok", describe(fn(m)))
        except Exception as exc:  # noqa: BLE001 - the error is the outcome
            text = str(exc)
            if first_line:
                text = text.split("\n")[0]
            result = ("error", type(exc).__name__, text)
    issued = tuple((w.category.__name__, _without_origin(str(w.message).split("\n")[0]))
                   for w in caught)
    return result, issued


def case_table(cases):
    """``pytest.mark.parametrize`` arguments for a list of case functions."""
    return {"argnames": "case", "argvalues": cases, "ids": [c.__name__ for c in cases]}
