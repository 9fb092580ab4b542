"""Pointwise ops, clamp/maximum/where, and the in-place writes zero_/fill_/copy_.

Each case is ``(id, fn(module, *tensors), input arrays)``: finite differences
check its gradients always, PyTorch checks values, dtypes, graphs and
gradients when installed. Inputs stay away from kinks (0 for relu/abs, the
clamp bounds) so that finite differences are meaningful.
"""
import numpy as np
import opcheck
import pytest

import engine

X = np.array([[-1.3, 0.4, 2.1], [0.7, -0.2, 1.6]])
Y = np.array([[0.5, -0.9, 1.1], [-1.4, 0.8, 0.3]])
POS = np.array([[0.3, 1.7, 2.4], [0.9, 1.2, 0.6]])
ROW = np.array([0.2, -0.5, 1.9])
SCALAR = np.array(0.45)
INTS = np.array([[1, -2, 3], [0, 4, -1]])
BOOLS = np.array([[True, False, True], [False, True, True]])

CASES = [
    ("exp", lambda m, x: m.exp(x), [X]),
    ("exp-method", lambda m, x: x.exp(), [X]),
    ("exp2", lambda m, x: m.exp2(x), [X]),
    ("expm1", lambda m, x: m.expm1(x), [X]),
    ("log", lambda m, x: m.log(x), [POS]),
    ("log2", lambda m, x: m.log2(x), [POS]),
    ("log10", lambda m, x: m.log10(x), [POS]),
    ("log1p", lambda m, x: m.log1p(x), [POS]),
    ("sqrt", lambda m, x: m.sqrt(x), [POS]),
    ("rsqrt", lambda m, x: m.rsqrt(x), [POS]),
    ("square", lambda m, x: m.square(x), [X]),
    ("sin", lambda m, x: m.sin(x), [X]),
    ("cos", lambda m, x: m.cos(x), [X]),
    ("tan", lambda m, x: m.tan(x), [X * 0.5]),
    ("tanh", lambda m, x: m.tanh(x), [X]),
    ("sigmoid", lambda m, x: m.sigmoid(x), [X]),
    ("relu", lambda m, x: m.relu(x), [X]),
    ("abs", lambda m, x: m.abs(x), [X]),
    ("abs-operator", lambda m, x: abs(x), [X]),
    ("sign", lambda m, x: m.sign(x), [X]),
    ("erf", lambda m, x: m.erf(x), [X]),
    ("floor", lambda m, x: m.floor(x), [X]),
    ("ceil", lambda m, x: m.ceil(x), [X]),
    ("round", lambda m, x: m.round(x), [X]),
    ("round-decimals", lambda m, x: m.round(x, decimals=1), [X + 0.02]),
    ("trunc", lambda m, x: m.trunc(x), [X]),
    ("frac", lambda m, x: m.frac(x), [X]),
    ("scalar-input", lambda m, x: m.exp(x) * m.sin(x), [SCALAR]),
    ("chain", lambda m, x: m.sigmoid(m.tanh(x) * m.exp(x)).log(), [X]),
    ("clamp-both", lambda m, x: m.clamp(x, -1.0, 1.0), [X]),
    ("clamp-min", lambda m, x: x.clamp(min=0.1), [X]),
    ("clamp-max", lambda m, x: x.clamp(max=0.5), [X]),
    ("clamp-int-bounds", lambda m, x: x.clamp(0, 1), [X]),
    ("clip", lambda m, x: x.clip(-1, 1), [X]),
    ("clamp-min-above-max", lambda m, x: x.clamp(1.0, 0.0), [X]),
    ("clamp-tensors", lambda m, x, lo, hi: m.clamp(x, lo, hi), [X, Y - 0.5, Y + 0.55]),
    ("clamp-tensor-min", lambda m, x, lo: m.clamp(x, min=lo), [X, Y]),
    ("clamp-tensor-max-broadcast", lambda m, x, hi: m.clamp(x, max=hi), [X, ROW]),
    ("clamp-min-number", lambda m, x: x.clamp_min(0.1), [X]),
    ("clamp-max-number", lambda m, x: x.clamp_max(0.1), [X]),
    ("clamp-min-tensor", lambda m, x, lo: x.clamp_min(lo), [X, Y]),
    ("clamp-max-tensor", lambda m, x, hi: m.clamp_max(x, hi), [X, ROW]),
    ("maximum", lambda m, x, y: m.maximum(x, y), [X, Y]),
    ("minimum-broadcast", lambda m, x, y: m.minimum(x, y), [X, ROW]),
    ("maximum-int", lambda m, x, i: m.maximum(x, i), [X, INTS]),
    ("where", lambda m, x, y: m.where(x > y, x, y), [X, Y]),
    ("where-scalar-other", lambda m, x: m.where(x > 0, x, 0.0), [X]),
    ("where-scalar-input", lambda m, x: m.where(x > 0, 1.5, x), [X]),
    ("where-broadcast", lambda m, x, r: m.where(x > 0.5, x, r), [X, ROW]),
    ("where-method", lambda m, x, y: x.where(y > 0, y), [X, Y]),
    ("where-bool-mask", lambda m, x, b: m.where(b, x, -x), [X, BOOLS]),
    ("where-0dim", lambda m, x, s: m.where(x > 0, x, s), [X, SCALAR]),
    ("int-exp", lambda m, i, x: m.exp(i) + x, [INTS, X]),
    # In-place variants: the new node's edge goes to the node the tensor had before.
    ("exp_", lambda m, x: x.clone().exp_(), [X]),
    ("log_", lambda m, x: x.clone().log_(), [POS]),
    ("sqrt_", lambda m, x: x.clone().sqrt_(), [POS]),
    ("tanh_", lambda m, x: x.clone().tanh_(), [X]),
    ("sigmoid_", lambda m, x: (x * 2).sigmoid_(), [X]),
    ("relu_", lambda m, x: m.relu_(x.clone()), [X]),
    ("abs_", lambda m, x: x.clone().abs_(), [X]),
    ("clamp_", lambda m, x: x.clone().clamp_(-1, 1), [X]),
    ("clamp_-tensor", lambda m, x, lo: x.clone().clamp_(lo), [X, Y]),
    ("exp_-then-use", lambda m, x: x.clone().exp_() * x, [X]),
    ("zero_", lambda m, x: x.clone().zero_() + x, [X]),
    ("fill_-number", lambda m, x: x.clone().fill_(2.5) * x, [X]),
    ("fill_-tensor", lambda m, x, s: x.clone().fill_(s) * x, [X, SCALAR]),
    ("fill_-tensor-sum", lambda m, x, y: x.clone().fill_(y.sum()), [X, Y]),
    ("copy_", lambda m, x, y: x.clone().copy_(y), [X, Y]),
    ("copy_-broadcast", lambda m, x, r: (x * 1).copy_(r), [X, ROW]),
    ("copy_-into-untracked", lambda m, x: m.zeros(2, 3, dtype=m.float64).copy_(x), [X]),
]
IDS = [case[0] for case in CASES]


@pytest.mark.parametrize("case_id, fn, arrays", CASES, ids=IDS)
def test_gradients(case_id, fn, arrays):
    opcheck.check_gradients(fn, arrays)


@pytest.mark.parametrize("case_id, fn, arrays", CASES, ids=IDS)
def test_against_torch(case_id, fn, arrays):
    torch = pytest.importorskip("torch")
    opcheck.check_against_torch(torch, fn, arrays)


# PyTorch only: integer and bool inputs cannot require grad, and float32 is too
# coarse for finite differences.
TORCH_ONLY_CASES = [
    ("float32", lambda m, x: x.float().exp().double(), [X]),
    ("float32-mixed-float64", lambda m, x, y: m.maximum(x.float(), y), [X, Y]),
    ("copy_-float32-src", lambda m, x, y: x.clone().copy_(y.float()), [X, Y]),
    ("copy_-untracked-src", lambda m, x, y: x.clone().copy_(y.detach()), [X, Y]),
    ("int-exp-is-float32", lambda m, i: m.exp(i), [INTS]),
    ("int-sqrt", lambda m, i: m.sqrt(m.abs(i)), [INTS]),
    ("bool-sigmoid", lambda m, b: m.sigmoid(b), [BOOLS]),
    ("int-abs", lambda m, i: m.abs(i), [INTS]),
    ("int-sign", lambda m, i: i.sign(), [INTS]),
    ("bool-sign", lambda m, b: b.sign(), [BOOLS]),
    ("int-relu", lambda m, i: m.relu(i), [INTS]),
    ("int-floor", lambda m, i: m.floor(i), [INTS]),
    ("int-round", lambda m, i: i.round(), [INTS]),
    ("int-square", lambda m, i: i.square(), [INTS]),
    ("bool-square", lambda m, b: b.square(), [BOOLS]),
    ("int-clamp-float", lambda m, i: i.clamp(0.5), [INTS]),
    ("int-clamp-int", lambda m, i: i.clamp(0, 2), [INTS]),
    ("where-scalars-float", lambda m, b: m.where(b, 1.0, 0.0), [BOOLS]),
    ("where-scalars-int", lambda m, b: m.where(b, 1, 0), [BOOLS]),
    ("where-int-float-scalar", lambda m, b, i: m.where(b, i, 1.5), [BOOLS, INTS]),
    ("where-one-argument", lambda m, b: m.where(b), [BOOLS]),
    ("int-maximum", lambda m, i: m.maximum(i, -i), [INTS]),
    ("int-fill_-float", lambda m, i: i.clone().fill_(2.7), [INTS]),
    ("int-copy_-float", lambda m, i: i.clone().copy_(i * 1.5), [INTS]),
    ("int-relu_", lambda m, i: i.clone().relu_(), [INTS]),
    ("int-abs_", lambda m, i: i.clone().abs_(), [INTS]),
    ("log-of-negative-is-nan", lambda m, i: m.log(i.double()), [INTS]),
    ("clamp-nan", lambda m, i: (i.double().log()).clamp(0, 1), [INTS]),
]


@pytest.mark.parametrize("case_id, fn, arrays", TORCH_ONLY_CASES,
                         ids=[c[0] for c in TORCH_ONLY_CASES])
def test_torch_only_cases(case_id, fn, arrays):
    torch = pytest.importorskip("torch")
    opcheck.check_against_torch(torch, fn, arrays)


ERROR_CASES = [
    ("clamp-no-bounds", lambda m, x: m.clamp(x), [X]),
    ("clamp-bad-broadcast", lambda m, x: m.clamp(x, m.zeros(4, dtype=m.float64)), [X]),
    ("maximum-number", lambda m, x: m.maximum(x, 2), [X]),
    ("maximum-bad-broadcast", lambda m, x, y: m.maximum(x, y[:, :2]), [X, Y]),
    ("where-float-condition", lambda m, x: m.where(x, x, x), [X]),
    ("where-int-condition", lambda m, i, x: m.where(i, x, x), [INTS, X]),
    ("where-bad-broadcast", lambda m, x, y: m.where(x > 0, x, y[:, :2]), [X, Y]),
    ("where-bad-condition", lambda m, x: m.where(x[:, :2] > 0, x, x), [X]),
    ("abs-bool", lambda m, b: m.abs(b), [BOOLS]),
    ("relu-bool", lambda m, b: m.relu(b), [BOOLS]),
    ("round-decimals-int", lambda m, i: i.round(decimals=1), [INTS]),
    ("exp_-leaf", lambda m, x: x.exp_(), [X]),
    ("zero_-leaf", lambda m, x: x.zero_(), [X]),
    ("fill_-leaf", lambda m, x: x.fill_(1.0), [X]),
    ("copy_-leaf", lambda m, x, y: x.copy_(y), [X, Y]),
    ("exp_-int", lambda m, i: i.exp_(), [INTS]),
    ("sqrt_-int", lambda m, i: i.sqrt_(), [INTS]),
    ("fill_-1d-value", lambda m, x: x.clone().fill_(x[0]), [X]),
    ("copy_-bad-broadcast", lambda m, x, y: x.clone().copy_(y[:, :2]), [X, Y]),
    ("copy_-larger-src", lambda m, x, r: r.clone().copy_(x), [X, ROW]),
]


@pytest.mark.parametrize("case_id, fn, arrays", ERROR_CASES, ids=[c[0] for c in ERROR_CASES])
def test_errors(case_id, fn, arrays):
    torch = pytest.importorskip("torch")
    opcheck.check_error(torch, fn, arrays)


# --------------------------------------------------------------- in-place state
@pytest.mark.parametrize("name, args", [("exp_", ()), ("clamp_", (0.0, 1.0)), ("zero_", ()),
                                         ("fill_", (3.0,)), ("relu_", ()), ("sigmoid_", ())])
def test_inplace_bumps_version_and_replaces_grad_fn(name, args):
    x = engine.tensor(X, requires_grad=True)
    y = x * 1
    before = y.grad_fn
    result = getattr(y, name)(*args)
    assert result is y
    assert y._version == 1
    assert y.grad_fn is not before
    assert y.grad_fn.next_functions[0][0] is before


def test_inplace_on_leaf_allowed_under_no_grad():
    x = engine.tensor(X, requires_grad=True)
    with engine.no_grad():
        x.exp_()
        x.clamp_(max=2.0)
        x.zero_()
    assert x.is_leaf and x.requires_grad and x.grad_fn is None
    assert x._version == 3
    assert not np.any(x.detach().numpy())


def test_inplace_invalidates_saved_input():
    torch = pytest.importorskip("torch")

    def fn(m, x):
        y = x * 1
        z = y.sin()  # saves y
        y.exp_()
        z.sum().backward()
    opcheck.check_error(torch, fn, [X])


def test_copy_gradient_reaches_only_the_source():
    x = engine.tensor(X, requires_grad=True)
    y = engine.tensor(ROW, requires_grad=True)
    target = x * 2
    target.copy_(y)
    target.sum().backward()
    assert np.all(x.grad.numpy() == 0)
    np.testing.assert_allclose(y.grad.numpy(), [2.0, 2.0, 2.0])


def test_where_condition_is_saved():
    x = engine.tensor(X, requires_grad=True)
    y = engine.where(x > 0, x, 0.0)
    condition = y.grad_fn._saved_condition
    assert condition.dtype is engine.bool
    np.testing.assert_array_equal(condition.numpy(), X > 0)


def test_clamp_saves_bounds_like_torch():
    x = engine.tensor(X, requires_grad=True)
    node = x.clamp(0, 1).grad_fn
    assert (node._saved_min, node._saved_max) == (0, 1)
    assert x.clamp_min(0.5).grad_fn._saved_min == 0.5


# ---------------------------------------------------------- double backward
DOUBLE_BACKWARD = [
    ("tanh", lambda m, x: m.tanh(x), [X]),
    ("sigmoid", lambda m, x: m.sigmoid(x), [X]),
    ("exp", lambda m, x: m.exp(x), [X]),
    ("pow", lambda m, x: x ** 3, [X]),
    ("log", lambda m, x: m.log(x), [POS]),
    ("sin", lambda m, x: m.sin(x), [X]),
    ("sqrt", lambda m, x: m.sqrt(x), [POS]),
    ("rsqrt", lambda m, x: m.rsqrt(x), [POS]),
    ("tan", lambda m, x: m.tan(x), [X * 0.5]),
    ("erf", lambda m, x: m.erf(x), [X]),
    ("clamp", lambda m, x: m.clamp(x, -1, 1) * x, [X]),
    ("where", lambda m, x: m.where(x > 0, x * x, x), [X]),
    ("maximum", lambda m, x, y: m.maximum(x * x, y), [X, Y]),
]


def _first_derivative(op):
    def fn(m, *xs):
        with m.enable_grad():  # finite differences call this under no_grad
            out = op(m, *xs)
            return m.autograd.grad(out.sum(), xs, create_graph=True)[0]
    return fn


@pytest.mark.parametrize("case_id, op, arrays", DOUBLE_BACKWARD, ids=[c[0] for c in DOUBLE_BACKWARD])
def test_double_backward_gradcheck(case_id, op, arrays):
    opcheck.check_gradients(_first_derivative(op), arrays)


@pytest.mark.parametrize("case_id, op, arrays", DOUBLE_BACKWARD, ids=[c[0] for c in DOUBLE_BACKWARD])
def test_double_backward_against_torch(case_id, op, arrays):
    torch = pytest.importorskip("torch")
    results = []
    for module, make in ((engine, opcheck.engine_tensors), (torch, None)):
        inputs = make(arrays) if make else opcheck.torch_tensors(torch, arrays)
        first = _first_derivative(op)(module, *inputs)
        second = module.autograd.grad(first.sum(), inputs, allow_unused=True)
        results.append([np.asarray(first.detach())] +
                       [np.asarray(g.detach()) if g is not None else None for g in second])
    for got, expected in zip(*results, strict=True):
        if expected is None:
            assert got is None or not np.any(got)
        else:
            np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-8)


CLAMP_CAST_ERRORS = {
    "number bound": lambda m: m.tensor([1, 2]).clamp_(0.5),
    "max only": lambda m: m.tensor([1, 2]).clamp_(max=1.5),
    "clip_": lambda m: m.tensor([1, 2]).clip_(0.5),
    "clamp_min_": lambda m: m.tensor([1, 2]).clamp_min_(0.5),
    "uint8": lambda m: m.tensor([1, 2], dtype=m.uint8).clamp_(0.5),
    "bool": lambda m: m.tensor([True]).clamp_(0.5),
    "number and tensor": lambda m: m.tensor([1, 2]).clamp_(0.5, m.tensor(2.0)),
    "tensor bound": lambda m: m.tensor([1, 2]).clamp_min_(m.tensor(0.5)),
}


@pytest.mark.parametrize("case", sorted(CLAMP_CAST_ERRORS))
def test_inplace_clamp_of_integers_to_a_float_bound_raises_like_torch(case):
    """With a number bound PyTorch names the target's type as C++ does (``long int``)."""
    torch = pytest.importorskip("torch")
    messages = []
    for library in (torch, engine):
        with pytest.raises(RuntimeError) as caught:
            CLAMP_CAST_ERRORS[case](library)
        messages.append(str(caught.value))
    assert messages[0] == messages[1]
