"""Shape ops: transposes, permutations, flatten, repeat, cat/stack/hstack/vstack, split/chunk/
unbind/tensor_split.

Tables of cases checked by finite differences and against PyTorch (values,
dtype, graph structure, gradients); views are checked to share the version
counter of their base.
"""
import numpy as np
import opcheck
import pytest

import engine

rng = np.random.default_rng(3)


def r(*shape):
    return rng.standard_normal(shape)


CASES = [
    ("t", lambda m, x: x.t(), [r(2, 3)]),
    ("t_1d", lambda m, x: m.t(x), [r(3)]),
    ("transpose", lambda m, x: x.transpose(0, 2), [r(2, 3, 4)]),
    ("transpose_neg", lambda m, x: m.transpose(x, -1, -2), [r(2, 3)]),
    ("swapaxes", lambda m, x: x.swapaxes(0, 1), [r(2, 3)]),
    ("swapdims", lambda m, x: x.swapdims(1, 0), [r(2, 3)]),
    ("permute", lambda m, x: x.permute(2, 0, 1), [r(2, 3, 4)]),
    ("permute_tuple_neg", lambda m, x: m.permute(x, (-1, 0, 1)), [r(2, 3, 4)]),
    ("movedim", lambda m, x: x.movedim(0, -1), [r(2, 3, 4)]),
    ("movedim_many", lambda m, x: m.movedim(x, (0, 1), (2, 0)), [r(2, 3, 4)]),
    ("T", lambda m, x: x.T, [r(2, 3)]),
    ("mT", lambda m, x: x.mT, [r(2, 3, 4)]),
    ("flatten", lambda m, x: x.flatten(), [r(2, 3, 4)]),
    ("flatten_partial", lambda m, x: x.flatten(1), [r(2, 3, 4)]),
    ("flatten_copy", lambda m, x: x.t().flatten(), [r(2, 3)]),
    ("flatten_0d", lambda m, x: x.sum().flatten(), [r(2)]),
    ("flatten_same_dim", lambda m, x: (x * 1).flatten(1, 1), [r(2, 3)]),
    ("unflatten", lambda m, x: x.unflatten(1, (2, 2)), [r(3, 4)]),
    ("unflatten_infer", lambda m, x: x.t().unflatten(0, (-1, 2)), [r(3, 4)]),
    ("view_as", lambda m, x, y: x.view_as(y), [r(2, 6), r(3, 4)]),
    ("reshape_as_copy", lambda m, x, y: x.t().reshape_as(y), [r(2, 6), r(12)]),
    ("reshape_view", lambda m, x: x.reshape(3, -1), [r(2, 6)]),
    ("repeat", lambda m, x: x.repeat(2, 3), [r(2, 3)]),
    ("repeat_new_dims", lambda m, x: x.repeat(2, 1, 2), [r(3)]),
    ("cat", lambda m, x, y: m.cat([x, y * 2]), [r(2, 3), r(4, 3)]),
    ("cat_dim1", lambda m, x, y: m.cat((x, y), dim=1), [r(2, 3), r(2, 1)]),
    ("cat_neg_dim", lambda m, x, y: m.cat([x, y, x], -1), [r(2, 3), r(2, 2)]),
    ("concat_alias", lambda m, x, y: m.concat([x, y]), [r(2, 3), r(1, 3)]),
    ("cat_no_grad_input", lambda m, x, y: m.cat([x, y]), [r(2, 3), np.ones((1, 3), dtype=np.int64)]),
    ("stack", lambda m, x, y: m.stack([x, y]), [r(2, 3), r(2, 3)]),
    ("stack_last", lambda m, x, y: m.stack([x, y, x], dim=-1), [r(2, 3), r(2, 3)]),
    ("split", lambda m, x: x.split(2), [r(5, 3)]),
    ("split_dim", lambda m, x: m.split(x, 2, dim=1), [r(2, 3)]),
    ("split_sizes", lambda m, x: x.split([1, 3], 1), [r(2, 4)]),
    ("split_one_used", lambda m, x: x.split(2)[1] * 3, [r(5, 3)]),
    ("chunk", lambda m, x: x.chunk(3, 1), [r(2, 4)]),
    ("chunk_more", lambda m, x: m.chunk(x, 2), [r(5, 2)]),
    ("unbind", lambda m, x: x.unbind(), [r(3, 2)]),
    ("unbind_dim", lambda m, x: m.unbind(x, -1)[1] * 2, [r(3, 2)]),
    ("narrow", lambda m, x: x.narrow(1, 1, 2), [r(3, 4)]),
    ("narrow_neg_start", lambda m, x: m.narrow(x, 0, -2, 2), [r(3, 4)]),
    ("select", lambda m, x: x.select(1, -1), [r(3, 4)]),
    ("expand_chain", lambda m, x: x.unsqueeze(0).expand(2, 3, 4).permute(2, 1, 0), [r(3, 4)]),
    ("squeeze_dims", lambda m, x: x.squeeze((0, 2)), [r(1, 3, 1)]),
    ("hstack_1d", lambda m, x, y: m.hstack([x, y * 2]), [r(3), r(2)]),
    ("hstack_0d", lambda m, x, y: m.hstack((x.sum(), y)), [r(2), r(3)]),
    ("hstack_2d", lambda m, x, y: m.hstack([x, y]), [r(2, 3), r(2, 1)]),
    ("vstack_1d", lambda m, x, y: m.vstack([x, y]), [r(3), r(3)]),
    ("vstack_mixed", lambda m, x, y: m.vstack([x, y]), [r(2, 3), r(3)]),
    ("row_stack_alias", lambda m, x, y: m.row_stack([x, y]), [r(1, 2), r(2, 2)]),
    ("atleast_1d", lambda m, x: m.atleast_1d(x.sum()) * 2, [r(3)]),
    ("atleast_2d", lambda m, x: m.atleast_2d(x), [r(3)]),
    ("atleast_2d_many", lambda m, x, y: m.atleast_2d(x.sum(), y), [r(2), r(2, 2)]),
    ("tensor_split", lambda m, x: x.tensor_split(3), [r(7, 2)]),
    ("tensor_split_indices", lambda m, x: m.tensor_split(x, [1, 3], dim=1), [r(2, 5)]),
    ("tensor_split_past_end", lambda m, x: x.tensor_split([2, 9])[1] * 3, [r(4)]),
]

ERRORS = [
    ("t_3d", lambda m, x: x.t(), [r(2, 3, 4)]),
    ("transpose_range", lambda m, x: x.transpose(0, 2), [r(2, 3)]),
    ("permute_length", lambda m, x: x.permute(0), [r(2, 3)]),
    ("permute_duplicate", lambda m, x: x.permute(0, 0), [r(2, 3)]),
    ("mT_1d", lambda m, x: x.mT, [r(3)]),
    ("flatten_order", lambda m, x: x.flatten(1, 0), [r(2, 3)]),
    ("unflatten_sizes", lambda m, x: x.unflatten(1, (3, 2)), [r(3, 4)]),
    ("view_not_viewable", lambda m, x: x.t().view(6), [r(2, 3)]),
    ("repeat_too_few", lambda m, x: x.repeat(2), [r(2, 3)]),
    ("cat_empty", lambda m: m.cat([]), []),
    ("cat_rank", lambda m, x, y: m.cat([x, y]), [r(2, 3), r(3)]),
    ("cat_sizes", lambda m, x, y: m.cat([x, y]), [r(2, 3), r(2, 4)]),
    ("cat_not_tensor", lambda m, x: m.cat([x, 3]), [r(2, 3)]),
    ("stack_sizes", lambda m, x, y: m.stack([x, y]), [r(2, 3), r(3)]),
    ("stack_empty", lambda m: m.stack([]), []),
    ("stack_dim", lambda m, x: m.stack([x, x], 3), [r(2, 3)]),
    ("split_sizes_sum", lambda m, x: x.split([1, 1], 0), [r(3, 4)]),
    ("chunk_zero", lambda m, x: x.chunk(0), [r(3, 4)]),
    ("narrow_past_end", lambda m, x: x.narrow(0, 2, 2), [r(3, 4)]),
    ("select_range", lambda m, x: x.select(0, 3), [r(3, 4)]),
    ("movedim_range", lambda m, x: x.movedim(0, 5), [r(3, 4)]),
    ("hstack_empty", lambda m: m.hstack([]), []),
    ("vstack_tensor", lambda m, x: m.vstack(x), [r(2, 3)]),
    ("tensor_split_0d", lambda m, x: x.sum().tensor_split(2), [r(3)]),
    ("tensor_split_zero", lambda m, x: x.tensor_split(0), [r(3)]),
]


@pytest.mark.parametrize("name, fn, arrays", CASES, ids=opcheck.case_ids(CASES))
def test_gradients(name, fn, arrays):
    opcheck.check_gradients(fn, arrays)


@pytest.mark.parametrize("name, fn, arrays", CASES, ids=opcheck.case_ids(CASES))
def test_against_torch(name, fn, arrays):
    torch = pytest.importorskip("torch")
    opcheck.check_against_torch(torch, fn, arrays)


@pytest.mark.parametrize("name, fn, arrays", ERRORS, ids=opcheck.case_ids(ERRORS))
def test_errors(name, fn, arrays):
    torch = pytest.importorskip("torch")
    opcheck.check_error(torch, fn, arrays)


VIEWS = [
    ("t", lambda x: x.t()),
    ("transpose", lambda x: x.transpose(0, 1)),
    ("permute", lambda x: x.permute(1, 0)),
    ("T", lambda x: x.T),
    ("flatten", lambda x: x.flatten()),
    ("unflatten", lambda x: x.unflatten(1, (2, 2))),
    ("narrow", lambda x: x.narrow(1, 1, 2)),
    ("split", lambda x: x.split(1)[1]),
    ("chunk", lambda x: x.chunk(2, 1)[0]),
    ("unbind", lambda x: x.unbind(1)[2]),
    ("tensor_split", lambda x: x.tensor_split(2, 1)[1]),
]


@pytest.mark.parametrize("name, make", VIEWS, ids=[v[0] for v in VIEWS])
def test_views_share_storage_and_version(name, make):
    base = engine.arange(12.0).reshape(3, 4)
    v = make(base)
    assert v._base is not None
    before = base._version
    v.mul_(2)
    assert base._version == before + 1 == v._version
    assert base.sum().item() == 66 + v.sum().item() / 2  # the doubled elements show in the base


def test_split_without_grad_for_unused_outputs():
    x = engine.tensor(r(4, 2), requires_grad=True)
    a, b = x.split(2)
    (b * 3).sum().backward()
    assert x.grad.tolist() == [[0.0, 0.0], [0.0, 0.0], [3.0, 3.0], [3.0, 3.0]]
    assert a.grad_fn is b.grad_fn and (a.output_nr, b.output_nr) == (0, 1)


def test_T_on_other_ranks_warns_like_torch():
    x = engine.tensor(r(3))
    with pytest.warns(UserWarning, match="The use of `x.T` on tensors of dimension other than 2"):
        assert x.T.shape == (3,)


def test_cat_promotes_and_casts_gradients_back():
    x = engine.tensor(np.ones((1, 2), dtype=np.float32), requires_grad=True)
    y = engine.tensor(np.ones((1, 2)), requires_grad=True)
    out = engine.cat([x, y])
    assert out.dtype is engine.float64
    out.sum().backward()
    assert x.grad.dtype is engine.float32 and y.grad.dtype is engine.float64
