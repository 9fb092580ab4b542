"""Matrix products: dot, mv, mm, bmm, addmm, outer and every shape case of ``matmul``.

PyTorch's ``matmul`` builds different graphs per case (DotBackward0, MvBackward0,
MmBackward0 behind views for folded batches, BmmBackward0 behind expands);
the PyTorch oracle compares those graphs node by node.
"""
import numpy as np
import opcheck
import pytest

import engine
from engine.autograd import reuse

rng = np.random.default_rng(11)


def r(*shape):
    return rng.standard_normal(shape)


def matmul_case(a, b):
    return (f"matmul_{'x'.join(map(str, a))}_{'x'.join(map(str, b))}",
            lambda m, x, y: x @ y, [r(*a), r(*b)])


MATMUL_SHAPES = [
    ((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 4)), ((2, 3), (3, 4)),
    ((5, 2, 3), (5, 3, 4)), ((5, 2, 3), (3, 4)), ((2, 3), (5, 3, 4)), ((5, 2, 3), (3,)),
    ((3,), (5, 3, 4)), ((2, 2, 2, 3), (2, 2, 3, 1)), ((2, 1, 2, 3), (4, 3, 2)),
    ((1, 2, 3), (4, 3, 2)), ((4, 2, 3), (1, 3, 2)), ((3,), (2, 2, 3, 2)), ((2, 2, 2, 3), (3,)),
]

CASES = [matmul_case(a, b) for a, b in MATMUL_SHAPES] + [
    ("matmul_fn", lambda m, x, y: m.matmul(x, y), [r(2, 3), r(3, 2)]),
    ("rmatmul", lambda m, x, y: x.__rmatmul__(y), [r(3), r(2, 3)]),
    ("matmul_constant_rhs", lambda m, x: x @ m.ones(3, 2, dtype=m.float64), [r(4, 2, 3)]),
    ("matmul_constant_lhs", lambda m, y: m.ones(2, 3, dtype=m.float64) @ y, [r(4, 3, 2)]),
    ("matmul_transposed_input", lambda m, x, y: x.t() @ y, [r(3, 2), r(3, 4)]),
    ("dot", lambda m, x, y: m.dot(x, y), [r(4), r(4)]),
    ("mv", lambda m, x, y: x.mv(y), [r(2, 3), r(3)]),
    ("mm", lambda m, x, y: m.mm(x, y), [r(2, 3), r(3, 4)]),
    ("bmm", lambda m, x, y: x.bmm(y), [r(2, 2, 3), r(2, 3, 1)]),
    ("addmm", lambda m, b, x, y: m.addmm(b, x, y), [r(4), r(2, 3), r(3, 4)]),
    ("addmm_scaled", lambda m, b, x, y: b.addmm(x, y, beta=0.5, alpha=2.0), [r(2, 4), r(2, 3), r(3, 4)]),
    ("addmm_like_linear", lambda m, x, w, b: m.addmm(b, x, w.t()), [r(5, 3), r(4, 3), r(4)]),
    ("outer", lambda m, x, y: m.outer(x, y), [r(2), r(3)]),
    ("mlp_layer", lambda m, x, w, b: ((x @ w + b) * (x @ w)).sum(1), [r(4, 3), r(3, 2), r(2)]),
]

INTEGER_CASES = [
    ("matmul_int", lambda m, x, y: x @ y, [np.arange(6).reshape(2, 3), np.arange(3)]),
    ("mm_int", lambda m, x, y: x.mm(y), [np.arange(6).reshape(2, 3), np.arange(6).reshape(3, 2)]),
]

ERRORS = [
    ("mm_shapes", lambda m, x, y: x @ y, [r(2, 3), r(4, 2)]),
    ("mv_shapes", lambda m, x, y: m.mv(x, y), [r(2, 3), r(4)]),
    ("dot_sizes", lambda m, x, y: m.dot(x, y), [r(2), r(3)]),
    ("dot_rank", lambda m, x, y: m.dot(x, y), [r(2, 2), r(2)]),
    ("dot_dtype", lambda m, x, y: m.dot(x, y.float()), [r(2), r(2)]),
    ("bmm_batch", lambda m, x, y: m.bmm(x, y), [r(2, 2, 3), r(2, 4, 1)]),
    ("bmm_rank", lambda m, x, y: m.bmm(x, y), [r(2, 3), r(2, 3)]),
    ("mm_rank", lambda m, x, y: m.mm(x, y), [r(2), r(2, 3)]),
    ("mm_dtype", lambda m, x, y: m.mm(x, y.float()), [r(2, 3), r(3, 2)]),
    ("vector_matrix_shapes", lambda m, x, y: x @ y, [r(4), r(2, 3)]),
    ("matrix_vector_shapes", lambda m, x, y: x @ y, [r(2, 3), r(4)]),
    ("matmul_0d", lambda m, x, y: x @ y, [r(2), r()]),
    ("matmul_batch_broadcast", lambda m, x, y: x @ y, [r(5, 2, 3), r(4, 3, 4)]),
    ("mv_rank", lambda m, x, y: m.mv(x, y), [r(2, 3), r(3, 1)]),
    ("outer_rank", lambda m, x, y: m.outer(x, y), [r(2, 2), r(2)]),
    ("addmm_bias", lambda m, b, x, y: m.addmm(b, x, y), [r(3), r(2, 3), r(3, 2)]),
]


@pytest.mark.parametrize("name, fn, arrays", CASES, ids=opcheck.case_ids(CASES))
def test_gradients(name, fn, arrays):
    opcheck.check_gradients(fn, arrays)


@pytest.mark.parametrize("name, fn, arrays", CASES + INTEGER_CASES,
                         ids=opcheck.case_ids(CASES + INTEGER_CASES))
def test_against_torch(name, fn, arrays):
    torch = pytest.importorskip("torch")
    opcheck.check_against_torch(torch, fn, arrays)


@pytest.mark.parametrize("name, fn, arrays", ERRORS, ids=opcheck.case_ids(ERRORS))
def test_errors(name, fn, arrays):
    torch = pytest.importorskip("torch")
    opcheck.check_error(torch, fn, arrays)


def test_hessian_vector_product_through_matmul_matches_torch():
    torch = pytest.importorskip("torch")
    a, b, v = r(3, 4), r(4, 2), r(3, 4)

    def hvp(m):
        x = m.tensor(a, requires_grad=True)
        w = m.tensor(b, requires_grad=True)
        loss = ((x @ w) * (x @ w)).sum() + (x @ w @ w.t()).sum()
        gx, gw = m.autograd.grad(loss, (x, w), create_graph=True)
        hx, hw = m.autograd.grad((gx * m.tensor(v)).sum(), (x, w))
        return [t.detach().numpy() for t in (gx, gw, hx, hw)]

    for ours, theirs in zip(hvp(engine), hvp(torch), strict=True):
        np.testing.assert_allclose(ours, theirs, rtol=1e-6, atol=1e-9)


def test_backward_multiplies_transposed_views_without_copies():
    """MmBackward0 hands BLAS transposed views of the saved matrices, never copies."""
    x = engine.tensor(r(3, 4), requires_grad=True)
    w = engine.tensor(r(4, 2), requires_grad=True)
    out = x @ w
    transposed = engine.t(out.grad_fn._saved_mat2)
    assert transposed._data.base is not None
    assert np.shares_memory(transposed._data, w._data)


LAYOUT_CASES = [
    ("mm_column_major_mat1", lambda m, x, w: x.t() @ w, [(4, 5), (4, 3)]),
    ("mm_column_major_mat2", lambda m, x, w: x @ w.t(), [(5, 4), (3, 4)]),
    ("addmm_column_major_mat1", lambda m, x, w: m.addmm(m.ones(3), x.t(), w), [(4, 5), (4, 3)]),
    ("linear", lambda m, x, w: m.nn.functional.linear(x, w, m.ones(3)), [(5, 4), (3, 4)]),
]


@pytest.mark.parametrize("name,fn,shapes", LAYOUT_CASES, ids=[c[0] for c in LAYOUT_CASES])
def test_product_gradients_are_laid_out_as_pytorchs(name, fn, shapes):
    """A column-major operand (a transposed matrix, as ``weight.t()`` in a linear
    layer) gets its gradient as the transposed product, transposed back: the
    gradients PyTorch's autograd hands out have its strides."""
    torch = pytest.importorskip("torch")
    arrays = [r(*s).astype(np.float32) for s in shapes]
    seen = []
    for m in (engine, torch):
        leaves = [m.tensor(a, requires_grad=True) for a in arrays]
        grads = m.autograd.grad(fn(m, *leaves).sum(), leaves)
        seen.append([(g.stride(), g.detach().numpy()) for g in grads])
    for (ours_stride, ours), (their_stride, theirs) in zip(*seen, strict=True):
        assert ours_stride == their_stride
        np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)


@pytest.mark.skipif(not reuse.TRUSTED, reason="reference counts not trusted: gradients are copied")
def test_linear_weight_keeps_its_fresh_gradient_uncopied():
    """The weight's gradient arrives contiguous and unshared, so ``.grad`` keeps the
    product's memory (as PyTorch's AccumulateGrad steals it) instead of a copy."""
    layer = engine.nn.Linear(4, 3)
    layer(engine.tensor(r(5, 4).astype(np.float32))).sum().backward()
    grad = layer.weight.grad._data
    assert grad.flags.c_contiguous and grad.base is not None  # the product, transposed back
    assert layer.weight.grad.stride() == (4, 1)


DIAGONAL_DIM_ERRORS = [
    lambda m, x: x.diagonal(0, 1, -1),
    lambda m, x: x.diagonal(0, -2, 0),
    lambda m, x: m.diag_embed(x, 0, 1, -2),
    lambda m, x: m.diag_embed(x, 0, -1, 2),
]


@pytest.mark.parametrize("call", DIAGONAL_DIM_ERRORS)
def test_one_dim_twice_names_the_dims_as_given(call):
    torch = pytest.importorskip("torch")
    texts = []
    for m in (torch, engine):
        with pytest.raises(RuntimeError) as error:
            call(m, m.zeros(2, 3))
        texts.append(str(error.value))
    assert texts[0] == texts[1]


CHANGED_OPERANDS = [
    # (the product, which operand is changed in place after the forward)
    ("mm", lambda m, a, w: a @ w.t(), "a"),
    ("mm", lambda m, a, w: a @ w.t(), "w"),
    ("linear", lambda m, a, w: m.nn.functional.linear(a, w, m.zeros(2)), "a"),
    ("linear", lambda m, a, w: m.nn.functional.linear(a, w, m.zeros(2)), "w"),
]


@pytest.mark.parametrize("create_graph", [False, True])
@pytest.mark.parametrize("name,product,changed", CHANGED_OPERANDS,
                         ids=[f"{c[0]}-{c[2]}-changed" for c in CHANGED_OPERANDS])
def test_only_the_operand_whose_values_are_needed_is_version_checked(name, product, changed,
                                                                    create_graph):
    """Only ``a`` needs a gradient, so only ``w``'s values are needed: changing ``a`` in place
    after the forward is fine (its layout still decides how its gradient is laid out),
    changing ``w`` is PyTorch's error."""
    torch = pytest.importorskip("torch")
    a_values, w_values = r(3, 4).astype(np.float32), r(2, 4).astype(np.float32)
    outcomes = []
    for m in (torch, engine):
        leaf = m.tensor(a_values, requires_grad=True)
        a, w = leaf.clone(), m.tensor(w_values)
        out = product(m, a, w)
        (a if changed == "a" else w).add_(1)
        try:
            grad, = m.autograd.grad(out.sum(), leaf, create_graph=create_graph)
            outcomes.append(grad.detach().numpy().tolist())
        except RuntimeError as error:
            outcomes.append(str(error).split(";")[0])
    assert outcomes[0] == outcomes[1]
