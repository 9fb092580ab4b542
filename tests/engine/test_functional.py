"""``engine.nn.functional`` against ``torch.nn.functional``.

Cases are ``(id, fn(F, *tensors), input arrays)``; ``fn`` receives the
functional module (engine's or torch's), whose ``__name__`` finds the
library when a case needs ``tensor``. Class-index targets are integer arrays,
so they never require grad.
"""
import importlib
import warnings

import numpy as np
import opcheck
import pytest

import engine
import engine.nn.functional as EF

X = np.array([[-1.3, 0.4, 2.1], [0.7, -0.2, 1.6]])
Y = np.array([[0.5, -0.9, 1.1], [-1.4, 0.8, 0.3]])
ROW = np.array([0.2, -0.5, 1.9])
W = np.array([[0.3, -0.1, 0.8], [-0.6, 0.2, 0.4], [0.1, 0.9, -0.3], [0.5, -0.7, 0.2]])
B = np.array([0.1, -0.2, 0.3, 0.05])
X3 = np.linspace(-1.5, 1.7, 24).reshape(2, 4, 3)
IMAGE = np.sin(np.arange(48.0)).reshape(2, 3, 2, 4)
LABELS = np.array([2, 0])
LABELS_IGNORED = np.array([-100, 1])
LABELS3 = np.array([[0, 2, 1, 2], [1, 1, 0, 2]])[:, :3]
IMAGE_LABELS = np.array([[[0, 2, 1, 1], [2, 2, 0, 1]], [[1, 0, 0, 2], [2, 1, 1, 0]]])
CLASS_WEIGHTS = np.array([0.2, 1.5, 0.7])
PROBABILITIES = np.array([[0.2, 0.5, 0.3], [0.6, 0.1, 0.3]])


def _library(F):
    return importlib.import_module(F.__name__.split(".")[0])


def _constant(F, array):
    library = _library(F)
    return library.tensor(array, dtype=library.float64)


CASES = [
    ("relu", lambda F, x: F.relu(x), [X]),
    ("relu-inplace", lambda F, x: F.relu(x * 1, inplace=True), [X]),
    ("sigmoid", lambda F, x: F.sigmoid(x), [X]),
    ("tanh", lambda F, x: F.tanh(x), [X]),
    ("leaky_relu", lambda F, x: F.leaky_relu(x, 0.1), [X]),
    ("leaky_relu-default", lambda F, x: F.leaky_relu(x), [X]),
    ("leaky_relu-inplace", lambda F, x: F.leaky_relu(x.clone(), 0.2, inplace=True), [X]),
    ("gelu", lambda F, x: F.gelu(x), [X]),
    ("gelu-tanh", lambda F, x: F.gelu(x, approximate="tanh"), [X]),
    ("softmax", lambda F, x: F.softmax(x, dim=1), [X]),
    ("softmax-dim0", lambda F, x: F.softmax(x, 0), [X]),
    ("log_softmax", lambda F, x: F.log_softmax(x, dim=-1), [X]),
    ("mse_loss", lambda F, x, y: F.mse_loss(x, y), [X, Y]),
    ("mse_loss-sum", lambda F, x, y: F.mse_loss(x, y, reduction="sum"), [X, Y]),
    ("mse_loss-none", lambda F, x, y: F.mse_loss(x, y, reduction="none"), [X, Y]),
    ("mse_loss-constant-target", lambda F, x: F.mse_loss(x, _constant(F, Y)), [X]),
    ("mse_loss-computed-target", lambda F, x, y: F.mse_loss(x, y * 2), [X, Y]),
    ("mse_loss-0dim", lambda F, x, y: F.mse_loss(x.sum(), y.sum()), [X, Y]),
    ("nll_loss", lambda F, x, t: F.nll_loss(x, t), [X, LABELS]),
    ("nll_loss-sum", lambda F, x, t: F.nll_loss(x, t, reduction="sum"), [X, LABELS]),
    ("nll_loss-none", lambda F, x, t: F.nll_loss(x, t, reduction="none"), [X, LABELS]),
    ("nll_loss-ignore", lambda F, x, t: F.nll_loss(x, t), [X, LABELS_IGNORED]),
    ("nll_loss-ignore-custom", lambda F, x, t: F.nll_loss(x, t, ignore_index=2), [X, LABELS]),
    ("nll_loss-1d", lambda F, x, t: F.nll_loss(x[0], t[0]), [X, LABELS]),
    ("nll_loss-1d-none", lambda F, x, t: F.nll_loss(x[0], t[0], reduction="none"), [X, LABELS]),
    ("nll_loss-3d-none", lambda F, x, t: F.nll_loss(x, t, reduction="none"), [X3[:, :, :3], LABELS3]),
    ("cross_entropy", lambda F, x, t: F.cross_entropy(x, t), [X, LABELS]),
    ("cross_entropy-sum", lambda F, x, t: F.cross_entropy(x, t, reduction="sum"), [X, LABELS]),
    ("cross_entropy-none", lambda F, x, t: F.cross_entropy(x, t, reduction="none"), [X, LABELS]),
    ("cross_entropy-ignore", lambda F, x, t: F.cross_entropy(x, t), [X, LABELS_IGNORED]),
    ("cross_entropy-1d", lambda F, x, t: F.cross_entropy(x[1], t[1]), [X, LABELS]),
    ("cross_entropy-3d", lambda F, x, t: F.cross_entropy(x, t), [X3[:, :, :3], LABELS3]),
    ("cross_entropy-image", lambda F, x, t: F.cross_entropy(x, t), [IMAGE, IMAGE_LABELS]),
    ("cross_entropy-image-none",
     lambda F, x, t: F.cross_entropy(x, t, reduction="none"), [IMAGE, IMAGE_LABELS]),
    ("cross_entropy-5d", lambda F, x, t: F.cross_entropy(x.unsqueeze(-1), t.unsqueeze(-1)),
     [IMAGE, IMAGE_LABELS]),
    ("cross_entropy-probabilities", lambda F, x, p: F.cross_entropy(x, p), [X, PROBABILITIES]),
    ("cross_entropy-probabilities-sum", lambda F, x, p: F.cross_entropy(x, p, reduction="sum"),
     [X, PROBABILITIES]),
    ("cross_entropy-probabilities-none", lambda F, x, p: F.cross_entropy(x, p, reduction="none"),
     [X, PROBABILITIES]),
    ("cross_entropy-probabilities-weight-smoothing",
     lambda F, x, p: F.cross_entropy(x, p, weight=_constant(F, CLASS_WEIGHTS), label_smoothing=0.2),
     [X, PROBABILITIES]),
    ("cross_entropy-probabilities-1d", lambda F, x, p: F.cross_entropy(x[0], p[0]),
     [X, PROBABILITIES]),
    ("cross_entropy-smoothing", lambda F, x, t: F.cross_entropy(x, t, label_smoothing=0.1),
     [X, LABELS_IGNORED]),
    ("cross_entropy-smoothing-weight",
     lambda F, x, t: F.cross_entropy(x, t, weight=_constant(F, CLASS_WEIGHTS), label_smoothing=0.1),
     [X, LABELS_IGNORED]),
    ("cross_entropy-smoothing-sum",
     lambda F, x, t: F.cross_entropy(x, t, label_smoothing=0.3, reduction="sum"), [X, LABELS]),
    ("cross_entropy-smoothing-none",
     lambda F, x, t: F.cross_entropy(x, t, label_smoothing=0.3, reduction="none"), [X, LABELS]),
    ("cross_entropy-smoothing-image",
     lambda F, x, t: F.cross_entropy(x, t, label_smoothing=0.2), [IMAGE, IMAGE_LABELS]),
    ("linear", lambda F, x, w, b: F.linear(x, w, b), [X, W, B]),
    ("linear-no-bias", lambda F, x, w: F.linear(x, w), [X, W]),
    ("linear-3d", lambda F, x, w, b: F.linear(x, w, b), [X3, W, B]),
    ("linear-3d-no-bias", lambda F, x, w: F.linear(x, w), [X3, W]),
    ("linear-1d", lambda F, r, w, b: F.linear(r, w, b), [ROW, W, B]),
    ("linear-1d-no-bias", lambda F, r, w: F.linear(r, w), [ROW, W]),
    ("mlp", lambda F, x, w, b, t: F.cross_entropy(F.linear(F.relu(x), w, b).T[:3].T, t),
     [X, W, B, LABELS]),
]


@pytest.mark.parametrize("case_id, fn, arrays", CASES, ids=[c[0] for c in CASES])
def test_gradients(case_id, fn, arrays):
    opcheck.check_gradients(lambda m, *xs: fn(m.nn.functional, *xs), arrays)


@pytest.mark.parametrize("case_id, fn, arrays", CASES, ids=[c[0] for c in CASES])
def test_against_torch(case_id, fn, arrays):
    torch = pytest.importorskip("torch")
    opcheck.check_against_torch(torch, lambda m, *xs: fn(m.nn.functional, *xs), arrays)


# Weighted losses: the weight is a constant (PyTorch refuses a weight that requires grad).
WEIGHTED_CASES = [
    ("nll_loss-weight", lambda F, x, t: F.nll_loss(x, t, weight=_constant(F, CLASS_WEIGHTS))),
    ("cross_entropy-weight",
     lambda F, x, t: F.cross_entropy(x, t, weight=_constant(F, CLASS_WEIGHTS))),
    ("cross_entropy-weight-sum",
     lambda F, x, t: F.cross_entropy(x, t, weight=_constant(F, CLASS_WEIGHTS), reduction="sum")),
    ("cross_entropy-weight-ignore",
     lambda F, x, t: F.cross_entropy(x, t, weight=_constant(F, CLASS_WEIGHTS), ignore_index=2)),
    ("cross_entropy-weight-none",
     lambda F, x, t: F.cross_entropy(x, t, weight=_constant(F, CLASS_WEIGHTS), reduction="none")),
]


@pytest.mark.parametrize("case_id, fn", WEIGHTED_CASES, ids=[c[0] for c in WEIGHTED_CASES])
def test_weighted_losses(case_id, fn):
    arrays = [X, LABELS]
    opcheck.check_gradients(lambda m, *xs: fn(m.nn.functional, *xs), arrays)
    torch = pytest.importorskip("torch")
    opcheck.check_against_torch(torch, lambda m, *xs: fn(m.nn.functional, *xs), arrays)


def test_all_targets_ignored_gives_nan_like_torch():
    torch = pytest.importorskip("torch")
    fn = lambda m, x, t: m.nn.functional.cross_entropy(x, t * 0 - 100)  # noqa: E731
    opcheck.check_against_torch(torch, fn, [X, LABELS])



@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_plain_batches_give_the_general_paths_bits(reduction):
    """A plain batch (no weights, nothing ignored) takes a shortcut; unit weights
    force the general path, which must give the same loss and gradient bits."""
    rng = np.random.default_rng(3)
    data = rng.standard_normal((64, 10)).astype(np.float32)
    labels = engine.tensor(rng.integers(0, 10, 64))
    results = []
    for weight in (None, engine.ones(10)):
        x = engine.tensor(data, requires_grad=True)
        loss = EF.cross_entropy(x, labels, weight=weight, reduction=reduction)
        loss.backward()
        results.append((loss.detach().numpy().tobytes(), x.grad.numpy().tobytes()))
    assert results[0] == results[1]


@pytest.mark.parametrize("weighted", [False, True])
def test_minus_infinity_in_other_classes_stays_out_of_the_loss(weighted):
    torch = pytest.importorskip("torch")
    inf = float("inf")
    scores = np.array([[-inf, 0.0, -1.0], [0.5, -inf, 2.0]])
    weight = CLASS_WEIGHTS if weighted else None

    def fn(m, x, t):
        w = None if weight is None else m.tensor(weight, dtype=m.float64)
        return m.nn.functional.nll_loss(x, t, weight=w)
    opcheck.check_against_torch(torch, fn, [scores, np.array([1, 2])])

ERROR_CASES = [
    ("mse_loss-bad-reduction", lambda F, x, y: F.mse_loss(x, y, reduction="avg"), [X, Y]),
    ("mse_loss-bad-shape", lambda F, x, y: F.mse_loss(x, y[:, :2]), [X, Y]),
    ("cross_entropy-float-target", lambda F, x, y: F.cross_entropy(x, y[:, 0]), [X, Y]),
    ("cross_entropy-int32-target", lambda F, x, t: F.cross_entropy(x, t.int()), [X, LABELS]),
    ("cross_entropy-out-of-bounds", lambda F, x, t: F.cross_entropy(x, t + 1), [X, LABELS]),
    ("cross_entropy-negative", lambda F, x, t: F.cross_entropy(x, t - 3), [X, LABELS]),
    ("cross_entropy-batch", lambda F, x, t: F.cross_entropy(x, t[:1]), [X, LABELS]),
    ("cross_entropy-bad-reduction", lambda F, x, t: F.cross_entropy(x, t, reduction="avg"),
     [X, LABELS]),
    ("cross_entropy-weight-grad", lambda F, x, t, w: F.cross_entropy(x, t, weight=w),
     [X, LABELS, CLASS_WEIGHTS]),
    ("cross_entropy-probabilities-long", lambda F, x: F.cross_entropy(x, (x * 0).long()), [X]),
    ("cross_entropy-probabilities-ignore",
     lambda F, x, p: F.cross_entropy(x, p, ignore_index=1), [X, PROBABILITIES]),
    ("cross_entropy-probabilities-weight-size",
     lambda F, x, p, w: F.cross_entropy(x, p, weight=w.detach()[:2]), [X, PROBABILITIES, CLASS_WEIGHTS]),
    ("cross_entropy-smoothing-too-big",
     lambda F, x, t: F.cross_entropy(x, t, label_smoothing=1.5), [X, LABELS]),
    ("cross_entropy-probabilities-smoothing-too-big",
     lambda F, x, p: F.cross_entropy(x, p, label_smoothing=1.5), [X, PROBABILITIES]),
    ("nll_loss-weight-size", lambda F, x, t, w: F.nll_loss(x, t, weight=w.detach()[:2]),
     [X, LABELS, CLASS_WEIGHTS]),
    ("nll_loss-0dim", lambda F, x, t: F.nll_loss(x.sum(), t[0]), [X, LABELS]),
    ("nll_loss-1d-target-size", lambda F, x, t: F.nll_loss(x[0], t), [X, LABELS]),
    ("nll_loss-2d-target", lambda F, x, t: F.nll_loss(x, t.unsqueeze(0).expand(2, 2)),
     [X, LABELS]),
    ("nll_loss-3d-target-size", lambda F, x, t: F.nll_loss(x, t[:, :2]), [X3[:, :, :3], LABELS3]),
    ("nll_loss-image-target-dims", lambda F, x, t: F.nll_loss(x, t[:, 0]), [IMAGE, IMAGE_LABELS]),
    ("gelu-bad-approximate", lambda F, x: F.gelu(x, approximate="fast"), [X]),
    ("relu-inplace-leaf", lambda F, x: F.relu(x, inplace=True), [X]),
    ("linear-bad-shapes", lambda F, x, w: F.linear(x, w[:, :2]), [X, W]),
]


@pytest.mark.parametrize("case_id, fn, arrays", ERROR_CASES, ids=[c[0] for c in ERROR_CASES])
def test_errors(case_id, fn, arrays):
    torch = pytest.importorskip("torch")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the mse target-size warning is checked below
        opcheck.check_error(torch, lambda m, *xs: fn(m.nn.functional, *xs), arrays)


# ----------------------------------------------------------------- warnings
WARNING_CASES = [
    ("mse_loss-broadcast-target", lambda F, x, r: F.mse_loss(x, r)),
    ("softmax-implicit-dim", lambda F, x, r: F.softmax(x)),
    ("log_softmax-implicit-dim", lambda F, x, r: F.log_softmax(x)),
    ("legacy-size-average", lambda F, x, r: F.mse_loss(x, x.detach(), size_average=False)),
]


@pytest.mark.parametrize("case_id, fn", WARNING_CASES, ids=[c[0] for c in WARNING_CASES])
def test_warnings_and_values_match_torch(case_id, fn):
    torch = pytest.importorskip("torch")
    results = []
    for module in (EF, torch.nn.functional):
        library = _library(module)
        x = library.tensor(X, requires_grad=True)
        r = library.tensor(ROW, requires_grad=True)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            out = fn(module, x, r)
        out.sum().backward()
        results.append(([str(w.message) for w in caught], out.detach().numpy(),
                        x.grad.numpy(), opcheck.graph_signature(out.grad_fn)))
    (e_messages, e_value, e_grad, e_graph), (t_messages, t_value, t_grad, t_graph) = results
    assert e_messages == t_messages
    np.testing.assert_allclose(e_value, t_value, rtol=1e-6)
    np.testing.assert_allclose(e_grad, t_grad, rtol=1e-6)
    assert e_graph == t_graph


def test_loss_nodes_save_what_torch_saves():
    torch = pytest.importorskip("torch")
    for module in (EF, torch.nn.functional):
        library = _library(module)
        x = library.tensor(X, requires_grad=True)
        target = library.tensor(LABELS)
        node = module.nll_loss(x, target, weight=library.tensor(CLASS_WEIGHTS)).grad_fn
        assert node._saved_reduction == 1
        assert float(node._saved_total_weight) == pytest.approx(CLASS_WEIGHTS[LABELS].sum())
        assert module.mse_loss(x, x.detach(), reduction="sum").grad_fn._saved_reduction == 2
        assert module.leaky_relu(x, 0.3).grad_fn._saved_negative_slope == 0.3
        assert module.gelu(x, approximate="tanh").grad_fn._saved_approximate == "tanh"


# ---------------------------------------------------------- double backward
def _first_derivative(fn):
    def derivative(m, x):
        with m.enable_grad():  # finite differences call this under no_grad
            out = fn(m.nn.functional, x)
            return m.autograd.grad(out.sum(), x, create_graph=True)[0]
    return derivative


DOUBLE_BACKWARD = [
    ("gelu", lambda F, x: F.gelu(x)),
    ("gelu-tanh", lambda F, x: F.gelu(x, approximate="tanh")),
    ("mse_loss", lambda F, x: F.mse_loss(x * x, _constant(F, Y))),
    ("cross_entropy", lambda F, x: F.cross_entropy(x * x, _library(F).tensor(LABELS))),
    ("leaky_relu", lambda F, x: F.leaky_relu(x * x - 1, 0.1) * x),
]


@pytest.mark.parametrize("case_id, fn", DOUBLE_BACKWARD, ids=[c[0] for c in DOUBLE_BACKWARD])
def test_double_backward(case_id, fn):
    opcheck.check_gradients(_first_derivative(fn), [X])
    torch = pytest.importorskip("torch")
    values = []
    for library in (opcheck.engine, torch):
        x = library.tensor(X, requires_grad=True)
        first = _first_derivative(fn)(library, x)
        (second,) = library.autograd.grad(first.sum(), x)
        values.append((first.detach().numpy(), second.numpy()))
    for got, expected in zip(*values, strict=True):
        np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("shape", [(5, 3), (2, 3, 4)])
def test_nll_gradient_writes_only_targets_bit_for_bit(reduction, weighted, shape):
    """Like PyTorch's kernel: +0.0 off the targets whatever the gradient (negative, inf),
    and ``w * -(grad / total)`` at them. Bit for bit without weights; PyTorch sums the
    weights in a cascade of its own, so a weighted mean may differ in the last bit."""
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(3)
    logits = rng.standard_normal(shape).astype(np.float32)
    labels = rng.integers(0, 3, (shape[0],) + shape[2:])
    labels.reshape(-1)[1] = -100
    weight = np.array([0.3, 1.7, 0.9], dtype=np.float32) if weighted else None
    seed = np.array(-0.7, np.float32) if reduction != "none" else \
        np.where(labels % 2 == 0, np.float32(-1.3), np.float32(np.inf)).astype(np.float32)
    grads = []
    for library in (torch, engine):
        x = library.tensor(logits, requires_grad=True)
        w = None if weight is None else library.tensor(weight)
        loss = library.nn.functional.nll_loss(x, library.tensor(labels), weight=w,
                                              reduction=reduction)
        (plain,) = library.autograd.grad(loss, x, library.tensor(seed), retain_graph=True)
        (recorded,) = library.autograd.grad(loss, x, library.tensor(seed), create_graph=True)
        grads += [plain.detach().numpy(), recorded.detach().numpy()]
    theirs, ours, ours_recorded = grads[0], grads[2], grads[3]
    assert ours.tobytes() == ours_recorded.tobytes()
    assert (np.signbit(ours) == np.signbit(theirs)).all()
    if weighted and reduction == "mean":
        np.testing.assert_allclose(ours, theirs, rtol=1e-6)
    else:
        assert ours.tobytes() == theirs.tobytes()


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
def test_softmax_of_infinite_rows_is_silent_nan_like_torch(name):
    """A row holding +inf, or only -inf, gives nan throughout, without a numpy warning."""
    torch = pytest.importorskip("torch")
    inf = float("inf")
    rows = [[inf, 1.0], [-inf, -inf], [-inf, 1.0], [inf, inf], [float("nan"), 1.0]]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ours = getattr(engine, name)(engine.tensor(rows), 1).numpy()
    theirs = getattr(torch, name)(torch.tensor(rows), 1).numpy()
    np.testing.assert_array_equal(ours, theirs)
