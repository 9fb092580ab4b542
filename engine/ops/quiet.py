"""numpy's floating point warnings turned off around the engine's own arithmetic."""
import numpy as np

# NOTE [quiet numpy]
# PyTorch computes log(0) = -inf and sin(inf) = nan silently; numpy warns, so the
# engine's own calls that can warn run with numpy's error state set to ignore and
# then restored: the user's own numpy calls keep warning as the user chose.
# ``np.errstate`` rebuilds that state on every entry, which costs three times a
# sin of four numbers; numpy 2 keeps it in a context variable, so the engine sets
# that variable to a state made once (numpy 1 gets the plain errstate).
try:
    from numpy._core._ufunc_config import _extobj_contextvar as ERROR_STATE
except ImportError:  # numpy 1.x
    ERROR_STATE = None

if ERROR_STATE is not None:
    with np.errstate(all="ignore"):
        QUIET = ERROR_STATE.get()
    set_error_state, reset_error_state = ERROR_STATE.set, ERROR_STATE.reset

    def quietly(function, *args):
        """``function(*args)`` with numpy's floating point warnings off (NOTE [quiet numpy])."""
        token = set_error_state(QUIET)
        try:
            return function(*args)
        finally:
            reset_error_state(token)
else:
    @np.errstate(all="ignore")
    def quietly(function, *args):
        """``function(*args)`` with numpy's floating point warnings off (NOTE [quiet numpy])."""
        return function(*args)
