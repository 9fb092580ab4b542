"""The modules a program may import, each seen through a ``SafeModule``.

``torch`` is the module the run was given (the engine, or real PyTorch when a
test uses it as the oracle), with the submodules tutorials import
(``torch.nn``, ``torch.nn.functional``, ``torch.optim`` ...). A ``SafeModule``
hands out only public functions, classes and values defined by that library
and the submodules listed here: never a module it imported for itself
(``numpy``, ``warnings``), nor the few names that touch files or processes.
``math``, ``random`` and a slice of ``numpy`` are offered the same way, the
size-sensitive functions wrapped by ``safe_stdlib``.
"""
import types

from . import safe_stdlib

# Submodules reachable under ``torch`` (relative names): the engine's, each of them present there
# (tests/program/test_op_table.py), so that a name offered is a name that runs.
TORCH_SUBMODULES = frozenset({
    "nn", "nn.functional", "nn.init", "nn.modules", "nn.parameter", "optim", "optim.lr_scheduler",
    "autograd", "autograd.functional", "autograd.graph", "autograd.function", "autograd.variable",
    "random", "cuda", "accelerator", "return_types",
})

# Names refused even though the library defines them: files, processes, compilers.
TORCH_REFUSED = frozenset({
    "load", "save", "hub", "jit", "compile", "ops", "classes", "library", "multiprocessing",
    "distributed", "backends", "utils", "package", "onnx", "export", "from_file", "set_printoptions",
    "observe", "backend", "set_default_backend", "get_default_backend", "Generator",
    "set_num_threads", "set_num_interop_threads",
    "use_deterministic_algorithms", "storage", "UntypedStorage", "TypedStorage",
})


class SafeModule:
    """A read-only view of a module: ``name`` is how the program spells it."""

    __slots__ = ("_name", "_resolve")

    def __init__(self, name, resolve):
        self._name = name
        self._resolve = resolve

    def __repr__(self):
        return f"<module '{self._name}'>"


def module_attribute(module, name):
    """``module.<name>`` for a program, or AttributeError in Python's words."""
    value = module._resolve(name)
    if value is _MISSING:
        raise AttributeError(f"module '{module._name}' has no attribute '{name}'")
    return value


_MISSING = object()


class ModuleTable:
    """Builds and caches the ``SafeModule`` views for one run."""

    def __init__(self, torch_module, policy, guard, call=None):
        self.torch = torch_module
        self.policy = policy
        self.guard = guard
        self.cache = {}
        self.stdlib = {
            "math": safe_stdlib.math_table(guard),
            "random": safe_stdlib.random_table(guard),
            "numpy": safe_stdlib.numpy_table(guard),
            "numpy.random": safe_stdlib.numpy_random_table(guard),
            "collections": safe_stdlib.collections_table(guard),
            "time": safe_stdlib.time_table(),
            "functools": safe_stdlib.functools_table(guard, call),
            "itertools": safe_stdlib.itertools_table(guard, call),
            "copy": safe_stdlib.copy_table(guard),
        }

    # ------------------------------------------------------------ import
    def importable(self, dotted):
        """The SafeModule for ``import <dotted>``, or None when it is not offered."""
        if dotted in ("torch", "engine"):
            return self.torch_view("")
        for prefix in ("torch.", "engine."):
            if dotted.startswith(prefix):
                relative = dotted[len(prefix):]
                if relative in TORCH_SUBMODULES and self._torch_target(relative) is not _MISSING:
                    return self.torch_view(relative)
                return None
        if dotted in self.stdlib:
            return self.table_view(dotted)
        return None

    def _torch_target(self, relative):
        value = self.torch
        for part in relative.split(".") if relative else ():
            value = getattr(value, part, _MISSING)
            if value is _MISSING:
                return _MISSING
        return value

    def torch_view(self, relative):
        key = ("torch", relative)
        if key not in self.cache:
            target = self._torch_target(relative)
            spelled = "torch" + ("." + relative if relative else "")
            self.cache[key] = SafeModule(spelled, lambda name: self._torch_attribute(relative,
                                                                                      target, name))
        return self.cache[key]

    def _torch_attribute(self, relative, target, name):
        if name.startswith("_") or name in TORCH_REFUSED:
            return _MISSING
        child = f"{relative}.{name}" if relative else name
        value = getattr(target, name, _MISSING)
        if value is _MISSING:
            # Submodules that are not attributes until imported (torch.autograd.functional).
            if child in TORCH_SUBMODULES and self._torch_target(child) is not _MISSING:
                return self.torch_view(child)
            return _MISSING
        if isinstance(value, types.ModuleType) or child in TORCH_SUBMODULES:
            return self.torch_view(child) if child in TORCH_SUBMODULES else _MISSING
        if self.policy.defined_by_engine(value) or _plain(value):
            return value
        return _MISSING

    def table_view(self, dotted):
        key = ("table", dotted)
        if key not in self.cache:
            table = self.stdlib[dotted]

            def resolve(name):
                if name in table:
                    return table[name]
                sub = f"{dotted}.{name}"
                if sub in self.stdlib:
                    return self.table_view(sub)
                return _MISSING
            self.cache[key] = SafeModule(dotted, resolve)
        return self.cache[key]


def _plain(value):
    return isinstance(value, (bool, int, float, str, type(None)))
