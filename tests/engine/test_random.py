"""Random numbers: after ``manual_seed`` the engine draws PyTorch's numbers.

Bit for bit for ``rand``, ``randint`` and ``randn`` (float32 under 16 values,
float64 at any size); float32 ``randn`` of 16 values or more may differ in the
last bit (PyTorch's vectorised log/sin/cos), so it is compared closely and as
printed.
"""
import numpy as np
import pytest

import engine

EXACT_DRAWS = {
    "rand": lambda m: m.rand(3),
    "rand_2d_float64": lambda m: m.rand(2, 3, dtype=m.float64),
    "rand_half": lambda m: m.rand(5, dtype=m.float16),
    "randn_3x3": lambda m: m.randn(3, 3),
    "randn_odd": lambda m: m.randn(5),
    "randn_float64_16": lambda m: m.randn(16, dtype=m.float64),
    "randn_float64_tail": lambda m: m.randn(4, 9, dtype=m.float64),
    "randint": lambda m: m.randint(0, 10, (7,)),
    "randint_negative_low": lambda m: m.randint(-5, 5, (2, 3)),
    "randint_wide": lambda m: m.randint(-3, 2 ** 40, (3,)),
    "randint_high_only": lambda m: m.randint(6, (4,)),
    "randint_int32": lambda m: m.randint(0, 100, (3,), dtype=m.int32),
    # In-place fills, Tensor's and nn.init's (one implementation): bounds and span rounded to
    # the dtype, scaled and shifted by a fused multiply-add where PyTorch's kernel fuses.
    "uniform_float32_asymmetric": lambda m: m.empty(40).uniform_(-0.3, 1.7),
    "uniform_float64": lambda m: m.empty(40, dtype=m.float64).uniform_(0.1, 0.7),
    "init_uniform": lambda m: m.nn.init.uniform_(m.empty(5, 8), -0.3, 1.7),
    "init_xavier_uniform": lambda m: m.nn.init.xavier_uniform_(m.empty(7, 9)),
    "normal_float32_small": lambda m: m.empty(10).normal_(0.3, 0.1234567),
    "normal_float64_small": lambda m: m.empty(10, dtype=m.float64).normal_(0.3, 0.1234567),
    "normal_float64_blocks": lambda m: m.empty(40, dtype=m.float64).normal_(-1.5, 3.3),
    "init_normal_float64": lambda m: m.nn.init.normal_(m.empty(6, 7, dtype=m.float64), 0.2,
                                                       0.0441941738),
}


@pytest.mark.parametrize("seed", [0, 1, 42, 2 ** 40 + 3])
@pytest.mark.parametrize("name", sorted(EXACT_DRAWS))
def test_draws_match_torch_bit_for_bit(name, seed):
    """Three draws in a row: the generator's state (and randn's cached value) carries over."""
    torch = pytest.importorskip("torch")
    draw = EXACT_DRAWS[name]
    torch.manual_seed(seed)
    theirs = [draw(torch).numpy() for _ in range(3)]
    engine.manual_seed(seed)
    ours = [draw(engine).numpy() for _ in range(3)]
    for a, b in zip(ours, theirs, strict=True):
        assert a.dtype == b.dtype and a.shape == b.shape
        assert a.tobytes() == b.tobytes()


@pytest.mark.parametrize("shape", [(16,), (4, 5), (50, 50)])
def test_float32_randn_of_16_or_more_matches_torch_as_printed(shape):
    torch = pytest.importorskip("torch")
    torch.manual_seed(7)
    theirs = torch.randn(*shape)
    engine.manual_seed(7)
    ours = engine.randn(*shape)
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6, atol=1e-7)
    assert str(ours) == str(theirs)


FILL_ERRORS = [
    lambda m: m.empty(3).uniform_(0.123456789, -1.5),
    lambda m: m.empty(3).uniform_(1e20, 1),
    lambda m: m.nn.init.uniform_(m.empty(3), 2.0, 1.0),
    lambda m: m.empty(3).normal_(0, -0.123456789),
    lambda m: m.nn.init.normal_(m.empty(3), 0, -1e-7),
    lambda m: m.empty(3).exponential_(-0.123456789),
    lambda m: m.empty(3).bernoulli_(1.23456789),
]


@pytest.mark.parametrize("fill", FILL_ERRORS)
def test_fill_errors_print_bounds_as_pytorch(fill):
    """Bounds in the messages as C++ prints a double: six significant digits."""
    torch = pytest.importorskip("torch")
    texts = []
    for m in (torch, engine):
        with pytest.raises(RuntimeError) as error:
            fill(m)
        texts.append(str(error.value))
    assert texts[0] == texts[1]


def test_the_best_known_seed_without_torch():
    """``torch.manual_seed(0); torch.randn(3)`` is in countless tutorials."""
    engine.manual_seed(0)
    assert engine.randn(3).tolist() == [1.5409960746765137, -0.293428897857666, -2.1787893772125244]


def test_generators_are_independent_and_start_where_torch_starts():
    torch = pytest.importorskip("torch")
    ours, theirs = engine.Generator(), torch.Generator()
    assert ours.initial_seed() == theirs.initial_seed()
    assert engine.randn(3, generator=ours).numpy().tobytes() == \
        torch.randn(3, generator=theirs).numpy().tobytes()
    engine.manual_seed(5)
    first = engine.rand(2)
    engine.Generator().manual_seed(9)  # another generator's draws leave the default alone
    engine.manual_seed(5)
    assert engine.rand(2).tolist() == first.tolist()


def test_seed_and_initial_seed():
    chosen = engine.seed()
    assert engine.initial_seed() == chosen
    assert engine.manual_seed(123).initial_seed() == 123


def test_randint_with_an_empty_range_is_an_error():
    with pytest.raises(RuntimeError, match="random_ expects 'from' to be less than 'to'"):
        engine.randint(5, 5, (2,))


def test_the_random_module_seeds_the_default_generator():
    """``torch.random.manual_seed`` and ``torch.manual_seed`` are one thing."""
    engine.random.manual_seed(0)
    first = engine.randn(3).tolist()
    engine.manual_seed(0)
    assert engine.randn(3).tolist() == first
    assert engine.default_generator is engine.random.default_generator
    assert engine.random.initial_seed() == engine.initial_seed() == 0
