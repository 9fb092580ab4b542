"""``engine.optim`` against ``torch.optim``: trajectories bit for bit, and the bookkeeping.

A trajectory runs 20 steps on two parameters of one dtype. Each step's
gradient is computed in numpy from the parameters' current values, so both
libraries see the same gradients as long as their parameters agree, and any
difference is the optimiser's. PyTorch's CPU ``sqrt`` is not correctly rounded
(one unit in the last place off on some elements) while numpy's is: optimisers
that take a square root are compared bit for bit with PyTorch running a
correctly rounded ``sqrt``, and closely with PyTorch as it is.
"""
import importlib
import math
import warnings

import numpy as np
import pytest

import engine

torch = pytest.importorskip("torch")

STEPS = 20
START = [np.linspace(-1.2, 0.9, 12).reshape(3, 4), np.array([0.3, -0.7, 0.05, 1.1]),
         np.array(0.45)]  # a 0-d parameter too, as nn.Parameter(torch.randn(())) makes

OPTIMISERS = [
    ("sgd", "SGD", dict(lr=0.1)),
    ("sgd-default-lr", "SGD", dict()),
    ("sgd-momentum", "SGD", dict(lr=0.05, momentum=0.9)),
    ("sgd-dampening", "SGD", dict(lr=0.05, momentum=0.8, dampening=0.3)),
    ("sgd-nesterov", "SGD", dict(lr=0.05, momentum=0.9, nesterov=True)),
    ("sgd-weight-decay", "SGD", dict(lr=0.1, weight_decay=0.01)),
    ("sgd-momentum-weight-decay", "SGD", dict(lr=0.03, momentum=0.7, weight_decay=0.05)),
    ("sgd-maximize", "SGD", dict(lr=0.02, momentum=0.5, maximize=True)),
    ("adam", "Adam", dict(lr=0.01)),
    ("adam-betas", "Adam", dict(lr=0.05, betas=(0.8, 0.95), eps=1e-6)),
    ("adam-amsgrad", "Adam", dict(lr=0.02, amsgrad=True)),
    ("adam-weight-decay", "Adam", dict(lr=0.01, weight_decay=0.1)),
    ("adam-maximize", "Adam", dict(lr=0.01, maximize=True)),
    ("adam-decoupled", "Adam", dict(lr=0.01, weight_decay=0.1, decoupled_weight_decay=True)),
    ("adamw", "AdamW", dict(lr=0.01)),
    ("adamw-amsgrad", "AdamW", dict(lr=0.03, weight_decay=0.2, amsgrad=True)),
    ("rmsprop", "RMSprop", dict(lr=0.01)),
    ("rmsprop-momentum", "RMSprop", dict(lr=0.01, momentum=0.9)),
    ("rmsprop-centered", "RMSprop", dict(lr=0.01, centered=True, alpha=0.9)),
    ("rmsprop-centered-momentum", "RMSprop", dict(lr=0.005, centered=True, momentum=0.5,
                                                  eps=1e-4)),
    ("rmsprop-weight-decay-maximize", "RMSprop", dict(lr=0.01, weight_decay=0.1,
                                                      maximize=True)),
    ("adagrad", "Adagrad", dict(lr=0.1)),
    ("adagrad-decay", "Adagrad", dict(lr=0.1, lr_decay=0.05, weight_decay=0.02,
                                      initial_accumulator_value=0.1)),
]
ROOTLESS = {"SGD"}  # optimisers that take no square root


def gradient(values, step):
    """A gradient made of exactly rounded numpy operations only (an array even for a
    0-d parameter, where numpy's arithmetic gives a scalar)."""
    return np.asarray(values * values * values * 0.25 - values * 0.5 + (step % 3 - 1) * 0.125)


def trajectory(library, name, kwargs, dtype):
    params = [library.tensor(a.astype(dtype), requires_grad=True) for a in START]
    optimiser = getattr(library.optim, name)(params, **kwargs)
    states = []
    for step in range(STEPS):
        for p in params:
            p.grad = library.tensor(gradient(p.detach().numpy().copy(), step))
        optimiser.step()
        states.append([p.detach().numpy().copy() for p in params])
    return states, optimiser, params


def correctly_rounded_sqrt(monkeypatch):
    """Give PyTorch numpy's correctly rounded square root for the rest of a test."""
    def sqrt(self):
        return torch.from_numpy(np.asarray(np.sqrt(self.detach().numpy())))

    def sqrt_(self):
        np.sqrt(self.detach().numpy(), out=self.detach().numpy())
        return self

    monkeypatch.setattr(torch.Tensor, "sqrt", sqrt)
    monkeypatch.setattr(torch.Tensor, "sqrt_", sqrt_)


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["float64", "float32"])
@pytest.mark.parametrize("case", OPTIMISERS, ids=[c[0] for c in OPTIMISERS])
def test_trajectory_is_pytorchs_bit_for_bit(case, dtype, monkeypatch):
    _, name, kwargs = case
    ours, optimiser, params = trajectory(engine, name, kwargs, dtype)
    if name not in ROOTLESS:
        correctly_rounded_sqrt(monkeypatch)
    theirs, torch_optimiser, torch_params = trajectory(torch, name, kwargs, dtype)
    for step, (a, b) in enumerate(zip(ours, theirs)):
        for x, y in zip(a, b):
            assert x.dtype == y.dtype
            assert x.tobytes() == y.tobytes(), (step, x - y)
    assert [p._version for p in params] == [p._version for p in torch_params]
    ours_state = optimiser.state_dict()["state"]
    theirs_state = torch_optimiser.state_dict()["state"]
    assert ours_state.keys() == theirs_state.keys()
    for index in theirs_state:
        assert list(ours_state[index]) == list(theirs_state[index])
        for key, value in theirs_state[index].items():
            mine = ours_state[index][key]
            assert str(mine.dtype) == str(value.dtype), key
            assert mine.numpy().tobytes() == value.numpy().tobytes(), key


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["float64", "float32"])
@pytest.mark.parametrize("case", [c for c in OPTIMISERS if c[1] not in ROOTLESS],
                         ids=[c[0] for c in OPTIMISERS if c[1] not in ROOTLESS])
def test_trajectory_is_close_to_pytorchs_own_sqrt(case, dtype):
    _, name, kwargs = case
    ours, _, _ = trajectory(engine, name, kwargs, dtype)
    theirs, _, _ = trajectory(torch, name, kwargs, dtype)
    rtol = 1e-4 if dtype == np.float32 else 1e-11
    for a, b in zip(ours, theirs):
        for x, y in zip(a, b):
            np.testing.assert_allclose(x, y, rtol=rtol, atol=rtol)


REPRS = [
    ("SGD", dict()),
    ("SGD", dict(lr=0.1, momentum=0.9, nesterov=True)),
    ("Adam", dict()),
    ("Adam", dict(lr=0.01, betas=(0.8, 0.9), amsgrad=True)),
    ("AdamW", dict()),
    ("RMSprop", dict(centered=True)),
    ("Adagrad", dict(lr_decay=0.1)),
]


@pytest.mark.parametrize("name,kwargs", REPRS, ids=[f"{n}-{i}" for i, (n, _) in enumerate(REPRS)])
def test_repr_defaults_and_param_groups(name, kwargs):
    def build(library):
        p = library.zeros(2, requires_grad=True)
        q = library.ones(3, requires_grad=True)
        optimiser = getattr(library.optim, name)([p], **kwargs)
        optimiser.add_param_group({"params": q, "lr": 0.5})
        return optimiser

    ours, theirs = build(engine), build(torch)
    assert repr(ours) == repr(theirs)
    assert ours.defaults == theirs.defaults
    assert list(ours.defaults) == list(theirs.defaults)
    for mine, expected in zip(ours.param_groups, theirs.param_groups, strict=True):
        assert list(mine) == list(expected)
        assert {k: v for k, v in mine.items() if k != "params"} == \
            {k: v for k, v in expected.items() if k != "params"}


def test_param_groups_with_their_own_options():
    def run(library):
        a = library.tensor([1.0, -2.0], requires_grad=True)
        b = library.tensor([0.5, 0.25], requires_grad=True)
        optimiser = library.optim.SGD([{"params": [a]}, {"params": [b], "lr": 0.5,
                                                         "momentum": 0.9}], lr=0.1)
        for _ in range(3):
            optimiser.zero_grad()
            ((a * a).sum() + (b * b * b).sum()).backward()
            optimiser.step()
        return a.tolist() + b.tolist(), optimiser.state_dict()

    (ours, our_state), (theirs, their_state) = run(engine), run(torch)
    assert ours == theirs
    assert our_state["param_groups"] == their_state["param_groups"]
    assert list(our_state["state"]) == list(their_state["state"]) == [1]


ERRORS = [
    ("empty", lambda m: m.optim.SGD([], lr=0.1)),
    ("negative-lr", lambda m: m.optim.SGD([m.zeros(1, requires_grad=True)], lr=-1)),
    ("negative-momentum", lambda m: m.optim.SGD([m.zeros(1, requires_grad=True)], momentum=-0.5)),
    ("nesterov", lambda m: m.optim.SGD([m.zeros(1, requires_grad=True)], nesterov=True)),
    ("non-leaf", lambda m: m.optim.SGD([m.zeros(1, requires_grad=True) * 2], lr=0.1)),
    ("tensor-params", lambda m: m.optim.SGD(m.zeros(1, requires_grad=True), lr=0.1)),
    ("not-a-tensor", lambda m: m.optim.Adam([1.0])),
    ("set", lambda m: m.optim.Adam([{"params": {m.zeros(1, requires_grad=True)}}])),
    ("adam-beta", lambda m: m.optim.Adam([m.zeros(1, requires_grad=True)], betas=(1.0, 0.9))),
    ("adam-beta2", lambda m: m.optim.Adam([m.zeros(1, requires_grad=True)], betas=(0.9, -0.1))),
    ("adam-eps", lambda m: m.optim.Adam([m.zeros(1, requires_grad=True)], eps=-1e-8)),
    ("adamw-weight-decay", lambda m: m.optim.AdamW([m.zeros(1, requires_grad=True)],
                                                   weight_decay=-1)),
    ("rmsprop-alpha", lambda m: m.optim.RMSprop([m.zeros(1, requires_grad=True)], alpha=-1)),
    ("adagrad-lr-decay", lambda m: m.optim.Adagrad([m.zeros(1, requires_grad=True)],
                                                   lr_decay=-1)),
    ("group-not-dict", lambda m: m.optim.SGD([m.zeros(1, requires_grad=True)]).add_param_group(
        [m.zeros(1, requires_grad=True)])),
    ("overlapping-groups", lambda m: (lambda p: m.optim.SGD([{"params": [p]},
                                                             {"params": [p]}]))(
        m.zeros(1, requires_grad=True))),
    ("state-dict-groups", lambda m: m.optim.SGD([m.zeros(1, requires_grad=True)]).load_state_dict(
        {"state": {}, "param_groups": []})),
]


@pytest.mark.parametrize("build", [c[1] for c in ERRORS], ids=[c[0] for c in ERRORS])
def test_errors_match(build):
    with pytest.raises(Exception) as theirs:
        build(torch)
    with pytest.raises(Exception) as ours:
        build(engine)
    assert type(ours.value) is type(theirs.value)
    assert str(ours.value) == str(theirs.value)


def test_duplicate_parameters_warn_as_pytorch_does():
    messages = []
    for library in (torch, engine):
        p = library.zeros(1, requires_grad=True)
        with pytest.warns(UserWarning) as record:
            library.optim.SGD([p, p])
        messages.append(str(record[0].message))
    assert messages[0] == messages[1]


@pytest.mark.parametrize("set_to_none", [True, False])
def test_zero_grad(set_to_none):
    results = []
    for library in (torch, engine):
        p = library.tensor([1.0, 2.0], requires_grad=True)
        q = library.tensor([3.0], requires_grad=True)  # never gets a gradient
        optimiser = library.optim.SGD([p, q], lr=0.1)
        (p * p).sum().backward()
        grad = p.grad
        version = grad._version
        optimiser.zero_grad(set_to_none=set_to_none)
        results.append((p.grad is None, q.grad is None,
                        None if p.grad is None else p.grad.tolist(), grad._version - version,
                        grad.requires_grad))
    assert results[0] == results[1]


def test_zero_grad_default_sets_none():
    p = engine.tensor([1.0], requires_grad=True)
    (p * 3).sum().backward()
    engine.optim.Adam([p]).zero_grad()
    assert p.grad is None


def test_closure_loss_is_returned_and_runs_with_grad():
    p = engine.tensor([1.0, -1.0], dtype=engine.float64, requires_grad=True)
    optimiser = engine.optim.SGD([p], lr=0.1)

    def closure():
        optimiser.zero_grad()
        loss = (p * p).sum()
        loss.backward()
        return loss

    with engine.no_grad():
        loss = optimiser.step(closure)
    assert loss.item() == 2.0
    assert p.tolist() == [0.8, -0.8]


def test_step_bumps_version_so_saved_parameter_backward_fails():
    errors = []
    for library in (torch, engine):
        p = library.tensor([1.0, 2.0], requires_grad=True)
        optimiser = library.optim.SGD([p], lr=0.1)
        y = (p * p).sum()
        y.backward(retain_graph=True)
        optimiser.step()
        with pytest.raises(RuntimeError) as error:
            y.backward()
        errors.append(str(error.value))
    assert errors[0] == errors[1]


def test_state_dict_round_trip_continues_the_trajectory():
    def run(library):
        p = library.tensor([0.5, -1.5, 2.0], requires_grad=True)
        optimiser = library.optim.Adam([p], lr=0.1)
        for step in range(3):
            p.grad = library.tensor(gradient(p.detach().numpy().copy(), step))
            optimiser.step()
        saved = optimiser.state_dict()
        q = library.tensor(p.tolist(), requires_grad=True)
        fresh = library.optim.Adam([q], lr=0.7)
        fresh.load_state_dict(saved)
        for step in range(3, 6):
            q.grad = library.tensor(gradient(q.detach().numpy().copy(), step))
            fresh.step()
        return saved, fresh

    (our_saved, ours), (their_saved, theirs) = run(engine), run(torch)
    assert our_saved["param_groups"] == their_saved["param_groups"]
    assert list(our_saved["state"][0]) == list(their_saved["state"][0]) == [
        "step", "exp_avg", "exp_avg_sq"]
    assert ours.param_groups[0]["lr"] == theirs.param_groups[0]["lr"] == 0.1
    assert float(ours.state_dict()["state"][0]["step"]) == 6.0
    np.testing.assert_allclose(ours.param_groups[0]["params"][0].tolist(),
                               theirs.param_groups[0]["params"][0].tolist(), rtol=1e-12)


def test_optimiser_skips_parameters_without_grad():
    p = engine.tensor([1.0], requires_grad=True)
    optimiser = engine.optim.Adam([p])
    optimiser.step()
    assert p.tolist() == [1.0] and len(optimiser.state) == 0


# ------------------------------------------------------------------ schedulers
SCHEDULERS = [
    ("step", lambda m, o: m.optim.lr_scheduler.StepLR(o, step_size=3, gamma=0.5)),
    ("step-default-gamma", lambda m, o: m.optim.lr_scheduler.StepLR(o, 4)),
    ("multistep", lambda m, o: m.optim.lr_scheduler.MultiStepLR(o, milestones=[2, 5, 5, 9],
                                                                 gamma=0.3)),
    ("exponential", lambda m, o: m.optim.lr_scheduler.ExponentialLR(o, gamma=0.9)),
    ("lambda", lambda m, o: m.optim.lr_scheduler.LambdaLR(o, lambda epoch: 0.95 ** epoch)),
    ("lambda-per-group", lambda m, o: m.optim.lr_scheduler.LambdaLR(
        o, [lambda e: 1 / (e + 1), lambda e: math.cos(e)])),
]


def _scheduled(library, make, epochs=12):
    a = library.zeros(1, requires_grad=True)
    b = library.zeros(1, requires_grad=True)
    optimiser = library.optim.SGD([{"params": [a]}, {"params": [b], "lr": 0.3}], lr=0.1)
    scheduler = make(library, optimiser)
    lrs = [scheduler.get_last_lr()]
    for _ in range(epochs):
        optimiser.step()
        scheduler.step()
        lrs.append(scheduler.get_last_lr())
    return lrs, scheduler, optimiser


@pytest.mark.parametrize("make", [c[1] for c in SCHEDULERS], ids=[c[0] for c in SCHEDULERS])
def test_scheduler_lr_sequence(make):
    ours, our_scheduler, our_optimiser = _scheduled(engine, make)
    theirs, their_scheduler, their_optimiser = _scheduled(torch, make)
    assert ours == theirs
    assert our_scheduler.last_epoch == their_scheduler.last_epoch == 12
    assert [g["initial_lr"] for g in our_optimiser.param_groups] == \
        [g["initial_lr"] for g in their_optimiser.param_groups]
    assert sorted(our_scheduler.state_dict()) == sorted(their_scheduler.state_dict())


@pytest.mark.parametrize("make", [c[1] for c in SCHEDULERS[:4]], ids=[c[0] for c in SCHEDULERS[:4]])
def test_scheduler_closed_form_with_epoch(make):
    results = []
    for library in (torch, engine):
        optimiser = library.optim.SGD([library.zeros(1, requires_grad=True)], lr=0.2)
        scheduler = make(library, optimiser)
        optimiser.step()
        with pytest.warns(UserWarning) as record:
            scheduler.step(7)
        results.append((scheduler.get_last_lr(), str(record[0].message)))
    assert results[0] == results[1]


def test_scheduler_step_before_optimizer_step_warns():
    messages = []
    for library in (torch, engine):
        optimiser = library.optim.SGD([library.zeros(1, requires_grad=True)], lr=0.1)
        scheduler = library.optim.lr_scheduler.StepLR(optimiser, 1)
        with pytest.warns(UserWarning) as record:
            scheduler.step()
        messages.append([str(r.message) for r in record])
        assert record[0].filename == __file__
    assert messages[0] == messages[1]


def test_scheduler_in_the_right_order_is_silent():
    optimiser = engine.optim.SGD([engine.zeros(1, requires_grad=True)], lr=0.1)
    scheduler = engine.optim.lr_scheduler.ExponentialLR(optimiser, 0.5)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        optimiser.step()
        scheduler.step()
    assert scheduler.get_last_lr() == [0.05]


def test_get_lr_outside_step_warns():
    messages = []
    for library in (torch, engine):
        optimiser = library.optim.SGD([library.zeros(1, requires_grad=True)], lr=0.1)
        scheduler = library.optim.lr_scheduler.StepLR(optimiser, 2)
        with pytest.warns(UserWarning) as record:
            scheduler.get_lr()
        messages.append(str(record[0].message))
    assert messages[0] == messages[1]


def test_scheduler_resuming_without_initial_lr():
    errors = []
    for library in (torch, engine):
        optimiser = library.optim.SGD([library.zeros(1, requires_grad=True)], lr=0.1)
        with pytest.raises(KeyError) as error:
            library.optim.lr_scheduler.StepLR(optimiser, 2, last_epoch=3)
        errors.append(str(error.value))
    assert errors[0] == errors[1]


# ------------------------------------------------------------- with engine.nn
def _mlp(library):
    library.manual_seed(0)
    return library.nn.Sequential(library.nn.Linear(4, 5), library.nn.ReLU(),
                                 library.nn.Linear(5, 2))


@pytest.mark.parametrize("name,kwargs", [("SGD", dict(lr=0.1, momentum=0.9)),
                                         ("Adam", dict(lr=0.01))], ids=["SGD", "Adam"])
def test_module_parameters_step_as_pytorchs(name, kwargs, monkeypatch):
    correctly_rounded_sqrt(monkeypatch)
    runs = []
    for library in (engine, torch):
        model = _mlp(library)
        optimiser = getattr(library.optim, name)(model.parameters(), **kwargs)
        for step in range(5):
            optimiser.zero_grad()
            for p in model.parameters():
                p.grad = library.tensor(gradient(p.detach().numpy().copy(), step))
            optimiser.step()
        runs.append([p.detach().numpy().copy() for p in model.parameters()])
    for ours, theirs in zip(*runs, strict=True):
        assert ours.tobytes() == theirs.tobytes()


def test_named_parameters_are_kept_as_param_names():
    dicts = []
    for library in (engine, torch):
        optimiser = library.optim.SGD(_mlp(library).named_parameters(), lr=0.1)
        dicts.append(optimiser.state_dict()["param_groups"])
    assert dicts[0] == dicts[1]
    assert dicts[0][0]["param_names"] == ["0.weight", "0.bias", "2.weight", "2.bias"]


def test_training_a_module_lowers_the_loss():
    model = _mlp(engine)
    optimiser = engine.optim.SGD(model.parameters(), lr=0.1)
    x = engine.tensor(np.linspace(-1, 1, 12).reshape(3, 4), dtype=engine.float32)
    target = engine.tensor([[0.5, -0.5], [0.1, 0.2], [-0.3, 0.4]])
    losses = []
    for _ in range(10):
        optimiser.zero_grad()
        loss = engine.nn.functional.mse_loss(model(x), target)
        loss.backward()
        optimiser.step()
        losses.append(loss.item())
    assert losses[-1] < losses[0]


# ------------------------------------------------- the kernels on their own
def _operands(dtype, n, seed):
    """Values of mixed magnitudes, with zeros, signed zeros, infinities, NaN,
    cancellations and products near float's smallest normal."""
    rng = np.random.default_rng(seed)
    a, b, c = (rng.standard_normal((3, n)) * np.exp(rng.uniform(-30, 30, (3, n)))).astype(dtype)
    a[:5], b[5:10], c[10:15], c[15:20] = 0, 0, 0, -0.0
    a[20:23], b[23:26], c[26:29] = np.inf, -np.inf, np.nan
    c[30:60] = -(a[30:60] * b[30:60])
    a[60:90] = np.finfo(dtype).tiny * rng.standard_normal(30)
    return a, b, c


KERNELS = [
    ("add_", lambda K, a, b, c, v: K.add_(a, b, v), lambda a, b, c, v: a.add_(b, alpha=v)),
    ("add", lambda K, a, b, c, v: a.__setitem__(..., K.add(a, b, v)),
     lambda a, b, c, v: a.copy_(a.add(b, alpha=v))),
    ("addcmul_", lambda K, a, b, c, v: K.addcmul_(a, b, c, v),
     lambda a, b, c, v: a.addcmul_(b, c, value=v)),
    ("addcdiv_", lambda K, a, b, c, v: K.addcdiv_(a, b, c, v),
     lambda a, b, c, v: a.addcdiv_(b, c, value=v)),
    ("lerp_", lambda K, a, b, c, v: K.lerp_(a, b, abs(v) % 1),
     lambda a, b, c, v: a.lerp_(b, abs(v) % 1)),
]


# Sizes reach each path of fma.py: float64 small and bracketed, float32 small and blocked.
SIZES = [(np.float64, 100), (np.float64, 1000), (np.float32, 1000), (np.float32, 5000), (np.float32, 70000)]


@pytest.mark.parametrize("dtype,n", SIZES, ids=[f"{d.__name__}-{n}" for d, n in SIZES])
@pytest.mark.parametrize("kernel", KERNELS, ids=[k[0] for k in KERNELS])
def test_kernel_rounds_as_pytorchs_cpu_kernel(kernel, dtype, n):
    from engine.optim import kernels
    _, ours, theirs = kernel
    a, b, c = _operands(dtype, n, seed=n)
    for value in (-0.0123, 0.9, 1.0, -1.0, 0.7):
        mine = a.copy()
        with np.errstate(all="ignore"):
            ours(kernels, mine, b, c, value)
        expected = torch.tensor(a)
        theirs(expected, torch.tensor(b), torch.tensor(c), value)
        assert mine.tobytes() == expected.numpy().tobytes(), value


def test_printed_state_dicts_and_state_match():
    printed = []
    for library in (torch, engine):
        p = library.tensor([1.0, 2.0], requires_grad=True)
        adam = library.optim.Adam([p], lr=0.5)
        (p * p).sum().backward()
        adam.step()
        sgd = library.optim.SGD([p], lr=0.5, momentum=0.5)
        (p * p).sum().backward()
        sgd.step()
        scheduler = library.optim.lr_scheduler.StepLR(sgd, 2)
        printed.append("\n".join(str(x) for x in (adam.state_dict(), sgd.state_dict(), sgd.state,
                                                  scheduler.state_dict())))
    assert printed[0] == printed[1]


ZERO_DIM = [(np.inf, 2.0, 1.0), (3.0, 0.1, np.nan), (1e-40, 1e-5, 0.0), (1e-300, 1e-20, 0.0),
            (0.3, -0.7, 0.21), (-0.0, 5.0, 0.0)]


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["float32", "float64"])
@pytest.mark.parametrize("a,alpha,c", ZERO_DIM)
def test_fused_add_of_0d_arrays(a, alpha, c, dtype):
    from engine.optim import kernels
    mine = np.array(c, dtype)
    kernels.add_(mine, np.array(a, dtype), alpha)
    expected = torch.tensor(np.array(c, dtype)).add_(torch.tensor(np.array(a, dtype)), alpha=alpha)
    assert mine.tobytes() == expected.numpy().tobytes()


def _step_hook_log(library):
    """What the hooks of a custom optimiser and of SGD record, in the order they run."""
    log = []

    class Plain(library.optim.Optimizer):
        def __init__(self, params):
            super().__init__(params, {"lr": 0.5})

        @library.no_grad()
        def step(self, closure=None):
            log.append("step")
            for group in self.param_groups:
                for p in group["params"]:
                    p.sub_(p.grad * group["lr"])

    p = library.tensor([1.0, 2.0], requires_grad=True)
    optimisers = [Plain([p]), library.optim.SGD([p], lr=0.1)]
    module = importlib.import_module(library.__name__ + ".optim.optimizer")
    handles = [module.register_optimizer_step_pre_hook(
        lambda o, args, kwargs: log.append(("global pre", type(o).__name__))),
        module.register_optimizer_step_post_hook(
            lambda o, args, kwargs: log.append(("global post", len(args), kwargs)))]
    for optimiser in optimisers:
        optimiser.register_step_pre_hook(lambda o, args, kwargs: log.append("pre"))
        optimiser.register_step_post_hook(lambda o, args, kwargs: log.append("post"))
        (p * p).sum().backward()
        optimiser.step()
    removable = optimisers[1].register_step_pre_hook(lambda o, args, kwargs: 3)
    with pytest.raises(RuntimeError) as error:
        optimisers[1].step()
    log.append(str(error.value).split(" must ")[1])
    removable.remove()
    for handle in handles:
        handle.remove()
    optimisers[1].step()
    log.append(p.tolist())
    return log


def test_step_hooks_run_in_pytorchs_order_also_for_custom_optimisers():
    assert _step_hook_log(torch) == _step_hook_log(engine)

INVALID_ARGUMENTS = [
    ("SGD", dict(lr=-1)), ("SGD", dict(momentum=-0.5)), ("SGD", dict(weight_decay=-1)),
    ("Adam", dict(lr=-1)), ("Adam", dict(lr=float("nan"))), ("Adam", dict(eps=-1)),
    ("Adam", dict(betas=(1.0, 0.9))), ("Adam", dict(weight_decay=-1)),
    ("RMSprop", dict(alpha=-1)), ("RMSprop", dict(momentum=-1)), ("RMSprop", dict(eps=-1)),
    ("RMSprop", dict(eps=-1, alpha=-1)),
    ("Adagrad", dict(lr_decay=-1)), ("Adagrad", dict(initial_accumulator_value=-1)),
    ("Adagrad", dict(weight_decay=-2, eps=-1)),
]


@pytest.mark.parametrize("name,kwargs", INVALID_ARGUMENTS,
                         ids=[f"{n}-{'-'.join(k)}" for n, k in INVALID_ARGUMENTS])
def test_invalid_hyperparameters_raise_pytorchs_errors(name, kwargs):
    """The first invalid argument, in PyTorch's order of checks, is the one reported."""
    texts = []
    for library in (torch, engine):
        with pytest.raises(ValueError) as error:
            getattr(library.optim, name)([library.zeros(2, requires_grad=True)], **kwargs)
        texts.append(str(error.value))
    assert texts[0] == texts[1]


@pytest.mark.parametrize("name", ["SGD", "Adam", "RMSprop", "Adagrad"])
def test_a_tensor_learning_rate_must_have_one_element(name):
    texts = []
    for library in (torch, engine):
        with pytest.raises(ValueError) as error:
            getattr(library.optim, name)([library.zeros(2, requires_grad=True)],
                                         lr=library.tensor([0.1, 0.2]))
        texts.append(str(error.value))
    assert texts[0] == texts[1]
