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


PROGRAM = "/corpus/programs/example.py"


def test_normalise_keeps_the_programs_frames_and_drops_the_librarys():
    traceback = "\n".join([
        "Traceback (most recent call last):",
        f'  File "{PROGRAM}", line 3, in <module>',
        "    y.backward()",
        '  File "/site-packages/torch/_tensor.py", line 630, in backward',
        "    torch.autograd.backward(",
        "RuntimeError: element 0 of tensors does not require grad and does not have a grad_fn",
    ])
    assert harness.normalise(traceback, PROGRAM).split("\n") == [
        "Traceback (most recent call last):",
        '  File "example.py", line 3, in <module>',
        "    y.backward()",
        "RuntimeError: element 0 of tensors does not require grad and does not have a grad_fn",
    ]


def test_normalise_hides_addresses_library_warning_locations_and_build_paths():
    text = "\n".join([
        "<function hook at 0x7f3a2b1c9d30>",
        "/site-packages/torch/nn/modules/loss.py:48: UserWarning: size_average is deprecated",
        "  warnings.warn(warning.format(ret))",
        f"{PROGRAM}:9: UserWarning: non-leaf .grad (Triggered internally at /build/TensorBody.h:493.)",
        "  print(z.grad)",
    ])
    assert harness.normalise(text, PROGRAM).split("\n") == [
        "<function hook at 0x…>",
        "<library>: UserWarning: size_average is deprecated",
        "example.py:9: UserWarning: non-leaf .grad (Triggered internally at …)",
        "  print(z.grad)",
    ]


def test_first_difference_names_engines_error_before_its_missing_output():
    torch_run = harness.Outcome("1\n2\n", "", 0)
    assert harness.first_difference(torch_run, harness.Outcome("1\n2\n", "", 0)) is None
    assert harness.first_difference(torch_run, harness.Outcome("1\n3\n", "", 0)) == \
        "stdout line 2: torch '2' / engine '3'"
    failed = harness.Outcome("1\n", "Traceback ...\nAttributeError: no Conv2d\n", 1)
    assert harness.first_difference(torch_run, failed) == "engine fails: AttributeError: no Conv2d"


def test_ratchet_only_adds_to_matching_and_keeps_written_reasons(monkeypatch):
    from tests.corpus import ratchet

    monkeypatch.setattr(expected, "MATCHING", frozenset({"a"}))
    monkeypatch.setattr(expected, "DIFFERING", {"b": "why b differs", "c": "why c differs"})
    matching, differing = ratchet.updated(["b"], {"a": "a's first difference", "c": "c's first difference",
                                                  "d": "d's first difference"})
    assert matching == {"a", "b"}
    assert differing == {"c": "why c differs", "d": "d's first difference"}
    namespace = {}
    exec(ratchet.render(matching, differing), namespace)  # the file it writes is valid Python
    assert namespace["MATCHING"] == {"a", "b"} and namespace["DIFFERING"] == differing


def test_a_rounding_only_difference_keeps_the_words_and_the_numbers_close():
    torch_run = harness.Outcome("99 582.650390625\nResult: y = 0.01 + 0.85 x\n", "", 0)
    assert harness.differs_only_in_rounding(
        torch_run, harness.Outcome("99 582.6502685546875\nResult: y = 0.01 + 0.85 x\n", "", 0))
    assert not harness.differs_only_in_rounding(
        torch_run, harness.Outcome("99 590.0\nResult: y = 0.01 + 0.85 x\n", "", 0))
    assert not harness.differs_only_in_rounding(
        torch_run, harness.Outcome("99 582.650390625\nResult: y = 0.01 + 0.85 * x\n", "", 0))
