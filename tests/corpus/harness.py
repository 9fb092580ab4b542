"""Run the corpus under PyTorch and under engine, and compare what each printed.

Each library runs in one worker process (``tests/corpus/worker.py``); the two
workers run side by side, so at most two programs run at a time. Outputs are
compared after ``normalise``: object addresses, the program's own path, and the
library-internal frames of a traceback (which name each library's files) are
the only things taken out.
"""
import dataclasses
import json
import math
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

from tests.corpus.worker import TIMEOUT_EXIT  # noqa: F401 - the status of a program stopped at its limit

CORPUS = Path(__file__).resolve().parent
PROGRAMS = CORPUS / "programs"
ROOT = CORPUS.parents[1]
PROGRAM_TIMEOUT = 60.0  # seconds one program may run under one library
NO_RESULT = -1001  # exit status of a program the worker never reported on

ADDRESS = re.compile(r"0x[0-9a-fA-F]{4,}")
# A warning raised inside a library names the library's file and line, and Python
# prints that file's source line under it; both differ between the libraries.
# PyTorch's C++ warnings end with the build machine's source location; only the
# words around it are PyTorch's behaviour.
TRIGGERED_AT = re.compile(r"\(Triggered internally at [^)]*\)")
LIBRARY_WARNING = re.compile(r"^(?P<file>/[^:]+\.py):\d+: (?P<rest>\w*Warning: .*)$")
FRAME = re.compile(r'^  File "(?P<file>[^"]+)", line \d+')


@dataclasses.dataclass(frozen=True)
class Outcome:
    """What one program printed (normalised) and how it ended."""

    stdout: str
    stderr: str
    status: int
    seconds: float = dataclasses.field(default=0.0, compare=False)


def program_names():
    return sorted(path.stem for path in PROGRAMS.glob("*.py"))


def program_path(name):
    return PROGRAMS / f"{name}.py"


def _drop_library_frames(text, program):
    """Keep a traceback's frames in the program; a library's own frames differ by design."""
    kept = []
    dropping = False
    for line in text.split("\n"):
        frame = FRAME.match(line)
        if frame:
            dropping = frame["file"] != program
        elif dropping and line.startswith("    "):
            continue
        else:
            dropping = False
        if not dropping:
            kept.append(line)
    return "\n".join(kept)


def _library_warning_locations(text, program):
    """``<library>: UserWarning: ...`` for a warning located in a library's file."""
    kept = []
    lines = text.split("\n")
    skip_source = False
    for line in lines:
        if skip_source and line.startswith("  "):
            skip_source = False
            continue
        skip_source = False
        warning = LIBRARY_WARNING.match(line)
        if warning and warning["file"] != program:
            kept.append(f"<library>: {warning['rest']}")
            skip_source = True
        else:
            kept.append(line)
    return "\n".join(kept)


def normalise(text, program):
    """``text`` with addresses, the program's path and library frames made comparable."""
    text = _drop_library_frames(text, program)
    text = _library_warning_locations(text, program)
    text = text.replace(program, Path(program).name)
    text = TRIGGERED_AT.sub("(Triggered internally at …)", text)
    return ADDRESS.sub("0x…", text)


def _worker(library, paths, results):
    with subprocess.Popen(
            [sys.executable, "-m", "tests.corpus.worker", library, str(PROGRAM_TIMEOUT)],
            cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8",
            env={**os.environ, "PYTHONHASHSEED": "0"}) as process:
        process.stdin.write("".join(f"{path}\n" for path in paths))
        process.stdin.close()
        for line in process.stdout:
            reply = json.loads(line)
            path = reply["path"]
            results[Path(path).stem] = Outcome(normalise(reply["stdout"], path),
                                               normalise(reply["stderr"], path), reply["status"],
                                               reply["seconds"])
    for path in paths:  # the worker itself stopped before these: its error went to stderr
        results.setdefault(Path(path).stem, Outcome("", "no result from the worker", NO_RESULT))


def run_corpus(names=None, libraries=("torch", "engine")):
    """``{library: {program: Outcome}}`` for every program, both libraries run side by side."""
    names = program_names() if names is None else list(names)
    paths = [str(program_path(name)) for name in names]
    results = {library: {} for library in libraries}
    threads = [threading.Thread(target=_worker, args=(library, paths, results[library]))
               for library in libraries]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def first_difference(expected, actual):
    """A one-line account of where ``actual`` first departs from ``expected``, or ``None``.

    When only engine's run fails, its error is the account: the outputs part there.
    """
    if actual.status != 0:
        error = _last_line(actual.stderr)
        if expected.status == 0 or error != _last_line(expected.stderr):
            return f"engine fails: {error}"
    for stream in ("stdout", "stderr"):
        want = getattr(expected, stream).split("\n")
        got = getattr(actual, stream).split("\n")
        for number, (line_want, line_got) in enumerate(zip(want, got), 1):
            if line_want != line_got:
                return f"{stream} line {number}: torch {line_want!r} / engine {line_got!r}"
        if len(want) != len(got):
            longer, extra = ("torch", want[len(got):]) if len(want) > len(got) \
                else ("engine", got[len(want):])
            shown = next((line for line in extra if line), "")
            return f"{stream}: only {longer} goes on, with {shown!r}"
    if expected.status != actual.status:
        return f"exit status: torch {expected.status} / engine {actual.status}"
    return None


NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?")
ROUNDING = {"rel_tol": 1e-2, "abs_tol": 1e-3}  # how far numbers may part in a rounding-only difference


def _close_text(expected, actual):
    numbers_expected, numbers_actual = NUMBER.findall(expected), NUMBER.findall(actual)
    return (NUMBER.sub("#", expected) == NUMBER.sub("#", actual)
            and len(numbers_expected) == len(numbers_actual)
            and all(math.isclose(float(a), float(b), **ROUNDING)
                    for a, b in zip(numbers_expected, numbers_actual)))


def differs_only_in_rounding(expected, actual):
    """Whether the runs print the same words and their numbers agree within ``ROUNDING``:
    float32 results that PyTorch's kernels round differently, everything else alike."""
    return expected.status == actual.status and all(
        _close_text(getattr(expected, stream), getattr(actual, stream)) for stream in ("stdout", "stderr"))


def _last_line(text):
    return next((line for line in reversed(text.split("\n")) if line.strip()), "")
