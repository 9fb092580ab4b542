"""Pointwise ops of two tensors, one row each: every check such an op needs runs from its row.

A row is ``(name, y, x)``: ``name`` is the op as ``torch.<name>(y, x)``, ``y.<name>(x)`` and
``y.<name>_(x)``, and ``y``, ``x`` are float64 operands at which its gradients are smooth.
From the row alone: values, dtypes, grad_fn graphs and gradients against PyTorch, by
function, method, in place and broadcast; finite-difference gradcheck of the gradients and of
their gradients (double backward); PyTorch's dtype promotion over integer, bool, half and
mixed operands; PyTorch's errors for a number operand, shapes that do not broadcast and an
in-place change of a leaf; the node's array fast path against its tensor formula, bit for bit
on zeros, infinities and nan; the formula and chain-rule text the inspector shows.
"""
import warnings

import numpy as np
import opcheck
import pytest

import engine
from engine.autograd.derivative import derivative_of

Y = np.array([[-1.3, 0.4, 2.1], [0.7, -0.2, 1.6]])
X = np.array([[0.5, -0.9, 1.1], [-1.4, 0.8, 0.3]])

BINARY_OPS = [
    ("atan2", Y, X),
]
IDS = [row[0] for row in BINARY_OPS]


def binary_nodes():
    """The names of the nodes the rows' ops record (``Atan2Backward0``)."""
    operand = engine.ones(1, requires_grad=True)
    return {type(getattr(engine, name)(operand, operand).grad_fn).__name__ for name, *_ in BINARY_OPS}


def by_function(name):
    return lambda m, y, x: getattr(m, name)(y, x)


def by_method(name):
    return lambda m, y, x: getattr(y, name)(x)


def in_place(name):
    return lambda m, y, x: getattr(y * 1, name + "_")(x)


def broadcast(name):
    return lambda m, y, x: getattr(m, name)(y, x[0])  # (2, 3) with (3,)


FORMS = {"function": by_function, "method": by_method, "in place": in_place,
         "broadcast": broadcast}


@pytest.mark.parametrize("form", list(FORMS))
@pytest.mark.parametrize("name, y, x", BINARY_OPS, ids=IDS)
def test_against_torch(name, y, x, form):
    torch = pytest.importorskip("torch")
    opcheck.check_against_torch(torch, FORMS[form](name), [y, x])


@pytest.mark.parametrize("form", ["function", "broadcast"])
@pytest.mark.parametrize("name, y, x", BINARY_OPS, ids=IDS)
def test_gradients_by_finite_differences(name, y, x, form):
    opcheck.check_gradients(FORMS[form](name), [y, x])


def _first_derivatives(name):
    def fn(m, y, x):
        with m.enable_grad():  # finite differences call this under no_grad
            out = getattr(m, name)(y * y, x)  # y * y: the gradients then depend on y's history
            return m.autograd.grad(out.sum(), (y, x), create_graph=True)
    return fn


@pytest.mark.parametrize("name, y, x", BINARY_OPS, ids=IDS)
def test_double_backward_by_finite_differences(name, y, x):
    first = _first_derivatives(name)
    opcheck.check_gradients(lambda m, y, x: first(m, y, x)[0] + first(m, y, x)[1], [y, x])


@pytest.mark.parametrize("name, y, x", BINARY_OPS, ids=IDS)
def test_double_backward_against_torch(name, y, x):
    torch = pytest.importorskip("torch")
    opcheck.check_against_torch(torch, _first_derivatives(name), [y, x])


INTS = np.array([[1, -2, 3], [0, 4, -1]])
BOOLS = np.array([[True, False, True], [False, True, True]])
# Operand pairs by dtype: (y, x) as each library makes them from the row's arrays.
DTYPE_PAIRS = {
    "int, int": lambda m, y, x: (m.tensor(INTS), m.tensor(INTS[::-1].copy())),
    "int, float32": lambda m, y, x: (m.tensor(INTS), m.tensor(x, dtype=m.float32)),
    "bool, int": lambda m, y, x: (m.tensor(BOOLS), m.tensor(INTS)),
    "float32, 0-d float64": lambda m, y, x: (m.tensor(y, dtype=m.float32), m.tensor(0.75)),
    "float16, float32": lambda m, y, x: (m.tensor(y, dtype=m.float16), m.tensor(x, dtype=m.float32)),
    "float16, float16": lambda m, y, x: (m.tensor(y, dtype=m.float16), m.tensor(x, dtype=m.float16)),
}


@pytest.mark.parametrize("pair", list(DTYPE_PAIRS))
@pytest.mark.parametrize("name, y, x", BINARY_OPS, ids=IDS)
def test_dtype_promotion_against_torch(name, y, x, pair):
    torch = pytest.importorskip("torch")
    results = [getattr(m, name)(*DTYPE_PAIRS[pair](m, y, x)) for m in (engine, torch)]
    assert str(results[0].dtype) == str(results[1].dtype)
    tolerance = 1e-3 if "float16" in pair else 1e-6
    np.testing.assert_allclose(results[0].double().numpy(), results[1].double().numpy(),
                               rtol=tolerance)


ERRORS = {
    "number other": lambda name: lambda m, y, x: getattr(m, name)(y, 2),
    "number input": lambda name: lambda m, y, x: getattr(m, name)(2.5, x),
    "shapes that do not broadcast": lambda name: lambda m, y, x: getattr(m, name)(y, x[:, :2]),
    "in place on a leaf": lambda name: lambda m, y, x: getattr(y, name + "_")(x),
    "in place into an integer tensor": lambda name: lambda m, y, x: getattr(
        m.tensor(INTS), name + "_")(x.detach()),
    "in place into a smaller tensor": lambda name: lambda m, y, x: getattr(
        y[0].detach(), name + "_")(x.detach()),
}


@pytest.mark.parametrize("error", list(ERRORS))
@pytest.mark.parametrize("name, y, x", BINARY_OPS, ids=IDS)
def test_errors_against_torch(name, y, x, error):
    torch = pytest.importorskip("torch")
    opcheck.check_error(torch, ERRORS[error](name), [y, x])


RNG = np.random.default_rng(3)
SPECIALS = [0.0, -0.0, np.inf, -np.inf, np.nan, 1e4, -3.0]


def _with_specials(shape, dtype):
    data = RNG.standard_normal(shape).astype(dtype)
    flat = data.reshape(-1)
    for i, value in enumerate(SPECIALS):
        flat[(i * 3) % flat.size] = value
    return data


def _gradients(name, arrays, seed, create_graph):
    leaves = [engine.from_numpy(a.copy()).requires_grad_() for a in arrays]
    out = getattr(engine, name)(*leaves)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # neither path may warn
        grads = engine.autograd.grad(out, leaves, engine.from_numpy(seed.copy()),
                                     create_graph=create_graph)
    return [(str(g.dtype), g.detach().numpy().tobytes()) for g in grads]


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.float16])
@pytest.mark.parametrize("name, y, x", BINARY_OPS, ids=IDS)
def test_array_path_matches_tensor_formula_bit_for_bit(name, y, x, dtype):
    for shapes in (((4, 5), (4, 5)), ((4, 5), (5,)), ((), (3,))):
        arrays = [_with_specials(shape, dtype) for shape in shapes]
        arrays[1][...] = np.roll(arrays[1], 1)  # a zero against a zero, an inf against a nan
        seed = _with_specials(np.broadcast_shapes(*shapes), dtype)
        fast = _gradients(name, arrays, seed, create_graph=False)  # backward_arrays
        recorded = _gradients(name, arrays, seed, create_graph=True)  # backward, as engine ops
        assert fast == recorded


@pytest.mark.parametrize("name, y, x", BINARY_OPS, ids=IDS)
def test_the_inspector_has_a_formula_and_chain_rule_labels(name, y, x):
    node = getattr(engine, name)(engine.tensor(y, requires_grad=True),
                                 engine.tensor(x, requires_grad=True)).grad_fn
    derivative = derivative_of(type(node).__name__)
    assert type(node).formula.startswith("self: grad")
    for slot in (0, 1):
        assert derivative.local_text(slot, {"self": "y", "other": "x"})
