"""Published autograd programs open in the app and print there what they print on the engine.

The corpus (tests/corpus, origins in each file's header) runs through the app's
own path: the parser turns it into steps and code blocks, the sandbox walks it.
Every program must open; every program the engine runs exactly as PyTorch does
(``expected.MATCHING``) must print the same through the app.
"""
import pytest

from tests.corpus import expected, harness
from tests.corpus.app_run import APP_DIFFERING, printed_in_app


@pytest.mark.parametrize("name", harness.program_names())
def test_every_corpus_program_opens_in_the_app(name):
    from explorer.program.files import load_document
    document = load_document(harness.program_path(name))
    assert document.source_error is None, document.source_error
    assert document.program.steps


def test_programs_the_app_runs_otherwise_are_few_and_named():
    assert set(APP_DIFFERING) <= set(harness.program_names())
    assert len(APP_DIFFERING) <= 2


@pytest.fixture(scope="module")
def engine_outcomes():
    return harness.run_corpus(sorted(expected.MATCHING), libraries=("engine",))["engine"]


@pytest.mark.parametrize("name", sorted(expected.MATCHING - set(APP_DIFFERING)))
def test_the_app_prints_what_the_engine_prints(name, engine_outcomes):
    outcome = printed_in_app(name)
    assert outcome.opened
    assert outcome.stdout == engine_outcomes[name].stdout
    assert bool(outcome.error) == (engine_outcomes[name].status != 0), outcome.error
