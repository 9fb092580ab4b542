"""Whether a gradient may become ``.grad`` as it is, instead of a copy.

NOTE [reusing a gradient]
PyTorch's AccumulateGrad keeps (steals) a fresh gradient that nothing else
holds instead of copying it; a leaf of a large layer then costs no copy per
step. The engine can only tell who holds an object by counting references:
a gradient it alone holds has ``ENGINE_HOLDERS`` references where the check
runs (where it came from: an input buffer's slot, the caller's local or a
tensor's ``_data`` slot; and the local name that holds it here). Any other
holder (a second consumer of the same gradient, a hook, a view, the caller's
seed) adds one, and then the gradient is copied.

``sys.getrefcount`` is an implementation detail of CPython: newer versions
skip reference increments for some values on the interpreter's stack, so a
count can be lower than the holders and a shared gradient would be taken for
a fresh one. The rule is therefore trusted only on the versions it was tested
on (``TESTED_PYTHONS``); elsewhere every gradient is copied, which is always
right and only slower.
"""
import sys

import numpy as np

TESTED_PYTHONS = ((3, 11),)
TRUSTED = sys.version_info[:2] in TESTED_PYTHONS

ENGINE_HOLDERS = 2  # see the NOTE: where the value came from and the local name here
_CALL_REFERENCES = 2  # ``only_engine_holds``'s parameter and getrefcount's argument


def only_engine_holds(value):
    """True when ``value`` has no references beyond the engine's ``ENGINE_HOLDERS``; False
    on a CPython whose counting was not tested. Call it where those holders are counted,
    never through another helper: each call in between holds the value once more."""
    return TRUSTED and sys.getrefcount(value) <= ENGINE_HOLDERS + _CALL_REFERENCES


def owns_memory(array):
    """Whether ``array`` alone reaches its memory: it owns it, or it is a contiguous view
    of all of an array nothing else holds (a product's gradient transposed back, see
    ``_column_major`` in ops/linalg.py); the caller checks who holds ``array`` itself."""
    base = array.base
    if base is None:
        return True
    # The base's holders: the view and the local name ``base``, as ENGINE_HOLDERS counts.
    return (type(base) is np.ndarray and base.base is None and base.size == array.size
            and array.flags.c_contiguous and only_engine_holds(base))

