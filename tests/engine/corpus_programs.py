"""Run a program of the corpus (tests/corpus/programs/) in this process, under
PyTorch or engine, and return what it printed.

The program's ``import torch`` (and ``from torch import nn``, ``import
torch.nn``) is answered with the library given, through the program's own
``__import__``: nothing in ``sys.modules`` changes, so PyTorch and engine run
side by side in one test. The corpus's own harness runs whole programs in
worker processes and compares them exactly; tests here use a program's
numbers more loosely or pick at its lines.
"""
import builtins
import contextlib
import functools
import importlib
import io
import warnings

from tests.corpus.harness import program_path


def source(name):
    """The program's text, as it is in the corpus."""
    return program_path(name).read_text(encoding="utf-8")


def printed(library, name, edits=()):
    """What program ``name`` prints under ``library``, after ``edits`` (pairs of old
    and new text, each of which must occur in the program)."""
    text = source(name)
    for old, new in edits:
        if old not in text:
            raise ValueError(f"{old!r} is not in {name}")
        text = text.replace(old, new)
    return _run(library, name, text)


@functools.lru_cache(maxsize=None)
def _run(library, name, text):
    threads = library.get_num_threads() if library.__name__ == "torch" else None
    if threads is not None:
        library.set_num_threads(1)  # small tensors: threads only contend for the cores
    with warnings.catch_warnings():  # docstrings of tutorials hold LaTeX such as \sin
        warnings.simplefilter("ignore")
        code = compile(text, str(program_path(name)), "exec")
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            namespace = {"__name__": "__main__",
                         "__builtins__": {**vars(builtins), "__import__": _importer(library)}}
            exec(code, namespace)  # noqa: S102 - the program under test
    finally:
        if threads is not None:
            library.set_num_threads(threads)
    return out.getvalue()


def _importer(library):
    """``__import__`` with ``torch`` and ``torch.*`` taken from ``library``'s modules."""
    def import_(name, globals=None, locals=None, fromlist=(), level=0):
        if level == 0 and (name == "torch" or name.startswith("torch.")):
            module = importlib.import_module(library.__name__ + name[len("torch"):])
            return module if fromlist else library
        return builtins.__import__(name, globals, locals, fromlist, level)
    return import_
