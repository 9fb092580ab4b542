"""PyTorch's nn examples and its "Build the Neural Network" tutorial, as the
corpus holds them (tests/corpus/programs/), run on engine and on real PyTorch.

``jcjohnson_two_layer_net_nn`` (a Sequential of Linear, ReLU, Linear, a summed
MSELoss and a hand-written SGD step under ``no_grad``; its layers a tenth as
wide here, to keep the test quick) and ``tutorials_polynomial_module`` (a
Module subclass holding four 0-d Parameters, trained by ``optim.SGD``) print
their losses. The printed lines must agree word for word; the numbers in them
to a relative 1e-3: the weights start bit for bit equal, but float32 sums
accumulate in a different order in numpy and in PyTorch, so the last digits
drift over hundreds of steps (which is why the corpus lists them as differing).
"""
import pytest
from corpus_programs import printed

import engine

TWO_LAYER_NET_NN = "jcjohnson_two_layer_net_nn"
NARROWER = (("N, D_in, H, D_out = 64, 1000, 100, 10", "N, D_in, H, D_out = 64, 100, 10, 10"),)
POLYNOMIAL_MODULE = "tutorials_polynomial_module"
EXAMPLES = {TWO_LAYER_NET_NN: NARROWER, POLYNOMIAL_MODULE: ()}
# The tutorial imports DataLoader without using it; engine has no torch.utils.data.
BUILD_MODEL_TUTORIAL = "tutorials_buildmodel"
WITHOUT_DATA_LOADER = (("from torch.utils.data import DataLoader\n", ""),)


def _words(text):
    """Words, with numbers as floats; object addresses dropped."""
    words = []
    for word in text.replace("(", " ( ").split():
        if word.startswith("0x"):
            continue
        try:
            words.append(float(word))
        except ValueError:
            words.append(word)
    return words


def _same_output(ours, theirs):
    ours, theirs = _words(ours), _words(theirs)
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        if isinstance(b, float):
            assert a == pytest.approx(b, rel=1e-3), (a, b)
        else:
            assert a == b


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_example_prints_what_torch_prints(name):
    ours = printed(engine, name, EXAMPLES[name])
    torch = pytest.importorskip("torch")
    _same_output(ours, printed(torch, name, EXAMPLES[name]))


def test_build_model_tutorial_prints_exactly_what_torch_prints():
    """Every printed character agrees: seeded weights, tensors printed to four decimals."""
    ours = printed(engine, BUILD_MODEL_TUTORIAL, WITHOUT_DATA_LOADER)
    torch = pytest.importorskip("torch")
    assert ours == printed(torch, BUILD_MODEL_TUTORIAL, WITHOUT_DATA_LOADER)


def _first_loss(text):
    """The loss a program prints first (``0 <loss>`` or ``99 <loss>``)."""
    return float(next(line for line in text.splitlines()
                      if line.split()[:1] in (["0"], ["99"])).split()[1])


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_first_losses_agree_closely(name):
    """Before the drift: the first printed loss of each example to a relative 1e-6."""
    torch = pytest.importorskip("torch")
    ours = _first_loss(printed(engine, name, EXAMPLES[name]))
    assert ours == pytest.approx(_first_loss(printed(torch, name, EXAMPLES[name])), rel=1e-6)
