"""API that tutorials use, checked against PyTorch: ordering ops, diagonals and
einsum (values, grad_fn graphs, gradients), sampling after ``manual_seed`` (bit
for bit), ``size=`` on creation functions, the legacy typed constructors,
``autograd.Variable`` and layouts.
"""
import numpy as np
import pytest
from opcheck import case_ids, check_against_torch, check_error, engine_tensors, torch_tensors

import engine

torch = pytest.importorskip("torch")

rng = np.random.default_rng(7)
A = rng.standard_normal((3, 4))
B = rng.standard_normal((4, 5))
S = rng.standard_normal((3, 3))
V = rng.standard_normal(4)
W = rng.standard_normal(3)
TIES = np.array([[1.0, 2.0, 1.0, 2.0], [0.5, 0.5, 0.5, -1.0]])
WITH_ZEROS = np.array([[1.5, 0.0, 2.0, 3.0], [0.0, 0.0, 1.0, 2.0], [2.0, -1.0, 0.5, 0.0]])

# ------------------------------------------------------------------- ops
OPS = [
    ("sort", lambda m, x: m.sort(x, 1), [A]),
    ("sort_default_dim", lambda m, x: x.sort(), [A]),
    ("sort_descending", lambda m, x: x.sort(0, descending=True), [A]),
    ("sort_ties_stable", lambda m, x: x.sort(stable=True, dim=1), [TIES]),
    ("sort_ties_descending", lambda m, x: x.sort(1, True), [TIES]),
    ("sort_values_only", lambda m, x: x.sort()[0] * 2, [A]),
    ("sort_vector", lambda m, x: m.sort(x), [V]),
    ("argsort", lambda m, x: x.argsort(1), [A]),
    ("argsort_descending", lambda m, x: m.argsort(x, descending=True), [V]),
    ("topk", lambda m, x: x.topk(2), [A]),
    ("topk_smallest_dim0", lambda m, x: x.topk(2, dim=0, largest=False), [A]),
    ("topk_vector", lambda m, x: m.topk(x, 3), [V]),
    ("flip", lambda m, x: x.flip(0), [A]),
    ("flip_two_dims", lambda m, x: m.flip(x, (0, 1)), [A]),
    ("flip_varargs", lambda m, x: x.flip(1, 0), [A]),
    ("fliplr", lambda m, x: m.fliplr(x), [A]),
    ("flipud", lambda m, x: m.flipud(x), [A]),
    ("roll", lambda m, x: x.roll(1, 1), [A]),
    ("roll_flat", lambda m, x: x.roll(2), [A]),
    ("roll_two_dims", lambda m, x: m.roll(x, (1, -1), (0, 1)), [A]),
    ("roll_negative", lambda m, x: x.roll(-3, 0), [V]),
    ("cumprod", lambda m, x: x.cumprod(1), [A]),
    ("cumprod_dim0", lambda m, x: m.cumprod(x, 0), [A]),
    ("cumprod_with_zeros", lambda m, x: x.cumprod(1), [WITH_ZEROS]),
    ("diag_of_matrix", lambda m, x: x.diag(), [A]),
    ("diag_offset", lambda m, x: x.diag(1), [A]),
    ("diag_negative_offset", lambda m, x: m.diag(x, -1), [A]),
    ("diag_of_vector", lambda m, x: m.diag(x), [V]),
    ("diag_of_vector_offset", lambda m, x: m.diag(x, 2), [V]),
    ("diagonal", lambda m, x: x.diagonal(), [A]),
    ("diagonal_offset", lambda m, x: x.diagonal(-1), [A]),
    ("diagonal_dims", lambda m, x: m.diagonal(x.view(3, 2, 2), 0, 1, 2), [A]),
    ("diag_embed", lambda m, x: m.diag_embed(x), [A]),
    ("trace", lambda m, x: x.trace(), [A]),
    ("trace_square", lambda m, x: m.trace(x), [S]),
    ("tril", lambda m, x: x.tril(), [A]),
    ("tril_below", lambda m, x: m.tril(x, -1), [A]),
    ("triu", lambda m, x: x.triu(1), [A]),
    ("triu_batched", lambda m, x: m.triu(x.view(2, 2, 3)), [A]),
]

X = np.array([[3.0, 0.0, 2.0], [0.0, 4.0, -1.0]])
DUPLICATES = np.array([[1.0, 3.0, 3.0, 2.0, 3.0], [2.0, 2.0, 1.0, 2.0, 0.0]])
NANS = np.array([[1.0, np.nan, 2.0, 3.0], [np.nan, 1.0, np.nan, 0.0]])
GRID = np.random.default_rng(5).integers(0, 3, (4, 6, 7)).astype(float)
U = rng.uniform(0.0, 1.0, (3, 4))

MORE_OPS = [
    ("masked_select", lambda m, x: x.masked_select(x > 1), [X]),
    ("masked_select_broadcast_mask", lambda m, x: m.masked_select(x, m.tensor([True, False, True])),
     [X]),
    ("nonzero", lambda m, x: m.nonzero(x), [X]),
    ("nonzero_as_tuple", lambda m, x: x.nonzero(as_tuple=True), [X]),
    ("argwhere", lambda m, x: m.argwhere(x), [X]),
    ("count_nonzero_dim", lambda m, x: m.count_nonzero(x, 0), [X]),
    ("count_nonzero", lambda m, x: x.count_nonzero(), [X]),
    ("broadcast_to", lambda m, x: m.broadcast_to(x, (2, 2, 3)), [X]),
    ("broadcast_tensors", lambda m, x, y: m.broadcast_tensors(x, y), [X, W]),
    ("meshgrid_ij", lambda m, x, y: m.meshgrid(x, y, indexing="ij"), [W, V]),
    ("meshgrid_xy", lambda m, x, y: m.meshgrid(x, y, indexing="xy"), [W, V]),
    ("meshgrid_three_xy", lambda m, x, y: m.meshgrid([x, y, x], indexing="xy"), [W, V]),
    ("msort", lambda m, x: m.msort(x), [A]),
    ("median", lambda m, x: x.median(), [A]),
    ("median_duplicates", lambda m, x: x.median(), [DUPLICATES]),
    ("median_dim", lambda m, x: x.median(1), [A]),
    ("median_dim_duplicates", lambda m, x: x.median(1), [DUPLICATES]),
    ("median_3d", lambda m, x: m.median(x, 1, keepdim=True), [GRID]),
    ("median_nan", lambda m, x: x.median(1), [NANS]),
    ("median_nan_dim0", lambda m, x: x.median(0), [NANS]),
    ("median_nan_all", lambda m, x: x.median(), [NANS]),
    ("kthvalue", lambda m, x: x.kthvalue(2, 1), [A]),
    ("kthvalue_duplicates", lambda m, x: x.kthvalue(3), [DUPLICATES]),
    ("kthvalue_3d", lambda m, x: m.kthvalue(x, 4, 1, True), [GRID]),
    ("kthvalue_nan", lambda m, x: x.kthvalue(3, 1), [NANS]),
    ("cummax", lambda m, x: x.cummax(1), [A]),
    ("cummax_duplicates", lambda m, x: x.cummax(1), [DUPLICATES]),
    ("cummin_duplicates", lambda m, x: m.cummin(x, 1), [DUPLICATES]),
    ("cummin_dim0", lambda m, x: x.cummin(0), [A]),
    ("cummax_nan", lambda m, x: x.cummax(1), [NANS]),
    ("lerp", lambda m, x, y: m.lerp(x, y, 0.3), [A, A[::-1]]),
    ("lerp_from_the_end", lambda m, x, y: x.lerp(y, 0.8), [A, A[::-1]]),
    ("lerp_tensor_weight", lambda m, x, y, w: m.lerp(x, y, w), [A, A[::-1], U]),
    ("lerp_broadcast", lambda m, x, y: m.lerp(x, y, 0.5), [A, V]),
    ("addcmul", lambda m, x, y, z: m.addcmul(x, y, z, value=0.5), [A, A[::-1], V]),
    ("addcdiv", lambda m, x, y, z: x.addcdiv(y, z, value=2), [A, A[::-1], U + 1]),
    ("std_mean", lambda m, x: m.std_mean(x), [A]),
    ("std_mean_dim", lambda m, x: m.std_mean(x, 1), [A]),
    ("var_mean_keepdim", lambda m, x: m.var_mean(x, 0, keepdim=True), [A]),
    ("var_mean_biased", lambda m, x: m.var_mean(x, 1, unbiased=False), [A]),
    ("std_mean_correction", lambda m, x: m.std_mean(x, (0, 1), correction=2), [A]),
    ("std_of_std_mean", lambda m, x: m.std_mean(x, 1)[0], [A]),
    ("mean_of_var_mean", lambda m, x: m.var_mean(x, 1)[1] * 2, [A]),
    ("diff", lambda m, x: m.diff(x), [A]),
    ("diff_twice", lambda m, x: x.diff(n=2), [A]),
    ("diff_dim0", lambda m, x: m.diff(x, dim=0), [A]),
    ("diff_prepend", lambda m, x, y: m.diff(x, prepend=y), [A, A[:, :1]]),
    ("diff_append", lambda m, x, y: m.diff(x, dim=0, append=y), [A, A[:1]]),
    ("kron", lambda m, x, y: m.kron(x, y), [A, A[:2]]),
    ("kron_vectors", lambda m, x, y: m.kron(x, y), [V, V]),
    ("kron_vector_matrix", lambda m, x, y: m.kron(x, y), [W, A]),
    ("tensordot", lambda m, x, y: m.tensordot(x, y, 1), [A, B]),
    ("tensordot_everything", lambda m, x: m.tensordot(x, x, dims=([0, 1], [0, 1])), [A]),
    ("cross", lambda m, x, y: m.cross(x, y, dim=1), [A[:, :3], A[::-1, 1:]]),
    ("cross_last_dim", lambda m, x, y: x.cross(y, dim=-1), [A[:, :3], A[::-1, 1:]]),
    ("dist", lambda m, x, y: m.dist(x, y), [A, A[::-1]]),
    ("dist_p1", lambda m, x, y: x.dist(y, 1), [A, A[::-1]]),
    ("dist_p3", lambda m, x, y: m.dist(x, y, 3), [A, A[::-1]]),
    ("dist_inf", lambda m, x, y: m.dist(x, y, float("inf")), [A, A[::-1]]),
    ("cdist", lambda m, x, y: m.cdist(x, y), [A, A[:2]]),
    ("cdist_p1", lambda m, x, y: m.cdist(x, y, p=1), [A, A[:2]]),
    ("cdist_p3", lambda m, x, y: m.cdist(x, y, p=3), [A, A[:2]]),
    ("cdist_batched", lambda m, x, y: m.cdist(x, y), [A.reshape(1, 3, 4), A[:2].reshape(1, 2, 4)]),
    ("rot90", lambda m, x: m.rot90(x), [A]),
    ("rot90_twice", lambda m, x: x.rot90(2, [0, 1]), [A]),
    ("rot90_back", lambda m, x: x.rot90(-1), [A]),
    ("rot90_swapped_dims", lambda m, x: x.rot90(1, [1, 0]), [A]),
    ("diagflat", lambda m, x: m.diagflat(x), [A[:, :2]]),
    ("diagflat_offset", lambda m, x: x.diagflat(1), [W]),
    ("flip_dims_keyword", lambda m, x: x.flip(dims=(0,)), [A]),
    ("tril_in_place", lambda m, x: (x * 1).tril_(), [A]),
    ("triu_in_place", lambda m, x: (x * 1).triu_(1), [A]),
    ("sort_0d", lambda m, x: x.sort(), [np.array(3.0)]),
    ("topk_0d", lambda m, x: x.topk(1), [np.array(3.0)]),
    ("median_0d", lambda m, x: x.median(0), [np.array(3.0)]),
    ("kthvalue_0d", lambda m, x: x.kthvalue(1), [np.array(3.0)]),
    ("cummax_0d", lambda m, x: x.cummax(0), [np.array(3.0)]),
    ("roll_0d", lambda m, x: x.roll(1), [np.array(3.0)]),
    ("cumprod_0d", lambda m, x: x.cumprod(0), [np.array(3.0)]),
]

EINSUM = [
    ("matmul", "ij,jk->ik", [A, B]),
    ("implicit_output", "ij,jk", [A, B]),
    ("total", "ij->", [A]),
    ("transpose", "ij->ji", [A]),
    ("identity", "ij->ij", [A]),
    ("row_sums", "ij->i", [A]),
    ("dot", "i,i->", [V, V]),
    ("batched_matmul", "bij,bjk->bik", [A.reshape(1, 3, 4), B.reshape(1, 4, 5)]),
    ("outer", "i,j->ij", [V, W]),
    ("elementwise", "ij,ij->ij", [A, A]),
    ("matrix_vector", "ij,j->i", [A, V]),
    ("trace", "ii", [S]),
    ("diagonal", "ii->i", [S]),
    ("ellipsis", "...ij,...jk->...ik", [A.reshape(1, 3, 4), B.reshape(1, 4, 5)]),
    ("bilinear", "i,ij,j->", [W, A, V]),
    ("batch_outer", "bi,bj->bij", [A, A]),
    ("spaces", "i j , j k -> i k", [A, B]),
]


@pytest.mark.parametrize("name, fn, arrays", OPS + MORE_OPS, ids=case_ids(OPS + MORE_OPS))
def test_op_matches_torch(name, fn, arrays):
    check_against_torch(torch, fn, arrays)


def test_tensordot_of_transposed_operands_matches_values_and_top_node():
    """PyTorch reshapes the permuted second operand as an alias (ReshapeAliasBackward0), a
    node the engine does not have; the values, gradients and the nodes above agree."""
    fn = lambda m, x, y: m.tensordot(x, y, dims=([1], [1]))  # noqa: E731
    ours, theirs = engine_tensors([A, A[:2]]), torch_tensors(torch, [A, A[:2]])
    a, b = fn(engine, *ours), fn(torch, *theirs)
    np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=1e-12)
    assert type(a.grad_fn).__name__ == type(b.grad_fn).__name__ == "ViewBackward0"
    a.sum().backward()
    b.sum().backward()
    for x, y in zip(ours, theirs):
        np.testing.assert_allclose(x.grad.numpy(), y.grad.numpy(), rtol=1e-12)


def test_in_place_combinations_match_torch():
    results = []
    for m in (engine, torch):
        x, y = m.ones(3), m.tensor([2.0, 4.0, 6.0])
        x.lerp_(y, 0.5).addcmul_(y, y, value=0.1).addcdiv_(y, y + 1, value=2)
        z = m.ones(3, requires_grad=True) * 1
        z.lerp_(y, 0.25)
        results.append((repr(x), repr(z)))
    assert results[0] == results[1]


def test_meshgrid_without_indexing_warns_once_as_torch():
    import warnings
    caught_by = []
    for m in (engine, torch):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            m.meshgrid(m.ones(2), m.ones(3))
            m.meshgrid(m.ones(2), m.ones(3))
        caught_by.append([str(w.message) for w in caught])
    assert len(caught_by[0]) <= 1 and set(caught_by[0]) <= set(caught_by[1] + [
        "torch.meshgrid: in an upcoming release, it will be required to pass the indexing "
        "argument. (Triggered internally at "
        "/__w/pytorch/pytorch/aten/src/ATen/native/TensorShape.cpp:4215.)"])


SMOOTH = [case for case in OPS if "ties" not in case[0]]  # ties have no derivative


@pytest.mark.parametrize("name, fn, arrays", SMOOTH, ids=case_ids(SMOOTH))
def test_op_gradcheck(name, fn, arrays):
    def first(*xs):
        out = fn(engine, *xs)
        return out[0] if isinstance(out, tuple) else out
    if first(*engine_tensors(arrays)).dtype is not engine.float64:
        pytest.skip("indices only")
    assert engine.autograd.gradcheck(first, tuple(engine_tensors(arrays)))


@pytest.mark.parametrize("name, equation, arrays", EINSUM, ids=case_ids(EINSUM))
def test_einsum_matches_torch(name, equation, arrays):
    """Values, gradients and the nodes PyTorch's einsum records (permute, view, bmm, mul, sum)."""
    check_against_torch(torch, lambda m, *xs: m.einsum(equation, *xs), arrays)


def test_einsum_takes_a_list_of_operands():
    check_against_torch(torch, lambda m, x, y: m.einsum("ij,jk->ik", [x, y]), [A, B])


def test_einsum_of_three_operands_matches_values_and_gradients():
    fn = lambda m, x, y, z: m.einsum("ij,jk,kl->il", x, y, z)  # noqa: E731
    ours, theirs = engine_tensors([A, B, B.T]), torch_tensors(torch, [A, B, B.T])
    np.testing.assert_allclose(fn(engine, *ours).detach().numpy(),
                               fn(torch, *theirs).detach().numpy(), rtol=1e-10)
    assert type(fn(engine, *ours).grad_fn).__name__ == type(fn(torch, *theirs).grad_fn).__name__
    fn(engine, *ours).sum().backward()
    fn(torch, *theirs).sum().backward()
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=1e-10)


def test_sort_returns_a_named_pair_printed_as_torch_prints_it():
    values = [m.tensor([[3.0, 1.0, 2.0]]).sort() for m in (engine, torch)]
    assert repr(values[0]) == repr(values[1])
    assert values[0].indices.tolist() == values[1].indices.tolist()
    assert repr(engine.tensor([3.0, 1.0]).topk(1)) == repr(torch.tensor([3.0, 1.0]).topk(1))


def test_sort_places_nan_as_torch_does():
    data = [1.0, float("nan"), -2.0, 3.0]
    for descending in (False, True):
        ours = engine.tensor(data).sort(descending=descending)
        theirs = torch.tensor(data).sort(descending=descending)
        assert str(ours.values) == str(theirs.values)
        assert ours.indices.tolist() == theirs.indices.tolist()


def test_double_backward_through_new_ops():
    for fn in (lambda m, x: (x.sort(1)[0] ** 2).sum(), lambda m, x: (x.flip(0) ** 3).sum(),
               lambda m, x: (x.diagonal() ** 2).sum(), lambda m, x: (x.roll(1) ** 2).sum(),
               lambda m, x: (x.cumprod(1) ** 2).sum()):
        grads = []
        for m, (x,) in ((engine, engine_tensors([A])), (torch, torch_tensors(torch, [A]))):
            (g,) = m.autograd.grad(fn(m, x), x, create_graph=True)
            (gg,) = m.autograd.grad(g.sum(), x)
            grads.append((g.detach().numpy(), gg.numpy()))
        np.testing.assert_allclose(grads[0][0], grads[1][0], rtol=1e-10)
        np.testing.assert_allclose(grads[0][1], grads[1][1], rtol=1e-10)


OP_ERRORS = [
    ("topk_too_many", lambda m, x: x.topk(5), [V]),
    ("flip_duplicate_dims", lambda m, x: x.flip(0, 0), [A]),
    ("roll_misaligned", lambda m, x: x.roll((1, 2), (0,)), [A]),
    ("diag_of_3d", lambda m, x: x.view(3, 2, 2).diag(), [A]),
    ("trace_of_vector", lambda m, x: x.trace(), [V]),
    ("tril_of_vector", lambda m, x: x.tril(), [V]),
    ("diagonal_same_dims", lambda m, x: x.diagonal(0, 1, 1), [A]),
    ("einsum_size_mismatch", lambda m, x: m.einsum("ij,jk", x, x), [A]),
    ("kthvalue_out_of_range", lambda m, x: x.kthvalue(9), [A]),
    ("masked_select_float_mask", lambda m, x: x.masked_select(x), [A]),
    ("broadcast_to_smaller", lambda m, x: m.broadcast_to(x, (3, 3)), [A]),
    ("broadcast_tensors_mismatch", lambda m, x, y: m.broadcast_tensors(x, y), [V, W]),
    ("lerp_mismatch", lambda m, x, y: m.lerp(x, y, 0.5), [V, W]),
    ("rot90_same_dims", lambda m, x: x.rot90(1, [0, 0]), [A]),
    ("rot90_of_vector", lambda m, x: x.rot90(), [V]),
    ("cdist_columns", lambda m, x, y: m.cdist(x, y), [A, A[:, :3]]),
    ("cross_without_3", lambda m, x: m.cross(x, x, dim=1), [A]),
    ("tensordot_mismatch", lambda m, x: m.tensordot(x, x, 1), [A]),
]


@pytest.mark.parametrize("name, fn, arrays", OP_ERRORS, ids=case_ids(OP_ERRORS))
def test_op_errors_match_torch(name, fn, arrays):
    check_error(torch, fn, arrays)


# ------------------------------------------------------------- sampling
DRAWS = {
    "randperm_small": lambda m: m.randperm(5),
    "randperm_100": lambda m: m.randperm(100),
    "randperm_one": lambda m: m.randperm(1),
    "randperm_float": lambda m: m.randperm(6, dtype=m.float32),
    "normal_sizes": lambda m: m.normal(2.0, 3.0, (2, 3)),
    "normal_size_keyword": lambda m: m.normal(0.0, 1.0, size=(4,)),
    "normal_many_float64": lambda m: m.normal(1.0, 0.5, (40,), dtype=m.float64),
    "normal_mean_tensor": lambda m: m.normal(m.arange(5.0), 1.0),
    "normal_mean_tensor_std": lambda m: m.normal(m.arange(4.0), 2.0),
    "normal_std_tensor": lambda m: m.normal(1.0, m.arange(1.0, 4.0)),
    "normal_both_tensors": lambda m: m.normal(m.zeros(3), m.ones(3) * 2),
    "uniform_": lambda m: m.empty(5).uniform_(-2, 3),
    "uniform_default": lambda m: m.empty(2, 3).uniform_(),
    "uniform_float64": lambda m: m.empty(7, dtype=m.float64).uniform_(-1, 4),
    "uniform_float64_many": lambda m: m.empty(200, dtype=m.float64).uniform_(0.5, 1.5),
    "normal_": lambda m: m.empty(5).normal_(2, 3),
    "normal_default": lambda m: m.zeros(3).normal_(),
    "normal_float64_many": lambda m: m.empty(50, dtype=m.float64).normal_(2, 3),
    "random_to": lambda m: m.empty(5).random_(10),
    "random_from_to": lambda m: m.empty(5).random_(3, 10),
    "random_long": lambda m: m.zeros(4, dtype=m.int64).random_(),
    "random_int32": lambda m: m.zeros(4, dtype=m.int32).random_(),
    "random_float": lambda m: m.zeros(4).random_(),
    "random_uint8": lambda m: m.zeros(4, dtype=m.uint8).random_(),
    "random_bool": lambda m: m.zeros(6, dtype=m.bool).random_(),
    "randn_size_keyword": lambda m: m.randn(size=(2, 3)),
    "exponential_": lambda m: m.empty(7).exponential_(),
    "exponential_float64_rate": lambda m: m.empty(300, dtype=m.float64).exponential_(2.5),
    "bernoulli_of_probabilities": lambda m: m.bernoulli(m.tensor([0.1, 0.5, 0.9, 0.3] * 5)),
    "bernoulli_with_p": lambda m: m.bernoulli(m.ones(6), 0.3),
    "bernoulli_method": lambda m: m.tensor([0.2, 0.8, 0.5]).bernoulli(),
    "multinomial_one": lambda m: m.multinomial(m.tensor([0.1, 0.5, 0.9, 0.3, 0.7]), 1),
    "multinomial_three": lambda m: m.multinomial(m.tensor([0.1, 0.5, 0.9, 0.3, 0.7]), 3),
    "multinomial_rows": lambda m: m.multinomial(m.tensor([[0.1, 0.5, 0.9], [1.0, 0.0, 2.0]]), 2),
    "multinomial_replacement": lambda m: m.multinomial(m.tensor([0.1, 0.5, 0.9, 0.3]), 10,
                                                       replacement=True),
    "multinomial_replacement_rows": lambda m: m.tensor([[1.0, 0.0, 3.0], [2.0, 2.0, 1.0]],
                                                       dtype=m.float64).multinomial(6, True),
    "multinomial_of_rand": lambda m: m.multinomial(m.rand(3, 50), 7),
    "randint_like": lambda m: m.randint_like(m.ones(2, 3), 10),
    "randint_like_low_high": lambda m: m.randint_like(m.ones(2, 3), 3, 10),
    "rand_size_keyword": lambda m: m.rand(size=(3,)),
}


@pytest.mark.parametrize("seed", [0, 42])
@pytest.mark.parametrize("name", sorted(DRAWS))
def test_draws_match_torch_bit_for_bit(name, seed):
    """Two draws in a row, so the generator's state carries over as in PyTorch."""
    draw = DRAWS[name]
    torch.manual_seed(seed)
    theirs = [draw(torch).numpy() for _ in range(2)]
    engine.manual_seed(seed)
    ours = [draw(engine).numpy() for _ in range(2)]
    for a, b in zip(ours, theirs, strict=True):
        assert a.dtype == b.dtype and a.shape == b.shape
        assert a.tobytes() == b.tobytes()


def test_float32_normal_of_16_or_more_matches_torch_as_printed():
    torch.manual_seed(3)
    theirs = torch.empty(40).normal_(1.5, 2.0)
    engine.manual_seed(3)
    ours = engine.empty(40).normal_(1.5, 2.0)
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6, atol=1e-6)
    assert str(ours) == str(theirs)


def _names(m):
    mean = m.zeros(3, requires_grad=True)
    std = m.ones(3, requires_grad=True)
    out = [m.normal(mean, 1.0), m.normal(0.0, std), m.normal(mean, std)]
    x = m.ones(3, requires_grad=True) * 2
    for fill in (lambda t: t.normal_(), lambda t: t.uniform_(), lambda t: t.random_(),
                 lambda t: t.random_(5), lambda t: t.random_(1, 5)):
        out.append(fill(x.clone()))
    total = sum(t.sum() for t in out[:3])
    total.backward()
    return [type(t.grad_fn).__name__ for t in out], mean.grad.tolist(), std.grad.tolist()


def test_samples_record_torch_nodes_with_zero_gradients():
    assert _names(engine) == _names(torch)


SAMPLING_ERRORS = [
    ("normal_without_size", lambda m: m.normal(2.0, 3.0)),
    ("normal_negative_std", lambda m: m.normal(0.0, -1.0, (2,))),
    ("normal_tensor_negative_std", lambda m: m.normal(m.zeros(3), -1.0)),
    ("normal__negative_std", lambda m: m.ones(2).normal_(0, -1)),
    ("normal__of_long", lambda m: m.ones(2, dtype=m.int64).normal_()),
    ("uniform__reversed", lambda m: m.ones(2).uniform_(3, 1)),
    ("uniform__leaf", lambda m: m.ones(2, requires_grad=True).uniform_()),
    ("randperm_negative", lambda m: m.randperm(-1)),
    ("multinomial_too_many", lambda m: m.multinomial(m.ones(3), 4)),
    ("multinomial_negative", lambda m: m.multinomial(m.tensor([1.0, -1.0]), 1)),
    ("multinomial_zero_sum", lambda m: m.multinomial(m.zeros(3), 1)),
    ("multinomial_3d", lambda m: m.multinomial(m.ones(2, 2, 2), 1)),
    ("exponential__negative_rate", lambda m: m.ones(2).exponential_(-1)),
    ("exponential__of_bool", lambda m: m.ones(2, dtype=m.bool).exponential_()),
    ("uniform__of_int", lambda m: m.ones(2, dtype=m.int32).uniform_()),
    ("multinomial_of_long", lambda m: m.multinomial(m.ones(2, dtype=m.int64), 1)),
    ("unique_backward", lambda m: m.tensor([3.0, 1.0], requires_grad=True).unique().sum()
     .backward()),
    ("bincount_negative", lambda m: m.bincount(m.tensor([-1]))),
    ("bincount_float", lambda m: m.bincount(m.tensor([1.0]))),
    ("histc_long", lambda m: m.histc(m.tensor([1, 2]))),
    ("finfo_of_int", lambda m: m.finfo(m.int64)),
    ("iinfo_of_float", lambda m: m.iinfo(m.float32)),
    ("iinfo_of_bool", lambda m: m.iinfo(m.bool)),
    ("size_twice", lambda m: m.ones(2, size=(2,))),
]


@pytest.mark.parametrize("name, fn", SAMPLING_ERRORS, ids=case_ids(SAMPLING_ERRORS))
def test_sampling_errors_match_torch(name, fn):
    with pytest.raises(Exception) as theirs:
        fn(torch)
    with pytest.raises(type(theirs.value)) as ours:
        fn(engine)
    assert str(ours.value) == str(theirs.value)


# ---------------------------------------------- creation and legacy API
CREATED = {
    "zeros_size": lambda m: m.zeros(size=(2, 3)),
    "ones_size_list": lambda m: m.ones(size=[1, 2]),
    "empty_size": lambda m: m.empty(size=(2,)).shape,
    "full_size": lambda m: m.full(size=(2,), fill_value=3.0),
    "randint_size": lambda m: m.randint(0, 5, size=(3,)).shape,
    "Tensor_sizes": lambda m: m.Tensor(2, 3).shape,
    "Tensor_data": lambda m: m.Tensor([1, 2]),
    "Tensor_empty": lambda m: m.Tensor(),
    "Tensor_nested": lambda m: m.Tensor([[1, 2], [3, 4]]),
    "FloatTensor_list": lambda m: m.FloatTensor([1, 2]),
    "FloatTensor_sizes": lambda m: m.FloatTensor(2, 3).shape,
    "FloatTensor_tuple_is_data": lambda m: m.FloatTensor((2, 3)),
    "FloatTensor_Size_is_sizes": lambda m: m.FloatTensor(m.Size([2, 3])).shape,
    "FloatTensor_empty": lambda m: m.FloatTensor(),
    "LongTensor_truncates": lambda m: m.LongTensor([1.7, 2]),
    "DoubleTensor": lambda m: m.DoubleTensor([[1]]),
    "IntTensor_sizes": lambda m: (m.IntTensor(2).shape, m.IntTensor(2).dtype),
    "BoolTensor": lambda m: m.BoolTensor([1, 0]),
    "ByteTensor": lambda m: m.ByteTensor([3, 4]),
    "class_repr": lambda m: repr(m.FloatTensor),
    "isinstance_typed": lambda m: (isinstance(m.ones(2), m.FloatTensor),
                                   isinstance(m.ones(2).long(), m.FloatTensor),
                                   isinstance(m.ones(2).long(), m.LongTensor)),
    "type_to_class": lambda m: m.ones(2).type(m.DoubleTensor),
    "type_to_name": lambda m: m.ones(2).type("torch.LongTensor"),
    "type_name": lambda m: m.ones(2).int().type(),
    "layout": lambda m: (m.ones(2).layout, m.strided, m.ones(2).layout == m.strided),
    "Variable": lambda m: m.autograd.Variable(m.ones(2), requires_grad=True),
    "Variable_plain": lambda m: m.autograd.Variable(m.ones(2)).requires_grad,
    "Variable_isinstance": lambda m: isinstance(m.ones(2), m.autograd.Variable),
    "Variable_module": lambda m: __import__(m.__name__ + ".autograd.variable",
                                            fromlist=["Variable"]).Variable(m.ones(1)),
    "device_value": lambda m: (m.device("cpu"), str(m.device("cpu")), m.ones(1).device),
    "finfo_half": lambda m: repr(m.finfo(m.float16)),
    "finfo_default": lambda m: repr(m.finfo()),
    "finfo_double": lambda m: repr(m.finfo(m.float64)),
    "finfo_fields": lambda m: (m.finfo(m.float16).bits, m.finfo().eps, m.finfo(m.float64).max,
                               m.finfo(m.float32).tiny, m.finfo().resolution, m.finfo().dtype),
    "iinfo_int32": lambda m: repr(m.iinfo(m.int32)),
    "iinfo_uint8": lambda m: repr(m.iinfo(m.uint8)),
    "iinfo_fields": lambda m: (m.iinfo(m.int8).bits, m.iinfo(m.int8).max, m.iinfo(m.int64).min,
                               m.iinfo(m.int16).dtype),
    "strides": lambda m: (lambda x: (x.stride(), x.stride(1), x.stride(-1),
                                     x.transpose(0, 2).stride(), x[:, 1].stride(),
                                     x.expand(2, 2, 3, 4).stride()))(m.ones(2, 3, 4)),
    "storage_offsets": lambda m: (lambda x: (x.storage_offset(), x[:, 1].storage_offset(),
                                             x[1:, 1:].storage_offset(),
                                             x[1][2].storage_offset()))(m.ones(2, 3, 4)),
    "contiguity": lambda m: (lambda x: (x.is_contiguous(), x.transpose(0, 1).is_contiguous(),
                                        x[:, :1].is_contiguous(),
                                        m.ones(3, 1)[:, 0].is_contiguous()))(m.ones(2, 3, 4)),
    "tril_indices": lambda m: m.tril_indices(3, 3),
    "triu_indices_offset": lambda m: m.triu_indices(3, 4, 1),
    "tril_indices_below": lambda m: m.tril_indices(4, 3, -1),
    "data_ptr_of_a_view": lambda m: (lambda x: x[1:].data_ptr() - x.data_ptr())(m.ones(3)),
    "unique": lambda m: m.unique(m.tensor([3.0, 1.0, 2.0, 3.0, 1.0])),
    "unique_inverse_counts": lambda m: m.unique(m.tensor([3.0, 1.0, 2.0, 3.0, 1.0]),
                                                return_inverse=True, return_counts=True),
    "unique_requiring_grad": lambda m: m.tensor([3.0, 1.0, 3.0], requires_grad=True).unique(),
    "unique_rows": lambda m: m.unique(m.tensor([[1, 2], [1, 2], [0, 1]]), dim=0),
    "unique_columns_counts": lambda m: m.unique(m.tensor([[2, 1], [1, 2]]), dim=1,
                                                return_counts=True),
    "unique_keeps_nans_apart": lambda m: m.unique(m.tensor([2.0, float("nan"), float("nan")])),
    "unique_consecutive": lambda m: m.unique_consecutive(m.tensor([1, 1, 2, 2, 1]),
                                                         return_inverse=True, return_counts=True),
    "bincount": lambda m: m.bincount(m.tensor([0, 1, 1, 3])),
    "bincount_weights": lambda m: m.bincount(m.tensor([0, 1, 1]), weights=m.tensor([0.5, 1, 2.])),
    "bincount_minlength": lambda m: m.bincount(m.tensor([1]), minlength=4),
    "histc_range": lambda m: m.histc(m.tensor([1.0, 2, 1, 4]), bins=4, min=0, max=3),
    "histc_data_range": lambda m: m.histc(m.tensor([1.0, 2, 1, 4]), bins=3),
    "histc_single_value": lambda m: m.histc(m.tensor([2.0, 2.0]), bins=2),
    "histc_empty": lambda m: m.histc(m.tensor([]), bins=2),
    "searchsorted": lambda m: m.searchsorted(m.tensor([1, 3, 5, 7]), m.tensor([3, 6, 9])),
    "searchsorted_right": lambda m: m.searchsorted(m.tensor([1, 3, 5, 7]), m.tensor([3, 6, 9]),
                                                   right=True),
    "searchsorted_rows": lambda m: m.searchsorted(m.tensor([[1, 3], [2, 4]]),
                                                  m.tensor([[2], [3]])),
    "searchsorted_number": lambda m: m.searchsorted(m.tensor([1.0, 3.0]), 2.0),
    "bucketize": lambda m: m.bucketize(m.tensor([3, 6, 9]), m.tensor([1, 3, 5, 7])),
    "logspace": lambda m: m.logspace(0, 2, 5),
    "logspace_base": lambda m: m.logspace(0, 1, 3, base=2),
    "logspace_many": lambda m: m.logspace(0, 3, 50),
    "linspace_float32_bits": lambda m: m.linspace(-3.141592653589793, 3.141592653589793,
                                                  2000).numpy().tobytes(),
    "linspace_float64_bits": lambda m: m.linspace(0.1, 0.7, 13, dtype=m.float64).numpy()
    .tobytes(),
    "linspace_float16_bits": lambda m: m.linspace(5, -5, 1000, dtype=m.float16).numpy().tobytes(),
    "linspace_int": lambda m: m.linspace(-3.14, 3.14, 20, dtype=m.int64),
    "arange_float32_bits": lambda m: m.arange(0.5, 100.3, 0.7).numpy().tobytes(),
    "arange_float64_bits": lambda m: m.arange(-7, 3, 0.013, dtype=m.float64).numpy().tobytes(),
    "arange_float16_bits": lambda m: m.arange(0, 10, 0.1, dtype=m.float16).numpy().tobytes(),
    "arange_descending_bits": lambda m: m.arange(10, 0, -0.3).numpy().tobytes(),
    "arange_ints": lambda m: m.arange(2, 11, 3),
    "linspace_one_step": lambda m: m.linspace(2, 3, 1),
    "cube_bits": lambda m: (m.linspace(-3, 3, 999) ** 3).numpy().tobytes(),
    "inverse_square_bits": lambda m: (m.linspace(0.1, 3, 999, dtype=m.float64) ** -2).numpy()
    .tobytes(),
    "inverse_root_bits": lambda m: (m.linspace(0.1, 3, 999) ** -0.5).numpy().tobytes(),
    "diff_of_bools": lambda m: m.diff(m.tensor([True, False, False, True])),
    "diff_of_ints": lambda m: m.diff(m.tensor([1, 4, 9])),
}


@pytest.mark.parametrize("name", sorted(CREATED))
def test_creation_and_legacy_api_match_torch(name):
    make = CREATED[name]
    assert repr(make(engine)) == repr(make(torch))


def test_variable_shares_storage_and_is_a_leaf():
    base = engine.ones(2)
    v = engine.autograd.Variable(base, requires_grad=True)
    assert v.is_leaf and v.requires_grad and not base.requires_grad
    base.data[0] = 5.0
    assert v.tolist() == [5.0, 1.0]


LEGACY_ERRORS = [
    ("requires_grad_keyword", lambda m: m.FloatTensor([1, 2], requires_grad=True)),
    ("string", lambda m: m.FloatTensor("a")),
    ("float", lambda m: m.Tensor(2.5)),
    ("wrong_dtype_tensor", lambda m: m.FloatTensor(m.ones(2).long())),
    ("ragged", lambda m: m.Tensor([[1, 2], [3]])),
]


@pytest.mark.parametrize("name, fn", LEGACY_ERRORS, ids=case_ids(LEGACY_ERRORS))
def test_legacy_errors_match_torch(name, fn):
    with pytest.raises(Exception) as theirs:
        fn(torch)
    with pytest.raises(type(theirs.value)) as ours:
        fn(engine)
    if name != "ragged":  # numpy words a ragged literal its own way
        assert str(ours.value) == str(theirs.value)
