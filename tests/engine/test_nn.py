"""``engine.nn`` against ``torch.nn``: every case of ``nn_cases`` runs on both
libraries and must observe the same reprs, names, values, gradients, hook
calls, warnings and error texts."""
import nn_cases
import pytest

import engine


@pytest.mark.parametrize("case_id, fn", nn_cases.CASES, ids=[c[0] for c in nn_cases.CASES])
def test_against_torch(case_id, fn):
    ours = fn(engine)
    torch = pytest.importorskip("torch")
    assert ours == fn(torch)


def test_cases_are_many():
    assert len(nn_cases.CASES) >= 100
