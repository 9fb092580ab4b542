"""``engine.nn``: the functional API (``engine.nn.functional``)."""
from . import functional

__all__ = ["functional"]
