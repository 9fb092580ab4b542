"""Anomaly detection: ``detect_anomaly`` and ``set_detect_anomaly``, as PyTorch has them.

While it is on, every node records the stack of the forward call that made
it (``grad_fn.metadata["traceback_"]``), and backward checks each node's
gradients for nan: the first that has one raises PyTorch's error after a
warning that shows where that node came from (as any error a node raises does).

Both jobs are done by a graph listener (``engine.observe``) registered only
while the mode is on, so that ops pay nothing for it otherwise.
"""
import os
import traceback
import warnings

from .. import observe
from ..backend import array_module

ENABLED_WARNING = ("Anomaly Detection has been enabled. This mode will increase the runtime and "
                   "should only be enabled for debugging.")
TRACEBACK_KEY = "traceback_"
_ENGINE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class _Mode:
    enabled = False
    check_nan = True


_MODE = _Mode()


def is_anomaly_enabled():
    return _MODE.enabled


def is_anomaly_check_nan_enabled():
    return _MODE.check_nan


def set_anomaly_enabled(enabled, check_nan=True):
    """Turn the mode on or off at once (``torch.set_anomaly_enabled``)."""
    enabled = bool(enabled)
    if enabled and not _MODE.enabled:
        observe.add_listener(_LISTENER)
    elif not enabled and _MODE.enabled:
        observe.remove_listener(_LISTENER)
    _MODE.enabled = enabled
    _MODE.check_nan = bool(check_nan)


def _forward_stack():
    """The user's frames of the current stack, formatted as Python formats a traceback."""
    frames = [f for f in traceback.extract_stack()[:-1]
              if not os.path.abspath(f.filename).startswith(_ENGINE_DIR)]
    return traceback.format_list(frames)


class _AnomalyListener:
    """Records forward stacks on nodes and checks node gradients for nan."""

    @staticmethod
    def node_created(node, inputs, outputs):
        node.metadata[TRACEBACK_KEY] = _forward_stack()

    @staticmethod
    def node_evaluated(node, grads_in, grads_out):
        if not _MODE.check_nan:
            return
        for index, grad in enumerate(grads_out):
            if grad is not None and _has_nan(grad._data):
                _warn_forward_stack(node)
                raise RuntimeError(
                    f"Function '{node.name()}' returned nan values in its {index}th output.")

    @staticmethod
    def node_failed(node):
        _warn_forward_stack(node)


def _has_nan(data):
    return data.dtype.kind in "fc" and bool(array_module(data).isnan(data).any())


def _warn_forward_stack(node):
    """PyTorch's warning before a node's error: where in the forward the node was made."""
    stack = "".join(node.metadata.get(TRACEBACK_KEY, ()))
    warnings.warn(f"Error detected in {node.name()}. Traceback of forward call that caused the "
                  f"error:\n{stack}", UserWarning, stacklevel=3)


_LISTENER = _AnomalyListener()


class detect_anomaly:  # noqa: N801 - PyTorch's name
    """Context manager that turns anomaly detection on (and warns that it costs time)."""

    def __init__(self, check_nan=True):
        self.prev = _MODE.enabled
        self.check_nan = check_nan
        self.prev_check_nan = _MODE.check_nan
        warnings.warn(ENABLED_WARNING, UserWarning, stacklevel=2)

    def __enter__(self):
        set_anomaly_enabled(True, self.check_nan)

    def __exit__(self, *exc):
        set_anomaly_enabled(self.prev, self.prev_check_nan)
        return False


class set_detect_anomaly:  # noqa: N801 - PyTorch's name
    """Turn anomaly detection on or off at once; as a context manager, restore it on exit."""

    def __init__(self, mode, check_nan=True):
        self.prev = _MODE.enabled
        self.prev_check_nan = _MODE.check_nan
        set_anomaly_enabled(mode, check_nan)

    def __enter__(self):
        pass

    def __exit__(self, *exc):
        set_anomaly_enabled(self.prev, self.prev_check_nan)
        return False
