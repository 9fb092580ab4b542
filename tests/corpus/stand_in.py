"""Make ``import torch`` (and ``torch.nn``, ``torch.optim``, ...) load ``engine``.

Only the modules engine has are mapped; any other ``torch.*`` import fails with
Python's own ``No module named ...`` error, so a program that needs a module engine
lacks says so instead of loading engine's internals under torch's names.
"""
import importlib
import importlib.abc
import sys

# torch's public modules that tutorial code imports; each maps to engine's module
# of the same dotted name when engine has one.
TORCH_MODULES = (
    "autograd", "autograd.function", "autograd.functional", "autograd.forward_ad",
    "autograd.grad_mode", "autograd.gradcheck", "autograd.graph",
    "cuda", "distributions", "func", "linalg", "nn", "nn.functional", "nn.init",
    "nn.modules", "nn.parameter", "nn.utils", "optim", "optim.lr_scheduler", "random",
    "testing", "utils", "utils.data", "utils.hooks",
)


class _BlockOtherTorchModules(importlib.abc.MetaPathFinder):
    """Refuses ``torch.X`` that engine has no module for (``torch`` is engine's folder)."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname.startswith("torch.") and fullname not in sys.modules:
            raise ModuleNotFoundError(f"No module named {fullname!r}", name=fullname)
        return None


def install_engine_as_torch():
    """Put engine and its modules into ``sys.modules`` under torch's names."""
    import engine

    sys.modules["torch"] = engine
    for name in TORCH_MODULES:
        try:
            module = importlib.import_module(f"engine.{name}")
        except ImportError:
            continue
        sys.modules[f"torch.{name}"] = module
    sys.meta_path.insert(0, _BlockOtherTorchModules())
