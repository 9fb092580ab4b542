"""Rewrite ``expected.py`` after a run: programs that match now join ``MATCHING``.

``MATCHING`` only grows here; a program that stops matching stays listed (the test
fails until it matches again or someone removes it by hand, saying why). Reasons
already written for programs that still differ are kept; a program with none gets
the harness's account of its first difference.
"""
import textwrap
from pathlib import Path

from tests.corpus import expected

EXPECTED_FILE = Path(__file__).resolve().parent / "expected.py"
REASON_WIDTH = 90

HEADER = '''"""Which corpus programs engine runs exactly as PyTorch does, and why the others do not.

``MATCHING`` only grows: tests/test_corpus_engine.py fails when one of these
stops matching. Every other program is in ``DIFFERING`` with what engine lacks
or does differently (the first difference; later ones may hide behind it).
``python -m tests.corpus.report`` shows where each run departs from PyTorch's;
``python -m tests.corpus.report --ratchet`` moves programs that match now into
``MATCHING``.
"""
'''


def updated(matching_now, differences_now):
    """The new ``(MATCHING, DIFFERING)`` from one run's results."""
    matching = set(expected.MATCHING) | set(matching_now)
    differing = {name: expected.DIFFERING.get(name) or difference
                 for name, difference in differences_now.items() if name not in matching}
    return matching, differing


def render(matching, differing):
    lines = [HEADER, "MATCHING = frozenset({"]
    lines += [f'    "{name}",' for name in sorted(matching)]
    lines += ["})", "", "DIFFERING = {"]
    for name in sorted(differing):
        lines.append(f'    "{name}":')
        pieces = textwrap.wrap(differing[name], REASON_WIDTH, drop_whitespace=False,
                               break_on_hyphens=False)
        lines += [f"        {piece!r}" for piece in pieces[:-1]]
        lines.append(f"        {pieces[-1]!r},")
    lines += ["}", ""]
    return "\n".join(lines)


def write(matching_now, differences_now):
    EXPECTED_FILE.write_text(render(*updated(matching_now, differences_now)), encoding="utf-8")
