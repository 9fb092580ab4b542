"""``backward_arrays`` formulas give exactly what the tensor formulas (``backward``) give.

Without ``create_graph`` the engine runs a node's ``backward_arrays`` on plain
arrays; with it, the node's ``backward`` runs as recorded engine ops. Both
must agree bit for bit (values, signs of zeros, nan and inf, dtypes) and warn
alike, on every node that has an array formula.
"""
import warnings

import numpy as np
import pytest

import engine
from engine.autograd.node import Node
from engine.ops.arithmetic import add_scalar, div_scalar, mul_scalar
from engine.ops.indexing import alias

F = engine.nn.functional
RNG = np.random.default_rng(7)


def _special(shape, dtype, positive=False):
    """Random values with zeros, signed zeros, infinities and nan mixed in."""
    data = RNG.standard_normal(shape).astype(dtype)
    if positive:
        data = np.abs(data) + dtype(0.5)
    flat = data.reshape(-1)
    specials = [0.0, -0.0, np.inf, -np.inf, np.nan, 1e4, -3.0]
    for i, value in enumerate(specials[:max(flat.size - 2, 0)]):
        flat[(i * 5) % flat.size] = value
    return data


def _run(fn, arrays, gradient, create_graph):
    leaves = [engine.from_numpy(a.copy()).requires_grad_() if a.dtype.kind == "f" else
              engine.from_numpy(a.copy()) for a in arrays]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = fn(*leaves)
        messages = len(caught)
        seed = engine.ones_like(out) if gradient is None else engine.from_numpy(gradient.copy())
        differentiable = [t for t in leaves if t.requires_grad]
        if create_graph:  # the tensor formulas, recorded
            grads = engine.autograd.grad(out, differentiable, seed, create_graph=True)
        else:  # the array formulas, through the engine's common path
            out.backward(seed)
            grads = [t.grad for t in differentiable]
    summary = [(str(g.dtype), tuple(g.shape), g.detach().numpy().tobytes()) for g in grads]
    return summary, sorted({str(w.message) for w in caught[messages:]})


def _grad_of(output, input, gradient):
    """The gradient as a function of ``input`` and ``gradient``: a fused kernel's node."""
    return engine.autograd.grad(output, input, gradient, create_graph=True)[0]


_INDEX = engine.tensor([[0, 2], [3, 3], [1, 0]])  # a repeated index adds up


CASES = {
    "MulBackward0": [
        (lambda x, y: x * y, [(3, 4), (3, 4)]),
        (lambda x, y: x * y, [(3, 4), (4,)]),
        (lambda x: x * 2.5, [(5,)]),
        (lambda x: 3 * x, [()]),
    ],
    "DivBackward0": [
        (lambda x, y: x / y, [(3, 4), (3, 4)]),
        (lambda x, y: x / y, [(6,), ()]),
        (lambda x: x / 4.0, [(5,)]),
    ],
    "AddBackward0": [
        (lambda x, y: x + y, [(3, 4), (4,)]),
        (lambda x, y: x.add(y, alpha=2.5), [(3, 4), (3, 1)]),
        (lambda x: x + 2, [(5,)]),
    ],
    "SubBackward0": [
        (lambda x, y: x - y, [(3, 4), (3, 4)]),
        (lambda x, y: x.sub(y, alpha=3), [(2, 3), ()]),
        (lambda x: x - 2, [(5,)]),
    ],
    "DivBackward2": [(lambda x, y: x.div(y, rounding_mode="floor"), [(3, 4), (4,)])],
    "RsubBackward1": [(lambda x: 2 - x, [(5,)]), (lambda x: engine.rsub(x, 2, alpha=3), [(2, 3)])],
    "NegBackward0": [(lambda x: -x, [(2, 3)])],
    "ReciprocalBackward0": [(lambda x: x.reciprocal(), [(6,)])],
    "PowBackward0": [(lambda x: x ** 2, [(5,)]), (lambda x: x ** 3, [(2, 3)]), (lambda x: x ** 0.5, [(6,)]),
                     (lambda x: x ** -2, [(4,)]), (lambda x: x ** 0, [(3,)]), (lambda x: x ** 2.5, [()])],
    "PowBackward1": [(lambda x, y: x ** y, [(3, 4), (3, 4)]), (lambda x, y: x ** y, [(4,), ()])],
    "PowBackward2": [(lambda x: 2.0 ** x, [(5,)]), (lambda x: (-2.0) ** x, [(3,)])],
    "MulBackward1": [(lambda x: mul_scalar(x, 2.5), [(5,)])],
    "DivBackward1": [(lambda x: div_scalar(x, 3), [(5,)])],
    "AddBackward1": [(lambda x: add_scalar(x, 3), [(5,)])],
    "SumBackward0": [(lambda x: x.sum(), [(3, 4)]), (lambda x: x.sum(), [()])],
    "SumBackward1": [(lambda x: x.sum(1), [(3, 4)]), (lambda x: x.sum((0, -1), keepdim=True), [(2, 3, 4)])],
    "MeanBackward0": [(lambda x: x.mean(), [(3, 4)]), (lambda x: x.mean(), [()])],
    "MeanBackward1": [(lambda x: x.mean(1), [(3, 4)]), (lambda x: x.mean((0, 2), keepdim=True), [(2, 3, 4)])],
    "ExpBackward0": [(lambda x: x.exp(), [(4, 3)])],
    "Exp2Backward0": [(lambda x: x.exp2(), [(4, 3)])],
    "Expm1Backward0": [(lambda x: x.expm1(), [(7,)])],
    "Log2Backward0": [(lambda x: x.log2(), [(7,)])],
    "Log10Backward0": [(lambda x: x.log10(), [(7,)])],
    "Log1PBackward0": [(lambda x: x.log1p(), [(7,)])],
    "ErfBackward0": [(lambda x: x.erf(), [(7,)])],
    "SqrtBackward0": [(lambda x: x.sqrt(), [(7,)])],
    "RsqrtBackward0": [(lambda x: x.rsqrt(), [(7,)])],
    "TanBackward0": [(lambda x: x.tan(), [(7,)])],
    "AbsBackward0": [(lambda x: x.abs(), [(7,)])],
    "SignBackward0": [(lambda x: x.sign(), [(7,)])],
    "LogBackward0": [(lambda x: x.log(), [(7,)])],
    "SinBackward0": [(lambda x: x.sin(), [(8,)]), (lambda x: x.sin(), [()])],
    "CosBackward0": [(lambda x: x.cos(), [(8,)])],
    "TanhBackward0": [(lambda x: x.tanh(), [(2, 5)])],
    "SigmoidBackward0": [(lambda x: x.sigmoid(), [(9,)])],
    "ReluBackward0": [(lambda x: x.relu(), [(4, 6)]), (lambda x: F.relu(x), [()])],
    "TanhBackwardBackward0": [(lambda x, g: _grad_of(x.tanh(), x, g), [(5,), (5,)])],
    "SigmoidBackwardBackward0": [(lambda x, g: _grad_of(x.sigmoid(), x, g), [(5,), (5,)])],
    "ThresholdBackwardBackward0": [(lambda x, g: _grad_of(x.relu(), x, g), [(5,), (5,)])],
    "SoftmaxBackwardDataBackward0": [(lambda x, g: _grad_of(x.softmax(1), x, g), [(3, 4), (3, 4)])],
    "LogSoftmaxBackwardDataBackward0": [(lambda x, g: _grad_of(x.log_softmax(0), x, g), [(3, 4), (3, 4)])],
    "ViewBackward0": [(lambda x: x.view(4, 3), [(3, 4)])],
    "UnsafeViewBackward0": [(lambda x: x.t().reshape(12), [(3, 4)])],
    "ExpandBackward0": [(lambda x: x.expand(2, 3, 4), [(3, 1)])],
    "UnsqueezeBackward0": [(lambda x: x.unsqueeze(-1), [(3, 4)]), (lambda x: x.unsqueeze(0), [()])],
    "SqueezeBackward0": [(lambda x: x.squeeze(), [(3, 1, 4)])],
    "SqueezeBackward1": [(lambda x: x.squeeze(1), [(3, 1, 4)]), (lambda x: x.squeeze(0), [(3, 4)])],
    "SqueezeBackward2": [(lambda x: x.squeeze((0, 2)), [(1, 3, 1)])],
    "CloneBackward0": [(lambda x: x.clone(), [(3, 4)])],
    "TransposeBackward0": [(lambda x: x.transpose(0, 2), [(2, 3, 4)]), (lambda x: x.transpose(0, 0), [()])],
    "PermuteBackward0": [(lambda x: x.permute(2, 0, 1), [(2, 3, 4)])],
    "FloorBackward0": [(lambda x: x.floor(), [(5,)])],
    "RoundBackward1": [(lambda x: x.round(decimals=1), [(5,)])],
    "FracBackward0": [(lambda x: x.frac(), [(5,)])],
    "ClampBackward1": [(lambda x: x.clamp(-0.5, 0.5), [(6,)]), (lambda x: x.clamp(min=0.1), [(6,)]),
                       (lambda x: x.clamp(max=0.1), [(6,)])],
    "ClampBackward0": [(lambda x, lo, hi: x.clamp(lo, hi), [(6,), (6,), (6,)]),
                       (lambda x, lo: x.clamp(min=lo), [(6,), (6,)])],
    "ClampMinBackward0": [(lambda x: x.clamp_min(0.2), [(6,)])],
    "ClampMinBackward1": [(lambda x, lo: x.clamp_min(lo), [(6,), (6,)])],
    "ClampMaxBackward0": [(lambda x: x.clamp_max(0.2), [(6,)])],
    "ClampMaxBackward1": [(lambda x, hi: x.clamp_max(hi), [(6,), (6,)])],
    "MaximumBackward0": [(lambda x, y: engine.maximum(x, y), [(6,), (6,)]),
                         (lambda x: engine.maximum(x, x), [(3,)])],
    "MinimumBackward0": [(lambda x, y: engine.minimum(x, y), [(6,), (6,)])],
    "WhereBackward0": [(lambda x, y: engine.where(x > y, x, y), [(6,), (6,)])],
    "LerpBackward0": [(lambda x, y: engine.lerp(x, y, 0.3), [(6,), (6,)])],
    "LerpBackward1": [(lambda x, y, w: engine.lerp(x, y, w), [(6,), (6,), (6,)])],
    "AddcmulBackward0": [(lambda x, a, b: engine.addcmul(x, a, b, value=0.5), [(6,), (6,), (6,)])],
    "AddcdivBackward0": [(lambda x, a, b: engine.addcdiv(x, a, b, value=0.5), [(6,), (6,), (6,)])],
    "DotBackward0": [(lambda x, y: x.dot(y), [(5,), (5,)])],
    "MvBackward0": [(lambda a, v: a.mv(v), [(3, 4), (4,)])],
    "BmmBackward0": [(lambda a, b: a.bmm(b), [(2, 3, 4), (2, 4, 5)])],
    "SqueezeBackward4": [(lambda v, b: v @ b, [(4,), (4, 3)])],
    "LeakyReluBackward0": [(lambda x: F.leaky_relu(x, 0.2), [(6,)])],
    "LeakyReluBackward1": [(lambda x: F.leaky_relu(x * 1, 0.2, inplace=True), [(6,)])],
    "LeakyReluBackwardBackward0": [(lambda x, g: _grad_of(F.leaky_relu(x, 0.2), x, g), [(5,), (5,)])],
    "RemainderBackward0": [(lambda x: x.remainder(0.7), [(6,)])],
    "RemainderBackward1": [(lambda x, y: x.remainder(y), [(6,), (6,)])],
    "FmodBackward0": [(lambda x: x.fmod(0.7), [(6,)])],
    "FmodBackward1": [(lambda x, y: x.fmod(y), [(6,), (6,)])],
    "NormalBackward0": [(lambda x: (x * 1).normal_(), [(6,)])],
    "NormalBackward1": [(lambda m: engine.normal(m, 1.0), [(6,)])],
    "NormalBackward2": [(lambda s: engine.normal(0.0, s.abs()), [(6,)])],
    "NormalBackward3": [(lambda m, s: engine.normal(m, s.abs()), [(6,), (6,)])],
    "BernoulliBackward0": [(lambda p: engine.bernoulli(p.clamp(0, 1)), [(6,)])],
    "SelectBackward0": [(lambda x: x[1], [(3, 4)]), (lambda x: x.select(1, -1), [(3, 4)])],
    "SelectBackwardBackward0": [(lambda x, g: _grad_of(x[1].exp(), x, g), [(3, 4), (4,)])],
    "SliceBackward0": [(lambda x: x[1:3], [(4, 3)]), (lambda x: x[:, ::2], [(3, 5)])],
    "SliceBackwardBackward0": [(lambda x, g: _grad_of(x[:, 1:].exp(), x, g), [(3, 4), (3, 3)])],
    "AliasBackward0": [(lambda x: alias(x), [(3,)])],
    "ZeroBackward0": [(lambda x: (x * 1).zero_(), [(4,)])],
    "FillBackward2": [(lambda x: (x * 1).fill_(2.0), [(4,)])],
    "FillBackward3": [(lambda x, v: (x * 1).fill_(v), [(4,), ()])],
    "FlipBackward0": [(lambda x: x.flip(0, 1), [(3, 4)]), (lambda x: x.flip(0), [()])],
    "TrilBackward0": [(lambda x: x.tril(1), [(3, 4)])],
    "TriuBackward0": [(lambda x: x.triu(-1), [(2, 3, 4)])],
    "CumsumBackward0": [(lambda x: x.cumsum(1), [(3, 4)]), (lambda x: x.cumsum(0), [()])],
    "TraceBackward0": [(lambda x: x.trace(), [(3, 4)])],
    "MaxBackward1": [(lambda x: x.max(), [(3, 4)]), (lambda x: (x * 0).max(), [(5,)])],
    "MinBackward1": [(lambda x: x.min(), [(3, 4)])],
    "MaxBackward0": [(lambda x: x.max(1)[0], [(3, 4)]), (lambda x: x.max(0, keepdim=True)[0], [(3, 4)])],
    "MinBackward0": [(lambda x: x.min(-1)[0], [(2, 3, 4)])],
    "AmaxBackward0": [(lambda x: x.amax(1), [(3, 4)]), (lambda x: x.amax(), [(5,)]),
                      (lambda x: (x * 0).amax((0, 1), keepdim=True), [(3, 4)])],
    "AminBackward0": [(lambda x: x.amin(0), [(3, 4)])],
    "MedianBackward0": [(lambda x: x.median(), [(7,)])],
    "LogsumexpBackward0": [(lambda x: x.logsumexp(1), [(3, 4)]),
                           (lambda x: x.logsumexp((0, 1), keepdim=True), [(3, 4)])],
    "VarBackward0": [(lambda x: x.var(1), [(3, 4)]), (lambda x: x.var(), [(5,)]),
                     (lambda x: x.var((0, 1), correction=0, keepdim=True), [(3, 4)])],
    "StdBackward0": [(lambda x: x.std(1), [(3, 4)]), (lambda x: (x * 0).std(), [(5,)])],
    "GatherBackward0": [(lambda x: x.gather(1, _INDEX), [(3, 4)])],
    "ScatterBackward0": [(lambda x, y: x.scatter(1, _INDEX, y), [(3, 4), (3, 2)])],
    "ScatterBackward1": [(lambda x: x.scatter(1, _INDEX, 2.0), [(3, 4)])],
    "ScatterAddBackward0": [(lambda x, y: x.scatter_add(1, _INDEX, y), [(3, 4), (3, 2)])],
    "MaskedFillBackward0": [(lambda x: x.masked_fill(x > 0, 1.5), [(3, 4)])],
    "MaskedFillBackward1": [(lambda x, v: x.masked_fill(x > 0, v), [(3, 4), ()])],
    "IndexBackward0": [(lambda x: x[_INDEX], [(5, 2)]), (lambda x: x[x > 0], [(3, 4)]),
                       (lambda x: x[:, [0, 2, 2]], [(2, 3)])],
    "IndexPutBackward0": [(lambda x, v: x.index_put((_INDEX[:, 0],), v), [(5,), (3,)]),
                          (lambda x, v: x.index_put((_INDEX[:, 0],), v, accumulate=True), [(5,), (3,)])],
    "IndexSelectBackward0": [(lambda x: x.index_select(1, _INDEX[:, 0]), [(3, 4)])],
    "SortBackward0": [(lambda x: x.sort(1)[0], [(3, 4)]), (lambda x: x.sort(0)[0], [()])],
    "TopkBackward0": [(lambda x: x.topk(2)[0], [(3, 4)])],
    "MedianBackward1": [(lambda x: x.median(1)[0], [(3, 5)]), (lambda x: x.median(0, True)[0], [(3, 5)])],
    "KthvalueBackward0": [(lambda x: x.kthvalue(2, 1)[0], [(3, 5)])],
    "CummaxBackward0": [(lambda x: x.cummax(1)[0], [(3, 5)]), (lambda x: x.cummax(0)[0], [()])],
    "CumminBackward0": [(lambda x: x.cummin(0)[0], [(3, 5)])],
    "RollBackward0": [(lambda x: x.roll(1), [(3, 4)]), (lambda x: x.roll((1, -2), (0, 1)), [(3, 4)])],
    "Rot90Backward0": [(lambda x: x.rot90(1, (0, 1)), [(3, 4)]), (lambda x: x.rot90(3, (2, 0)), [(2, 3, 4)])],
    "RepeatBackward0": [(lambda x: x.repeat(2, 3), [(3, 4)]), (lambda x: x.repeat(2, 1, 2), [(4,)])],
    "DiagonalBackward0": [(lambda x: x.diagonal(), [(3, 4)]), (lambda x: x.diagonal(1, 0, 2), [(3, 2, 4)])],
    "DiagonalBackward0_copy": [(lambda x: x.diag(-1), [(4, 3)])],
    "DiagonalBackwardBackward0": [(lambda x, g: _grad_of(x.diagonal().exp(), x, g), [(3, 4), (3,)])],
    "DiagEmbedBackward0": [(lambda x: x.diag_embed(1), [(2, 3)]), (lambda x: x.diag(), [(3,)])],
    "MmBackward0": [(lambda a, b: a @ b, [(3, 4), (4, 5)]),
                    (lambda a, b: a.t() @ b.t(), [(4, 3), (5, 4)])],  # column-major operands
    "AddmmBackward0": [(lambda c, a, w: engine.addmm(c, a, w.t()), [(5,), (3, 4), (5, 4)]),
                       (lambda c, a, w: engine.addmm(c, a.t(), w), [(3, 5), (4, 3), (4, 5)])],
    "TBackward0": [(lambda x: x.t(), [(3, 4)]), (lambda x: x.t(), [(4,)])],
    "SoftmaxBackward0": [(lambda x: x.softmax(1), [(3, 5)]), (lambda x: x.softmax(0), [()])],
    "LogSoftmaxBackward0": [(lambda x: x.log_softmax(0), [(4, 3)]),
                            (lambda x: x.log_softmax(0), [(5,)])],
}


def _array_nodes():
    found, stack = set(), [Node]
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if cls.__dict__.get("backward_arrays") is not None:
            found.add(cls.__name__)
    return found


def test_every_array_formula_is_checked_here():
    from test_binary_ops import binary_nodes  # each of those rows checks its node's array path
    assert _array_nodes() <= set(CASES) | {"NllLossBackward0"} | binary_nodes()


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.float16])
@pytest.mark.parametrize("name", sorted(CASES))
def test_array_formula_matches_tensor_formula(name, dtype):
    if dtype is np.float16 and name in ("MmBackward0", "AddmmBackward0", "SoftmaxBackward0",
                                        "LogSoftmaxBackward0", "SoftmaxBackwardDataBackward0",
                                        "LogSoftmaxBackwardDataBackward0"):
        pytest.skip("float16 is not the point of these ops")
    for fn, shapes in CASES[name]:
        for positive in (False, True):
            arrays = [_special(s, dtype, positive) for s in shapes]
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                probe = fn(*[engine.from_numpy(a.copy()).requires_grad_() for a in arrays])
            assert type(probe.grad_fn).__name__ == name
            for gradient in (None, _special(probe.shape, dtype)):
                if gradient is None and probe.dim():
                    gradient = np.ones(probe.shape, dtype)
                fast = _run(fn, arrays, gradient, create_graph=False)
                reference = _run(fn, arrays, gradient, create_graph=True)
                assert fast == reference


def test_mixed_dtypes_fall_back_to_the_tensor_formula():
    """numpy promotes float32 with a float64 0-d array differently from PyTorch."""
    def fn(x, y):
        return x * y
    arrays = [_special((3,), np.float32), np.array(1.5, dtype=np.float64)]
    assert _run(fn, arrays, None, False)[0] == _run(fn, arrays, None, True)[0]
    seed = np.ones(4, dtype=np.float64)  # a float64 seed for a float32 output
    arrays = [_special((4,), np.float32)]
    assert _run(lambda x: x.tanh(), arrays, seed, False) == \
        _run(lambda x: x.tanh(), arrays, seed, True)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("weighted", [False, True])
def test_nll_and_cross_entropy_formulas_match(reduction, weighted):
    logits = RNG.standard_normal((6, 4)).astype(np.float32)
    target = np.array([0, 3, -100, 2, 1, 3])
    weight = engine.tensor([0.5, 1.0, 2.0, 1.5]) if weighted else None

    def fn(x, t):
        return F.cross_entropy(x, t, weight=weight, reduction=reduction)

    for labels in (target, np.abs(target) % 4):
        gradient = None if reduction != "none" else RNG.standard_normal(6).astype(np.float32)
        assert _run(fn, [logits, labels], gradient, False) == \
            _run(fn, [logits, labels], gradient, True)


def test_array_formulas_still_check_saved_tensors():
    x = engine.tensor([0.5, 1.0], requires_grad=True)
    y = x.tanh()
    y.add_(1)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.sum().backward()
    z = (x * 2).sin()
    z.sum().backward()
    with pytest.raises(RuntimeError, match="Trying to backward through the graph a second time"):
        z.sum().backward()
