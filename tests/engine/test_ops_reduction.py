"""Reductions: prod, var, std, norm, extremes, the softmax family, cumsum, all/any.

Each line of a table is one case, checked by finite differences and (when
PyTorch is installed) against PyTorch: values, dtype, graph and gradients.
"""
import math

import numpy as np
import opcheck
import pytest

import engine

rng = np.random.default_rng(7)


def r(*shape):
    return rng.standard_normal(shape)


def distinct(*shape):
    """Values without ties, so max / min gradients are well defined for finite differences."""
    return rng.permutation(np.arange(math.prod(shape), dtype=np.float64)).reshape(shape) / 3 - 1


CASES = [
    ("sum_all", lambda m, x: x.sum(), [r(2, 3)]),
    ("sum_dims_keepdim", lambda m, x: x.sum((0, 2), keepdim=True), [r(2, 3, 2)]),
    ("mean_neg_dim", lambda m, x: x.mean(-1), [r(2, 3)]),
    ("prod_all", lambda m, x: x.prod(), [r(2, 3)]),
    ("prod_dim", lambda m, x: x.prod(1), [r(2, 3)]),
    ("prod_dim_keepdim", lambda m, x: x.prod(-1, keepdim=True), [r(3, 2)]),
    ("prod_with_zero", lambda m, x: x.prod(1), [np.array([[0.0, 2.0, 3.0], [1.0, 2.0, 0.5]])]),
    ("prod_two_zeros", lambda m, x: x.prod(), [np.array([0.0, 2.0, 0.0])]),
    ("var_all", lambda m, x: x.var(), [r(3, 4)]),
    ("var_dim", lambda m, x: x.var(1), [r(3, 4)]),
    ("var_biased_keepdim", lambda m, x: x.var(0, unbiased=False, keepdim=True), [r(3, 4)]),
    ("var_correction", lambda m, x: x.var(dim=(0, 1), correction=0), [r(2, 3)]),
    ("std_all", lambda m, x: x.std(), [r(3, 4)]),
    ("std_dim_keepdim", lambda m, x: x.std(-1, keepdim=True), [r(3, 4)]),
    ("std_function", lambda m, x: m.std(x, 0), [r(3, 2)]),
    ("norm_default", lambda m, x: x.norm(), [r(3, 4)]),
    ("norm_dim", lambda m, x: x.norm(dim=1), [r(3, 4)]),
    ("norm_keepdim", lambda m, x: m.norm(x, dim=0, keepdim=True), [r(3, 4)]),
    ("norm_p1", lambda m, x: x.norm(p=1), [r(3, 4)]),
    ("norm_inf", lambda m, x: x.norm(p=float("inf")), [distinct(3, 4)]),
    ("norm_p3_dim", lambda m, x: x.norm(p=3, dim=1), [r(2, 3)]),
    ("max_all", lambda m, x: x.max(), [distinct(3, 4)]),
    ("min_all", lambda m, x: m.min(x), [distinct(3, 4)]),
    ("max_dim", lambda m, x: x.max(1), [distinct(3, 4)]),
    ("max_dim_values", lambda m, x: x.max(dim=0).values, [distinct(3, 4)]),
    ("min_dim_keepdim", lambda m, x: x.min(-1, keepdim=True), [distinct(3, 4)]),
    ("max_binary", lambda m, x, y: m.max(x, y), [distinct(2, 3), distinct(2, 3) + 0.1]),
    ("amax_dim", lambda m, x: x.amax(1), [distinct(3, 4)]),
    ("amax_all", lambda m, x: x.amax(), [distinct(3, 4)]),
    ("amin_dims_keepdim", lambda m, x: x.amin((0, 1), keepdim=True), [distinct(2, 3, 2)]),
    ("argmax_all", lambda m, x: x.argmax(), [distinct(3, 4)]),
    ("argmax_dim_keepdim", lambda m, x: x.argmax(1, keepdim=True), [distinct(3, 4)]),
    ("argmin_dim", lambda m, x: m.argmin(x, dim=0), [distinct(3, 4)]),
    ("logsumexp", lambda m, x: x.logsumexp(1), [r(3, 4)]),
    ("logsumexp_dims_keepdim", lambda m, x: m.logsumexp(x, (0, 2), keepdim=True), [r(2, 3, 2)]),
    ("softmax", lambda m, x: x.softmax(1), [r(3, 4)]),
    ("softmax_neg_dim", lambda m, x: m.softmax(x, dim=-2), [r(2, 3, 2)]),
    ("softmax_large", lambda m, x: (x * 100).softmax(0), [r(4)]),
    ("log_softmax", lambda m, x: x.log_softmax(-1), [r(3, 4)]),
    ("log_softmax_dim0", lambda m, x: m.log_softmax(x, 0), [r(3, 4)]),
    ("cumsum", lambda m, x: x.cumsum(1), [r(3, 4)]),
    ("cumsum_neg_dim", lambda m, x: m.cumsum(x, dim=-2), [r(3, 2)]),
    ("all_any", lambda m, x: ((x > 0).all(), (x > 0).any(1), x.all(dim=0, keepdim=True)), [r(3, 4)]),
    ("chain_var_softmax", lambda m, x: x.softmax(1).var(1).sum(), [r(3, 4)]),
]

INTEGER_CASES = [
    ("prod_int", lambda m, x: x.prod(), [np.arange(1, 5)]),
    ("cumsum_int", lambda m, x: x.cumsum(0), [np.arange(4, dtype=np.int32)]),
    ("max_int_dim", lambda m, x: x.max(0), [np.array([[3, 1], [2, 5]])]),
    ("amax_int", lambda m, x: x.amax(), [np.array([[3, 1], [2, 5]])]),
    ("logsumexp_int", lambda m, x: x.logsumexp(0), [np.arange(3)]),
]

ERRORS = [
    ("max_dim_out_of_range", lambda m, x: x.max(2), [r(3, 4)]),
    ("max_empty", lambda m, x: x[:0].max(), [r(3)]),
    ("var_int", lambda m, x: x.var(), [np.arange(3)]),
    ("norm_int", lambda m, x: x.norm(), [np.arange(3)]),
    ("softmax_dim_out_of_range", lambda m, x: x.softmax(3), [r(3, 4)]),
    ("sum_repeated_dim", lambda m, x: x.sum((1, 1)), [r(3, 4)]),
    ("cumsum_dim", lambda m, x: x.cumsum(-3), [r(3, 4)]),
]


@pytest.mark.parametrize("name, fn, arrays", CASES, ids=opcheck.case_ids(CASES))
def test_gradients(name, fn, arrays):
    def differentiable(m, *xs):
        result = fn(m, *xs)
        outs = result if isinstance(result, tuple) else (result,)
        return tuple(o for o in outs if o.is_floating_point())
    if not differentiable(engine, *opcheck.engine_tensors(arrays)):
        pytest.skip("no floating point output")
    opcheck.check_gradients(differentiable, arrays)


@pytest.mark.parametrize("name, fn, arrays", CASES + INTEGER_CASES,
                         ids=opcheck.case_ids(CASES + INTEGER_CASES))
def test_against_torch(name, fn, arrays):
    torch = pytest.importorskip("torch")
    opcheck.check_against_torch(torch, fn, arrays)


@pytest.mark.parametrize("name, fn, arrays", ERRORS, ids=opcheck.case_ids(ERRORS))
def test_errors(name, fn, arrays):
    torch = pytest.importorskip("torch")
    opcheck.check_error(torch, fn, arrays)


def test_max_returns_named_pair():
    x = engine.tensor([[1.0, 5.0], [4.0, 2.0]], requires_grad=True)
    result = x.max(dim=1)
    values, indices = result
    assert result.values is values and result.indices is indices
    assert type(result).__name__ == "max"
    assert indices.tolist() == [1, 0] and indices.dtype is engine.int64
    assert repr(result).startswith("torch.return_types.max(\nvalues=tensor([5., 4.]")


def test_softmax_double_backward_matches_torch():
    """A Hessian-vector product through softmax, as ``create_graph`` builds it."""
    torch = pytest.importorskip("torch")
    x, v = r(3, 4), r(3, 4)

    def hvp(m):
        xt = m.tensor(x, requires_grad=True)
        loss = (m.softmax(xt, 1) * m.tensor(x[::-1].copy())).sum()
        (g,) = m.autograd.grad(loss, xt, create_graph=True)
        (h,) = m.autograd.grad((g * m.tensor(v)).sum(), xt)
        return np.asarray(g.detach().numpy()), np.asarray(h.numpy())

    for ours, theirs in zip(hvp(engine), hvp(torch), strict=True):
        np.testing.assert_allclose(ours, theirs, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("op", ["log_softmax", "logsumexp", "std", "norm"])
def test_second_derivatives_match_torch(op):
    torch = pytest.importorskip("torch")
    x = r(2, 3)

    def second(m):
        xt = m.tensor(x, requires_grad=True)
        y = getattr(xt, op)(1) if op != "norm" else xt.norm(dim=1)
        (g,) = m.autograd.grad((y * y).sum(), xt, create_graph=True)
        (h,) = m.autograd.grad((g * g).sum(), xt)
        return h.numpy()

    np.testing.assert_allclose(second(engine), second(torch), rtol=1e-6, atol=1e-9)


def test_the_nuclear_norm_is_refused_in_words():
    with pytest.raises(NotImplementedError, match="p='nuc'"):
        engine.tensor(r(2, 2)).norm(p="nuc")
