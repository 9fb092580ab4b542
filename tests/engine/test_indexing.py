"""Indexing: ``x[...]`` reads (views and IndexBackward0), ``x[...] = v`` writes
(CopySlices, IndexPutBackward0, CopyBackwards), gather / scatter / index_select
/ masked_fill, and PyTorch's error texts.
"""
import warnings

import numpy as np
import opcheck
import pytest

import engine

rng = np.random.default_rng(5)


def r(*shape):
    return rng.standard_normal(shape)


def setitem_case(key, value_kind):
    """``y = x * 1; y[key] = value``: the write recorded on a non-leaf."""
    def fn(m, x, v):
        y = x * 1
        y[key] = v if value_kind == "tensor" else 2.5
        return y
    return fn


CASES = [
    ("int", lambda m, x: x[1], [r(3, 4)]),
    ("negative_int", lambda m, x: x[-1], [r(3, 4)]),
    ("two_ints", lambda m, x: x[1, 2], [r(3, 4)]),
    ("int_then_slice", lambda m, x: x[0, 1:], [r(3, 4)]),
    ("slice", lambda m, x: x[1:], [r(3, 4)]),
    ("full_slice", lambda m, x: x[:], [r(3, 4)]),
    ("slice_step", lambda m, x: x[::2], [r(5, 2)]),
    ("slice_second_dim", lambda m, x: x[:, 1:3], [r(3, 4)]),
    ("slice_step_then_int", lambda m, x: x[:, ::2, 0], [r(2, 5, 3)]),
    ("full_slice_then_int", lambda m, x: x[:, 1], [r(3, 4)]),
    ("negative_bounds", lambda m, x: x[-2:-1], [r(3, 4)]),
    ("none", lambda m, x: x[None], [r(3, 4)]),
    ("int_none", lambda m, x: x[0, None], [r(3, 4)]),
    ("ellipsis_alone", lambda m, x: x[...], [r(3, 4)]),
    ("ellipsis_int", lambda m, x: x[..., 1], [r(2, 3, 4)]),
    ("none_ellipsis_int", lambda m, x: x[None, ..., 0], [r(2, 3)]),
    ("ellipsis_after_select", lambda m, x: x[0][...], [r(2, 3)]),
    ("list", lambda m, x: x[[0, 2, 0]], [r(3, 4)]),
    ("tensor_index", lambda m, x, i: x[i], [r(3, 4), np.array([2, 0])]),
    ("tensor_0d_index", lambda m, x, i: x[i], [r(3, 4), np.array(1)]),
    ("tensor_2d_index", lambda m, x, i: x[:, i], [r(3, 4), np.array([[0, 1], [3, 3]])]),
    ("mask", lambda m, x: x[x > 0], [r(3, 4)]),
    ("mask_rows", lambda m, x, k: x[k], [r(3, 2), np.array([True, False, True])]),
    ("slice_then_list", lambda m, x: x[1:, [0, 2]], [r(3, 4)]),
    ("int_then_list", lambda m, x: x[0, [0, 1], :], [r(2, 3, 4)]),
    ("separated_lists", lambda m, x: x[[0, 1], :, [1, 0]], [r(2, 3, 2)]),
    ("python_bool", lambda m, x: x[True], [r(2, 3)]),
    ("index_then_select", lambda m, x: x[:, [0, 2]][0], [r(3, 4)]),
    ("setitem_row", setitem_case(0, "tensor"), [r(3, 4), r(4)]),
    ("setitem_number", setitem_case((slice(None), 1), "number"), [r(3, 4), r(1)]),
    ("setitem_broadcast", setitem_case(slice(1, None), "tensor"), [r(3, 4), r(4)]),
    ("setitem_leading_ones", setitem_case(slice(0, 2), "tensor"), [r(3, 4), r(1, 1, 4)]),
    ("setitem_0d_value", setitem_case(1, "tensor"), [r(3, 4), r()]),
    ("setitem_slice_of_row", setitem_case((0, slice(1, None)), "tensor"), [r(3, 4), r(3)]),
    ("setitem_list", setitem_case([0, 2], "tensor"), [r(3, 4), r(4)]),
    ("setitem_ellipsis", setitem_case(Ellipsis, "tensor"), [r(3, 4), r(4)]),
    ("setitem_mask", lambda m, x, v: _masked_write(x, v), [r(3, 4), r(1)]),
    ("setitem_through_view", lambda m, x: _write_through_view(x), [r(3, 4)]),
    ("setitem_on_plain_tensor", lambda m, v: _write_into_zeros(m, v), [r(4)]),
    ("gather", lambda m, x, i: x.gather(1, i), [r(3, 4), np.array([[0, 0], [1, 3], [2, 1]])]),
    ("gather_dim0", lambda m, x, i: m.gather(x, 0, i), [r(3, 4), np.array([[2, 1, 0, 0]])]),
    ("scatter_src", lambda m, x, i, s: x.scatter(1, i, s), [r(3, 4), np.array([[0], [3], [1]]), r(3, 1)]),
    ("scatter_value", lambda m, x, i: x.scatter(0, i, 1.5), [r(3, 4), np.array([[2, 0, 1, 1]])]),
    ("scatter_add", lambda m, x, i, s: x.scatter_add(1, i, s),
     [r(2, 3), np.array([[0, 0], [2, 1]]), r(2, 2)]),
    ("index_select", lambda m, x, i: x.index_select(1, i), [r(3, 4), np.array([3, 0, 3])]),
    ("index_select_dim0", lambda m, x, i: m.index_select(x, 0, i), [r(3, 4), np.array([1])]),
    ("gather_int32_index", lambda m, x, i: x.gather(0, i), [r(3), np.array([2, 2], dtype=np.int32)]),
    ("masked_fill", lambda m, x: x.masked_fill(x > 0, 0.0), [r(3, 4)]),
    ("masked_fill_broadcast", lambda m, x, k: x.masked_fill(k, -1.0),
     [r(3, 4), np.array([True, False, False, True])]),
    ("masked_fill_tensor_value", lambda m, x, v: x.masked_fill(x > 0, v), [r(3, 4), r()]),
    ("index_put", lambda m, x, i, v: x.index_put((i,), v), [r(3, 4), np.array([2, 0]), r(4)]),
    ("index_put_accumulate", lambda m, x, i, v: m.index_put(x, (i,), v, accumulate=True),
     [r(3), np.array([0, 0, 2]), r(3)]),
]


def _masked_write(x, v):
    y = x * 1
    y[y > 0] = v
    return y


def _write_through_view(x):
    y = x * 1
    row = y[1]
    row[2] = 7.0
    return y, row


def _write_into_zeros(m, v):
    z = m.zeros(2, 4, dtype=m.float64)
    z[1] = v
    return z


ERRORS = [
    ("int_out_of_range", lambda m, x: x[5], [r(3, 4)]),
    ("second_int_out_of_range", lambda m, x: x[0, 7], [r(2, 3)]),
    ("too_many_indices", lambda m, x: x[0, 0, 0], [r(3, 4)]),
    ("index_0d", lambda m, x: x[0], [r()]),
    ("float_index", lambda m, x: x[1.5], [r(3, 4)]),
    ("float_tensor_index", lambda m, x, i: x[i], [r(3, 4), r(2)]),
    ("list_out_of_range", lambda m, x: x[[0, 5]], [r(3, 4)]),
    ("mask_shape", lambda m, x, k: x[k], [r(3, 4), np.array([True, False])]),
    ("negative_step", lambda m, x: x[::-1], [r(3, 4)]),
    ("setitem_leaf", lambda m, x: x.__setitem__(0, 1.0), [r(3, 4)]),
    ("setitem_view_of_leaf", lambda m, x: x[0].__setitem__(0, 1.0), [r(3, 4)]),
    ("setitem_shape", lambda m, x, v: (x * 1).__setitem__(0, v), [r(2, 4), r(3)]),
    ("setitem_index_shape", lambda m, x, v: (x * 1).__setitem__([0, 1], v), [r(2, 4), r(3)]),
    ("gather_rank", lambda m, x, i: x.gather(1, i), [r(3, 4), np.array([0, 1])]),
    ("gather_dtype", lambda m, x, i: x.gather(1, i.float()), [r(3, 4), np.array([[0]])]),
    ("setitem_leaf_everything", lambda m, x: x.__setitem__(Ellipsis, 1.0), [r(3, 4)]),
    ("setitem_leaf_list", lambda m, x: x.__setitem__([0], 1.0), [r(3, 4)]),
    ("gather_out_of_range", lambda m, x, i: x.gather(1, i), [r(3, 4), np.array([[5]])]),
    ("index_select_out_of_range", lambda m, x, i: x.index_select(0, i), [r(3, 4), np.array([3])]),
    ("masked_fill_float_mask", lambda m, x: x.masked_fill(x, 0.0), [r(3, 4)]),
    ("scatter_reduce_unknown", lambda m, x, i: x.scatter(0, i, 1.0, reduce="mean"),
     [r(3, 4), np.array([[0, 1, 2, 0]])]),
    ("scatter_reduce_backward", lambda m, x, i, s: x.scatter(0, i, s, reduce="add").sum().backward(),
     [r(3, 4), np.array([[0, 1, 2, 0], [1, 2, 0, 1]]), r(2, 4)]),
]

# scatter(reduce=...) has no derivative in PyTorch: values and graph (a NotImplemented
# node, edges only to the inputs that require grad), backward an error (in ERRORS).
SCATTER_REDUCE_CASES = [
    ("add", lambda m, x, i, s: x.scatter(0, i, s, reduce="add"),
     [r(3, 4), np.array([[0, 1, 2, 0], [1, 2, 0, 1]]), r(2, 4)]),
    ("multiply", lambda m, x, i, s: x.scatter(1, i, s, reduce="multiply"),
     [r(3, 4), np.array([[0, 0], [3, 1], [2, 2]]), r(3, 2)]),
    ("value", lambda m, x, i: x.scatter(0, i, 2.5, reduce="multiply"), [r(3, 4), np.array([[2, 0, 1, 1]])]),
    ("src_only", lambda m, x, i, s: x.detach().scatter(0, i, s, reduce="add"),
     [r(3, 4), np.array([[0, 1, 2, 0]]), r(1, 4)]),
    ("in_place", lambda m, x, i, s: (x * 1).scatter_(0, i, s, reduce="add"),
     [r(3, 4), np.array([[0, 1, 2, 0]]), r(1, 4)]),
]


@pytest.mark.parametrize("name, fn, arrays", SCATTER_REDUCE_CASES,
                         ids=opcheck.case_ids(SCATTER_REDUCE_CASES))
def test_scatter_reduce_against_torch(name, fn, arrays):
    torch = pytest.importorskip("torch")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PyTorch warns that reduce= is deprecated for scatter_
        expected = fn(torch, *opcheck.torch_tensors(torch, arrays))
    got = fn(engine, *opcheck.engine_tensors(arrays))
    np.testing.assert_allclose(got.detach().numpy(), expected.detach().numpy())
    assert opcheck.graph_signature(got.grad_fn) == opcheck.graph_signature(expected.grad_fn)
    assert repr(got).split("grad_fn=")[-1] == repr(expected).split("grad_fn=")[-1]


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


BASIC_KEYS = [0, (0, slice(1, None)), slice(None, None, 2), (None, 1), (Ellipsis, 1), slice(None)]


@pytest.mark.parametrize("key", BASIC_KEYS, ids=[repr(k) for k in BASIC_KEYS])
def test_basic_indexing_returns_views_sharing_version(key):
    base = engine.arange(12.0).reshape(3, 4).clone()
    view = base[key]
    assert view._base is base
    before = base._version
    view.add_(1)
    assert base._version == view._version == before + 1
    assert base.sum().item() == 66 + view.numel()


def test_advanced_indexing_copies():
    base = engine.arange(6.0)
    picked = base[[0, 1]]
    picked.add_(1)
    assert base.tolist() == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
    assert base._version == 0


def test_setitem_without_grad_writes_and_bumps_version():
    x = engine.arange(6).view(2, 3)
    x[0] = 2.7
    assert x.tolist() == [[2, 2, 2], [3, 4, 5]] and x._version == 1
    leaf = engine.ones(2, 3, requires_grad=True)
    with engine.no_grad():
        leaf[0, 1:] = engine.tensor([5.0, 6.0])
    assert leaf.tolist() == [[1.0, 5.0, 6.0], [1.0, 1.0, 1.0]] and leaf.grad_fn is None


def test_setitem_invalidates_saved_tensor():
    torch = pytest.importorskip("torch")
    for m in (engine, torch):
        x = m.ones(3, requires_grad=True)
        y = x * 2
        z = y * y
        y[0] = 5.0
        with pytest.raises(RuntimeError, match="modified by an inplace operation"):
            z.sum().backward()


def test_iterating_a_tensor_selects_rows():
    x = engine.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    rows = list(x)
    assert [type(r.grad_fn).__name__ for r in rows] == ["SelectBackward0"] * 2
    (rows[0] * rows[1]).sum().backward()
    assert x.grad.tolist() == [[3.0, 4.0], [1.0, 2.0]]


def test_indexing_double_backward_matches_torch():
    torch = pytest.importorskip("torch")
    x = r(3, 4)

    def second(m):
        xt = m.tensor(x, requires_grad=True)
        y = xt[[0, 2, 2]] * xt[1:, None, 0].sum()
        (g,) = m.autograd.grad((y * y).sum(), xt, create_graph=True)
        (h,) = m.autograd.grad((g * g).sum(), xt)
        return h.numpy()

    np.testing.assert_allclose(second(engine), second(torch), rtol=1e-6, atol=1e-9)
