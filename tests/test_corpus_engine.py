"""Published autograd programs print under engine exactly what they print under PyTorch.

tests/corpus/ holds the programs (tutorials, docs, books, forum answers), the
harness that runs each under both libraries, and ``expected.py``: the programs
known to match. A program there that stops matching fails this test; programs
that newly match are listed by ``python -m tests.corpus.report`` for adding.
"""
import warnings

import pytest

from tests.corpus import expected, harness

ORIGIN_PREFIX = "# Origin: "


def test_every_program_names_its_origin_and_is_accounted_for():
    names = harness.program_names()
    for name in names:
        text = harness.program_path(name).read_text(encoding="utf-8")
        assert any(line.startswith(ORIGIN_PREFIX) for line in text.split("\n", 4)[:4]), name
        with warnings.catch_warnings():  # docstrings of tutorials hold LaTeX like \sin
            warnings.simplefilter("ignore")
            compile(text, name, "exec")
    assert set(expected.MATCHING) | set(expected.DIFFERING) == set(names)
    assert not set(expected.MATCHING) & set(expected.DIFFERING)


@pytest.fixture(scope="module")
def outcomes():
    pytest.importorskip("torch")
    return harness.run_corpus()


def test_pytorch_runs_every_program(outcomes):
    stopped = [name for name, outcome in outcomes["torch"].items()
               if outcome.status in (harness.TIMEOUT_EXIT, harness.NO_RESULT)]
    assert stopped == []


def test_programs_expected_to_match_still_match(outcomes):
    differences = {name: harness.first_difference(outcomes["torch"][name], outcomes["engine"][name])
                   for name in expected.MATCHING}
    assert {name: text for name, text in differences.items() if text} == {}
