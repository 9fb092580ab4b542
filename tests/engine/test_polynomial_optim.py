"""PyTorch's ``polynomial_optim.py`` tutorial (nn + optim.SGD, 2,000 steps), as the corpus
holds it (tests/corpus/programs/tutorials_polynomial_optim.py), runs unchanged.

The tutorial draws its initial weights unseeded; the corpus copy seeds them
(``manual_seed(0)``), so both libraries start from the same weights. The
printed losses then agree to a few significant digits, not to the last one:
the weight gradient is a length-2,000 dot product that numpy's BLAS sums in
another order than PyTorch's MKL, and each step carries the difference of the
last bit forward. (The optimiser itself is exact: given the same gradients it
takes PyTorch's steps bit for bit, see test_optim.py.)
"""
import re

import pytest
from corpus_programs import printed

import engine

PROGRAM = "tutorials_polynomial_optim"
NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e-?\d+)?")


# What PyTorch 2.13 (CPU, MKL) prints for the program.
PYTORCH_PRINTS = """\
99 582.650390625
199 394.58843994140625
299 268.3838195800781
399 183.62258911132812
499 126.64836120605469
599 88.31898498535156
699 62.51005935668945
799 45.11578369140625
899 33.38167190551758
999 25.45812225341797
1099 20.102434158325195
1199 16.478708267211914
1299 14.024313926696777
1399 12.360122680664062
1499 11.230517387390137
1599 10.46294116973877
1699 9.940790176391602
1799 9.585173606872559
1899 9.342713356018066
1999 9.177204132080078
""" + ("Result: y = -0.01462855190038681 + "
       "0.8441022634506226 x + 0.0025236690416932106 x^2 + -0.09153266251087189 x^3\n")


def run(library, edits=()):
    return printed(library, PROGRAM, edits).splitlines()


def test_tutorial_runs_and_fits_the_sine():
    lines = run(engine)
    assert [line.split()[0] for line in lines[:-1]] == [str(t) for t in range(99, 2000, 100)]
    assert float(lines[-2].split()[1]) < 10
    assert lines[-1].startswith("Result: y = ")


def test_tutorial_prints_what_pytorch_prints_to_a_few_digits():
    ours = run(engine)
    theirs = PYTORCH_PRINTS.splitlines()
    assert len(ours) == len(theirs)
    for mine, expected in zip(ours[:-1], theirs[:-1]):
        step, loss = mine.split()
        their_step, their_loss = expected.split()
        assert step == their_step
        assert float(loss) == pytest.approx(float(their_loss), rel=1e-4)
    assert NUMBER.sub("#", ours[-1]) == NUMBER.sub("#", theirs[-1])
    coefficients = [float(n) for n in NUMBER.findall(ours[-1])]
    expected = [float(n) for n in NUMBER.findall(theirs[-1])]
    assert coefficients == pytest.approx(expected, rel=1e-4)


def test_pytorch_still_prints_what_is_recorded_here():
    """Only the first lines, and to float32's last few bits: later lines depend on the BLAS
    PyTorch was built with, and the last bits on the processor's vector units (MKL picks
    its kernels by them: on one machine step 199 printed 394.5885009765625)."""
    torch = pytest.importorskip("torch")
    theirs = run(torch, (("range(2000)", "range(300)"),))
    recorded = PYTORCH_PRINTS.splitlines()[:3]
    assert [line.split()[0] for line in theirs[:3]] == [line.split()[0] for line in recorded]
    assert [float(line.split()[1]) for line in theirs[:3]] == pytest.approx(
        [float(line.split()[1]) for line in recorded], rel=1e-6)
