"""``engine.autograd.functional`` against ``torch.autograd.functional``.

Each case calls one function of the API through ``F`` (either library's
``autograd.functional``) with inputs made by that library; results are
compared as structures (tuples vs tensors, shapes, dtypes, requires_grad)
and as values; error cases compare the exception's type and text.
"""
import warnings

import numpy as np
import pytest

import engine

torch = pytest.importorskip("torch")

X = np.array([0.5, -1.2, 2.0])
Y = np.array([1.5, 0.3, -0.7])
M = np.array([[0.2, -0.4, 1.1], [0.7, 0.3, -0.9]])


def square(x):
    return x ** 2


def product(x, y):
    return x * y + y.exp()


def two_outputs(x):
    return x * 2, x.exp()


def cube_sum(x):
    return (x ** 3).sum()


def mixed_sum(x, y):
    return (x * y.exp()).sum() + (x ** 2).sum()


def linear(x):
    return x * 3


def first_only(x, y):
    return x ** 2


def detached(x):
    return x.detach()


def linear_sum(x):
    return (x * 3).sum()


def _v(m, array):
    return m.tensor(array, dtype=m.float64)


CASES = [
    ("jacobian", lambda m, F, x, y: F.jacobian(square, x)),
    ("jacobian-tuple-inputs", lambda m, F, x, y: F.jacobian(product, (x, y))),
    ("jacobian-tuple-outputs", lambda m, F, x, y: F.jacobian(two_outputs, x)),
    ("jacobian-tuple-both", lambda m, F, x, y: F.jacobian(lambda a, b: (a * b, a + b), (x, y))),
    ("jacobian-one-tuple", lambda m, F, x, y: F.jacobian(square, (x,))),
    ("jacobian-vectorize", lambda m, F, x, y: F.jacobian(product, (x, y), vectorize=True)),
    ("jacobian-forward-mode", lambda m, F, x, y: F.jacobian(square, x, vectorize=True,
                                                            strategy="forward-mode")),
    ("jacobian-forward-mode-tuples", lambda m, F, x, y: F.jacobian(
        lambda a, b: (a * b, a + b), (x, y), vectorize=True, strategy="forward-mode")),
    ("jacobian-forward-mode-tuple-inputs", lambda m, F, x, y: F.jacobian(
        product, (x, y), vectorize=True, strategy="forward-mode")),
    ("jacobian-forward-mode-tuple-outputs", lambda m, F, x, y: F.jacobian(
        two_outputs, x.detach(), vectorize=True, strategy="forward-mode")),
    ("hessian-forward-mode-tuple", lambda m, F, x, y: F.hessian(
        mixed_sum, (x, y), vectorize=True, outer_jacobian_strategy="forward-mode")),
    ("jacobian-create-graph", lambda m, F, x, y: F.jacobian(square, x, create_graph=True)),
    ("jacobian-matrix", lambda m, F, x, y: F.jacobian(lambda a: a.sin() * 2,
                                                      _v(m, M))),
    ("jacobian-unused-input", lambda m, F, x, y: F.jacobian(first_only, (x, y))),
    ("jacobian-scalar-output", lambda m, F, x, y: F.jacobian(cube_sum, x)),
    ("hessian", lambda m, F, x, y: F.hessian(cube_sum, x)),
    ("hessian-tuple", lambda m, F, x, y: F.hessian(mixed_sum, (x, y))),
    ("hessian-vectorize", lambda m, F, x, y: F.hessian(cube_sum, x, vectorize=True)),
    ("hessian-create-graph", lambda m, F, x, y: F.hessian(cube_sum, x, create_graph=True)),
    ("hessian-linear", lambda m, F, x, y: F.hessian(linear_sum, x)),
    ("vjp", lambda m, F, x, y: F.vjp(square, x, _v(m, Y))),
    ("vjp-no-v", lambda m, F, x, y: F.vjp(cube_sum, x)),
    ("vjp-tuple", lambda m, F, x, y: F.vjp(two_outputs, x, (_v(m, Y), _v(m, X)))),
    ("vjp-tuple-inputs", lambda m, F, x, y: F.vjp(product, (x, y), _v(m, X))),
    ("vjp-create-graph", lambda m, F, x, y: F.vjp(square, x, _v(m, Y), create_graph=True)),
    ("jvp", lambda m, F, x, y: F.jvp(square, x, _v(m, Y))),
    ("jvp-tuple-inputs", lambda m, F, x, y: F.jvp(product, (x, y), (_v(m, X), _v(m, Y)))),
    ("jvp-tuple-outputs", lambda m, F, x, y: F.jvp(two_outputs, x, _v(m, Y))),
    ("jvp-no-v", lambda m, F, x, y: F.jvp(lambda a: a.exp() * 2, _v(m, [0.3]))),
    ("hvp", lambda m, F, x, y: F.hvp(cube_sum, x, _v(m, Y))),
    ("hvp-tuple", lambda m, F, x, y: F.hvp(mixed_sum, (x, y), (_v(m, Y), _v(m, X)))),
    ("vhp", lambda m, F, x, y: F.vhp(cube_sum, x, _v(m, Y))),
    ("vhp-tuple", lambda m, F, x, y: F.vhp(mixed_sum, (x, y), (_v(m, Y), _v(m, X)))),
    ("vhp-create-graph", lambda m, F, x, y: F.vhp(cube_sum, x, _v(m, Y), create_graph=True)),
    ("vhp-no-v", lambda m, F, x, y: F.vhp(lambda a: (a ** 4).sum(), _v(m, [0.7]))),
    ("strict-ok", lambda m, F, x, y: F.vjp(square, x, _v(m, Y), strict=True)),
]


def _structure(value):
    if isinstance(value, (tuple, list)):
        return type(value).__name__, tuple(_structure(v) for v in value)
    return "Tensor", tuple(value.shape), str(value.dtype), value.requires_grad


def _values(value):
    if isinstance(value, (tuple, list)):
        return [x for v in value for x in _values(v)]
    return [value.detach().numpy()]


def _run(library, call):
    x = library.tensor(X, dtype=library.float64, requires_grad=True)
    y = library.tensor(Y, dtype=library.float64)
    with warnings.catch_warnings():
        # PyTorch's forward-mode Jacobian goes through torch.jit.script, deprecated.
        warnings.simplefilter("ignore", DeprecationWarning)
        return call(library, library.autograd.functional, x, y)


@pytest.mark.parametrize("call", [c[1] for c in CASES], ids=[c[0] for c in CASES])
def test_result_matches_torch(call):
    ours = _run(engine, call)
    theirs = _run(torch, call)
    assert _structure(ours) == _structure(theirs)
    for a, b in zip(_values(ours), _values(theirs), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-13, atol=1e-15)


def test_create_graph_result_can_be_differentiated_again():
    results = []
    for library in (torch, engine):
        x = library.tensor(X, dtype=library.float64, requires_grad=True)
        jac = library.autograd.functional.jacobian(lambda a: a ** 3, x, create_graph=True)
        (grad,) = library.autograd.grad(jac.sum(), x)
        results.append(grad.tolist())
    np.testing.assert_allclose(results[0], results[1], rtol=1e-13)


def test_inputs_keep_their_graph_only_with_create_graph():
    x = engine.tensor(X, dtype=engine.float64, requires_grad=True)
    out, _ = engine.autograd.functional.vjp(square, x, engine.ones(3, dtype=engine.float64))
    assert out.grad_fn is None and not out.requires_grad


def test_reachable_as_torch_autograd_functional():
    import importlib
    assert engine.autograd.functional is importlib.import_module("engine.autograd.functional")
    assert callable(engine.autograd.functional.hessian)


ERRORS = [
    ("strict-independent-input", lambda m, F, x, y: F.jacobian(first_only, (x, y), strict=True)),
    ("strict-output-without-grad", lambda m, F, x, y: F.jacobian(detached, x, strict=True)),
    ("strict-vjp-output-without-grad", lambda m, F, x, y: F.vjp(detached, x, x, strict=True)),
    ("strict-vjp-independent", lambda m, F, x, y: F.vjp(first_only, (x, y), x, strict=True)),
    ("strict-jvp-independent", lambda m, F, x, y: F.jvp(first_only, (x, y), (x, x),
                                                        strict=True)),
    ("jacobian-list-output", lambda m, F, x, y: F.jacobian(lambda a: [a * 2, a * a], x)),
    ("strict-jvp-output-without-grad", lambda m, F, x, y: F.jvp(detached, x, x, strict=True)),
    ("strict-hessian-linear", lambda m, F, x, y: F.hessian(linear_sum, x, strict=True)),
    ("strict-hvp-linear", lambda m, F, x, y: F.hvp(linear_sum, x, x, strict=True)),
    ("strict-vhp-linear", lambda m, F, x, y: F.vhp(linear_sum, x, x, strict=True)),
    ("strict-create-graph-linear", lambda m, F, x, y: F.jacobian(linear, x, strict=True,
                                                                 create_graph=True)),
    ("vjp-v-none-vector-output", lambda m, F, x, y: F.vjp(square, x)),
    ("vjp-v-wrong-size", lambda m, F, x, y: F.vjp(square, x, _v(m, [1.0, 2.0]))),
    ("vjp-v-tuple-wrong-length", lambda m, F, x, y: F.vjp(two_outputs, x, (_v(m, X),))),
    ("vjp-v-entry-wrong-size", lambda m, F, x, y: F.vjp(two_outputs, x, (_v(m, X),
                                                                        _v(m, [1.0])))),
    ("vjp-v-two-for-one-output", lambda m, F, x, y: F.vjp(square, x, (_v(m, X), _v(m, X)))),
    ("jvp-v-none-vector-input", lambda m, F, x, y: F.jvp(square, x)),
    ("hvp-v-none-vector-input", lambda m, F, x, y: F.hvp(cube_sum, x)),
    ("vhp-v-wrong-size", lambda m, F, x, y: F.vhp(cube_sum, x, _v(m, [1.0]))),
    ("inputs-not-tensor", lambda m, F, x, y: F.jacobian(square, 3.0)),
    ("inputs-tuple-not-tensor", lambda m, F, x, y: F.jacobian(product, (x, 2.0))),
    ("v-not-tensor", lambda m, F, x, y: F.vjp(square, x, [1.0, 2.0, 3.0])),
    ("output-not-tensor", lambda m, F, x, y: F.vjp(lambda a: 3.0, x, x)),
    ("hessian-vector-output", lambda m, F, x, y: F.hessian(square, x)),
    ("hessian-tuple-output", lambda m, F, x, y: F.hessian(lambda a: (a.sum(), a.sum()), x)),
    ("hvp-vector-output", lambda m, F, x, y: F.hvp(square, x, x)),
    ("vhp-tuple-output", lambda m, F, x, y: F.vhp(lambda a: (a.sum(),), x, x)),
    ("jacobian-bad-strategy", lambda m, F, x, y: F.jacobian(square, x, strategy="sideways")),
    ("hessian-bad-strategy", lambda m, F, x, y: F.hessian(cube_sum, x,
                                                          outer_jacobian_strategy="up")),
    ("forward-mode-create-graph", lambda m, F, x, y: F.jacobian(
        square, x, create_graph=True, strategy="forward-mode")),
    ("forward-mode-strict", lambda m, F, x, y: F.jacobian(square, x, strict=True,
                                                          strategy="forward-mode")),
    ("forward-mode-not-vectorized", lambda m, F, x, y: F.jacobian(square, x,
                                                                  strategy="forward-mode")),
    ("vectorize-strict", lambda m, F, x, y: F.jacobian(square, x, strict=True, vectorize=True)),
]


@pytest.mark.parametrize("call", [c[1] for c in ERRORS], ids=[c[0] for c in ERRORS])
def test_error_matches_torch(call):
    with pytest.raises(Exception) as theirs:
        _run(torch, call)
    with pytest.raises(Exception) as ours:
        _run(engine, call)
    assert type(ours.value) is type(theirs.value)
    assert str(ours.value).replace("engine", "torch") == str(theirs.value)
