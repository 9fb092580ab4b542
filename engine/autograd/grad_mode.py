"""Grad mode and inference mode: whether ops record a graph. Thread-local, as in PyTorch.

``no_grad``, ``enable_grad``, ``set_grad_enabled`` and ``inference_mode`` work
both as context managers and as decorators, with or without parentheses
(``@torch.no_grad`` and ``@torch.no_grad()``), as ``torch/autograd/grad_mode.py``'s do.
"""
import functools
import threading


class _State(threading.local):
    enabled = True
    inference = False


STATE = _State()


def is_grad_enabled():
    return STATE.enabled


def is_inference_mode_enabled():
    return STATE.inference


def disabled_by():
    """Which mode turned recording off: ``"inference_mode"`` or ``"no_grad"``."""
    return "inference_mode" if STATE.inference else "no_grad"


class _GradModeContext:
    """Base: a context manager that is also a decorator, with or without parentheses.

    ``@mode`` without parentheses hands the function to the constructor; the
    object then stands for the function run in the mode (PyTorch's ``__new__``
    returns the decorated function instead, but a ``__new__`` written in Python
    would slow down every ``with no_grad():``, which this keeps as fast as a
    class without one).
    """

    _decorated = None  # the function run in the mode, when used as a bare decorator

    def __call__(self, *args, **kwargs):
        decorated = self._decorated
        if decorated is not None:
            return decorated(*args, **kwargs)
        (func,) = args

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            with self.clone():
                return func(*args, **kwargs)
        return wrapper

    def __get__(self, instance, owner=None):
        decorated = self._decorated
        if decorated is None:
            return self
        return decorated.__get__(instance, owner)  # a decorated method binds as a function

    def _stand_for(self, func):
        self._decorated = self(func)
        functools.update_wrapper(self, func)

    def _args(self):
        return ()

    def __exit__(self, *exc):
        STATE.enabled = self._prev
        return False

    def clone(self):
        return self.__class__(*self._args())


class _NoParamContext(_GradModeContext):
    """A mode that takes no argument, so that ``@mode`` decorates as ``@mode()`` does."""

    def __init__(self, orig_func=None):
        if orig_func is not None:
            self._stand_for(orig_func)


class no_grad(_NoParamContext):
    """Ops inside record no graph; their results do not require grad."""

    def __enter__(self):
        self._prev = STATE.enabled
        STATE.enabled = False


class enable_grad(_NoParamContext):
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


class inference_mode(_GradModeContext):
    """``no_grad`` whose results are inference tensors (see ``inference.py``);
    ``inference_mode(False)`` inside it turns grad mode back on."""

    def __init__(self, mode=True):
        if mode is None or isinstance(mode, bool):
            self.mode = mode
        else:  # @inference_mode without parentheses
            self.mode = True
            self._stand_for(mode)

    def _args(self):
        return (self.mode,)

    def __enter__(self):
        from . import inference
        self._prev = STATE.enabled
        self._prev_inference = STATE.inference
        STATE.enabled = not self.mode
        STATE.inference = bool(self.mode)
        inference.make_inference_tensors(STATE.inference)

    def __exit__(self, *exc):
        from . import inference
        STATE.enabled = self._prev
        STATE.inference = self._prev_inference
        inference.make_inference_tensors(STATE.inference)
        return False
