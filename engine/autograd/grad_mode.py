"""Grad mode: whether ops record a graph. Thread-local, as in PyTorch.

``no_grad``, ``enable_grad`` and ``set_grad_enabled`` work both as context
managers and as decorators (``torch/autograd/grad_mode.py``'s contract).
"""
import functools
import threading


class _State(threading.local):
    enabled = True


STATE = _State()


def is_grad_enabled():
    return STATE.enabled


class _GradModeContext:
    """Base: a context manager that is also a decorator."""

    def __call__(self, func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            with self.__class__(*self._args()):
                return func(*args, **kwargs)
        return wrapper

    def _args(self):
        return ()

    def __exit__(self, *exc):
        STATE.enabled = self._prev
        return False

    def clone(self):
        return self.__class__(*self._args())


class no_grad(_GradModeContext):
    """Ops inside record no graph; their results do not require grad."""

    def __enter__(self):
        self._prev = STATE.enabled
        STATE.enabled = False


class enable_grad(_GradModeContext):
    """Turn recording back on inside a ``no_grad`` region."""

    def __enter__(self):
        self._prev = STATE.enabled
        STATE.enabled = True


class set_grad_enabled(_GradModeContext):
    """Set grad mode on or off; takes effect at once, like PyTorch's."""

    def __init__(self, mode):
        self._prev = STATE.enabled
        self.mode = bool(mode)
        STATE.enabled = self.mode

    def _args(self):
        return (self.mode,)

    def __enter__(self):
        pass

    def __call__(self, func):
        STATE.enabled = self._prev  # used as a decorator: undo the eager switch
        return super().__call__(func)


class inference_mode(no_grad):
    """Treated as ``no_grad``: the engine has no separate inference tensors."""

    def __init__(self, mode=True):
        self.mode = mode

    def _args(self):
        return (self.mode,)

    def __enter__(self):
        self._prev = STATE.enabled
        STATE.enabled = not self.mode and STATE.enabled
