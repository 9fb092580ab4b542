"""``engine.nn``: modules, parameters, ``init`` and the functional API, as ``torch.nn``."""
from . import functional, init
from .modules import *  # noqa: F403 - the module classes, listed in modules.__all__
from .modules import __all__ as _module_names
from .parameter import Buffer, Parameter

__all__ = ["functional", "init", "Parameter", "Buffer", *_module_names]
