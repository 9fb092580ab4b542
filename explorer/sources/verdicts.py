"""After a run: does each cell print what the page shows?

A pure function of a timeline and the document. Memory addresses (``object at
0x7f...``) never match between runs and are compared as equal. A page run without
``manual_seed`` shows random values no run can repeat: once a cell (or one before it)
draws unseeded random numbers, a cell whose output differs only in its numbers is
marked ``random`` (same text, other numbers) instead of ``differs``.
"""
import difflib
import re
from dataclasses import dataclass

from ..program.codegen import program_source
from ..program.steps import Program

MATCH = "match"
RANDOM = "random"
DIFFERS = "differs"
NOT_RUN = "not-run"
NO_OUTPUT = "no-output"

_ADDRESS = re.compile(r"\b0x[0-9a-fA-F]+\b")
_NUMBER = re.compile(r"(?<![\w.])[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|\bnan\b|\binf\b")
_RANDOM_CALL = re.compile(r"\b(randn|rand|randint|randperm|randn_like|rand_like|randint_like|"
                          r"normal|normal_|uniform_|bernoulli|multinomial|random_|dropout|"
                          r"Dropout|Linear|Conv\dd|kaiming_\w+|xavier_\w+)\s*\(")
_SEED = re.compile(r"\bmanual_seed\s*\(")
MAX_DIFFERENCE_LINES = 24


@dataclass(frozen=True)
class CellVerdict:
    """How a cell's run compares with the output its page shows.

    ``status``: ``match``, ``random`` (equal but for values drawn without a seed),
    ``differs``, ``not-run`` (the run stopped before the cell) or ``no-output`` (the
    page shows none). ``difference`` is a short diff, page lines ``-``, run lines ``+``.
    """

    cell: int
    first_step: int
    status: str
    expected: str = None
    actual: str = ""
    difference: str = ""

    @property
    def agrees(self):
        return self.status in (MATCH, RANDOM)


def cell_first_steps(document):
    """The index of each cell's first top-level step."""
    firsts, index = [], 0
    for cell in document.cells:
        firsts.append(index)
        index += cell.steps
    return firsts


def _normal(text):
    lines = [_ADDRESS.sub("0x…", line.rstrip()) for line in text.replace("\r\n", "\n").split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    return "\n".join(lines)


def _without_numbers(text):
    return re.sub(r"\s+", "", _NUMBER.sub("#", text))


def _difference(expected, actual):
    lines = list(difflib.unified_diff(expected.split("\n"), actual.split("\n"),
                                      "page", "run", n=0, lineterm=""))[2:]
    lines = [line for line in lines if not line.startswith("@@")]
    if len(lines) > MAX_DIFFERENCE_LINES:
        lines = lines[:MAX_DIFFERENCE_LINES] + ["…"]
    return "\n".join(lines)


def output_verdicts(timeline, document):
    """One ``CellVerdict`` per cell of ``document``, for the run ``timeline``."""
    steps = document.program.steps
    firsts = cell_first_steps(document)
    outputs = {}
    reached = set()
    for frame in timeline.frames:
        top = frame.path[0] if frame.path else None
        if top is None:
            continue
        reached.add(top)
        text = frame.output
        if frame.error is not None:
            text += f"{frame.error}\n"
        if text:
            outputs[top] = outputs.get(top, "") + text
    verdicts = []
    unseeded_random = False
    for number, (cell, first) in enumerate(zip(document.cells, firsts)):
        source = program_source(Program(tuple(steps[first:first + cell.steps])))
        for line in source.splitlines():
            if _SEED.search(line):
                unseeded_random = False
            elif _RANDOM_CALL.search(line):
                unseeded_random = True
        cell_range = range(first, first + cell.steps)
        actual = "".join(outputs.get(index, "") for index in cell_range)
        if cell.output is None:
            status = NO_OUTPUT
        elif not any(index in reached for index in cell_range):
            status = NOT_RUN
        else:
            expected_text, actual_text = _normal(cell.output), _normal(actual)
            if expected_text == actual_text:
                status = MATCH
            elif unseeded_random and (_without_numbers(expected_text)
                                      == _without_numbers(actual_text)):
                status = RANDOM
            else:
                status = DIFFERS
        difference = ""
        if status in (DIFFERS, RANDOM):
            difference = _difference(_normal(cell.output), _normal(actual))
        verdicts.append(CellVerdict(number, first, status, cell.output, actual, difference))
    return verdicts
