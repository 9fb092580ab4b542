"""PyTorch's own nn/optim examples print PyTorch's losses on the engine, with the same seeds.

The five programs of "Learning PyTorch with Examples" that the engine issue names
(corpus copies, origins in their headers) run under PyTorch and under engine as
``torch``; every printed line has the same words, and every number agrees within
float32 drift: the weights start bit for bit alike, but numpy's BLAS sums a
product in another order than PyTorch's, so the last digits part over the steps.
"""
import math

import pytest

from tests.corpus import harness

EXAMPLES = ["tutorials_polynomial_module", "tutorials_polynomial_optim", "jcjohnson_two_layer_net_nn",
            "jcjohnson_two_layer_net_optim", "tutorials_dynamic_net"]
FLOAT32_DRIFT = {"rel_tol": 2e-3, "abs_tol": 1e-3}


@pytest.fixture(scope="module")
def outcomes():
    pytest.importorskip("torch")
    return harness.run_corpus(EXAMPLES)


@pytest.mark.parametrize("name", EXAMPLES)
def test_the_example_prints_pytorchs_losses(outcomes, name):
    theirs, ours = outcomes["torch"][name], outcomes["engine"][name]
    assert ours.status == theirs.status == 0, ours.stderr
    assert harness.NUMBER.sub("#", ours.stdout) == harness.NUMBER.sub("#", theirs.stdout)
    expected, actual = harness.NUMBER.findall(theirs.stdout), harness.NUMBER.findall(ours.stdout)
    assert len(expected) == len(actual) > 10
    for a, b in zip(expected, actual):
        assert math.isclose(float(a), float(b), **FLOAT32_DRIFT), (a, b)
