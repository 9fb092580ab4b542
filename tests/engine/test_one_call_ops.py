"""The one-call ops (NOTE [one-call ops] in engine/ops/registry.py) build, field for
field, the tensors and nodes their general paths build."""
import numpy as np
import pytest

import engine
from engine.autograd.node import SavedNumber, SavedTensor
from engine.ops.registry import METHODS, OPS
from engine.tensor import Tensor

ONE_CALL = sorted({name: info.function for name, info in OPS.items()
                   if hasattr(info.function, "__wrapped__")}.items())
BINARY = [(name, fn) for name, fn in ONE_CALL if OPS[name].arity == 2]
UNARY = [(name, fn) for name, fn in ONE_CALL if OPS[name].arity != 2]


def test_the_common_ops_take_one_call():
    names = {name for name, _ in ONE_CALL}
    assert {"add", "sub", "mul", "div", "neg", "exp", "log", "sin", "cos", "tanh", "sigmoid",
            "relu", "abs", "sqrt"} <= names
    assert METHODS["__mul__"] is OPS["mul"].function  # the operators are the same functions


def _tensor_fields(t):
    return {slot: getattr(t, slot) for slot in Tensor.__slots__
            if slot not in ("_grad_fn", "_data", "_counter", "__weakref__") and hasattr(t, slot)}


def _saved_fields(value):
    if isinstance(value, SavedNumber):
        return ("number", value.data)
    if isinstance(value, SavedTensor):
        data = None if value.data is None else value.data.tobytes()
        return (type(value).__name__, value.tensor is None, data, value.version,
                getattr(value, "requires_grad", None))
    return value


def _same_build(fast, general):
    assert type(fast) is type(general) is Tensor
    assert _tensor_fields(fast) == _tensor_fields(general)
    assert fast._data.dtype == general._data.dtype and fast._data.shape == general._data.shape
    assert np.array_equal(fast._data, general._data, equal_nan=True)
    assert (fast._counter is None) == (general._counter is None)
    a, b = fast._grad_fn, general._grad_fn
    assert type(a) is type(b)
    if a is None:
        return
    assert a.next_functions == b.next_functions
    assert a._input_meta == b._input_meta
    assert a._extra is b._extra is None
    assert [_saved_fields(v) for v in a._saved] == [_saved_fields(v) for v in b._saved]
    for ours, theirs in zip(a._saved, b._saved):
        if isinstance(ours, SavedTensor) and not isinstance(ours, SavedNumber):
            assert (ours.tensor is None) == (theirs.tensor is None)


def _leaf(dtype, requires_grad=True, shape=(3,)):
    data = np.linspace(0.25, 0.75, int(np.prod(shape))).reshape(shape).astype(dtype)
    return engine.tensor(data, requires_grad=requires_grad)


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
@pytest.mark.parametrize("name, fn", UNARY, ids=[name for name, _ in UNARY])
def test_unary_builds_what_the_general_path_builds(name, fn, dtype):
    for requires_grad in (True, False):
        x = _leaf(dtype, requires_grad)
        for input in (x, x * 1):  # a leaf and a node's output
            _same_build(fn(input), fn.__wrapped__(input))
    with engine.no_grad():
        _same_build(fn(x), fn.__wrapped__(x))
    with engine.inference_mode():
        assert fn(x).is_inference() and fn.__wrapped__(x).is_inference()
    zero_d = engine.tensor(np.asarray(0.5, dtype), requires_grad=True)
    _same_build(fn(zero_d), fn.__wrapped__(zero_d))


@pytest.mark.parametrize("name, fn", BINARY, ids=[name for name, _ in BINARY])
def test_binary_builds_what_the_general_path_builds(name, fn):
    for a_grad in (True, False):
        for b_grad in (True, False):
            a, b = _leaf(np.float32, a_grad), _leaf(np.float32, b_grad) * 1 + 1
            _same_build(fn(a, b), fn.__wrapped__(a, b))
            wide = _leaf(np.float32, b_grad, (2, 3)) + 1
            _same_build(fn(a, wide), fn.__wrapped__(a, wide))
            for number in (2, 0.5):
                _same_build(fn(a, number), fn.__wrapped__(a, number))
    with engine.inference_mode():
        assert fn(_leaf(np.float32), 2).is_inference()


def test_node_created_listeners_hear_the_one_call_ops():
    from engine import observe
    heard = []

    class Listener:
        def node_created(self, node, inputs, outputs):
            heard.append((type(node).__name__, len(inputs), outputs[0].grad_fn is node))

    listener = Listener()
    observe.add_listener(listener)
    try:
        x = _leaf(np.float32)
        (x.sin() * x + 2).exp()
    finally:
        observe.remove_listener(listener)
    assert heard == [("SinBackward0", 1, True), ("MulBackward0", 2, True),
                     ("AddBackward0", 2, True), ("ExpBackward0", 1, True)]


def test_a_broadcast_mismatch_is_pytorchs_error():
    with pytest.raises(RuntimeError, match=r"size of tensor a \(3\) must match the size of "
                                           r"tensor b \(2\) at non-singleton dimension 0"):
        _leaf(np.float32) * _leaf(np.float32, shape=(2,))


def _by_steps(node_cls, input, data, saved, view=False, keeps_result=False):
    """What the one-call helpers build, built by the general helpers step by step."""
    from engine.ops.registry import make_view, record1, save_result, wrap
    out = make_view(input, data) if view else wrap(data)
    if engine.is_grad_enabled() and input.requires_grad:
        record1(node_cls, out, input, saved + ((save_result(out),) if keeps_result else ()))
    return out


@pytest.mark.parametrize("requires_grad", [True, False])
def test_one_call_helpers_build_what_the_steps_build(requires_grad):
    from engine.ops.linalg import SqueezeBackward4
    from engine.ops.registry import recorded, recorded_view
    from engine.ops.softmax import SoftmaxBackward0
    from engine.ops.views import UnsqueezeBackward0
    for input in (_leaf(np.float32, requires_grad), _leaf(np.float32, requires_grad) * 1):
        data = input._data
        cases = [
            (recorded(SqueezeBackward4, data[1:], input, (0,)),
             _by_steps(SqueezeBackward4, input, data[1:], (0,))),
            (recorded(SoftmaxBackward0, data * 2, input, (0,), keeps_result=True),
             _by_steps(SoftmaxBackward0, input, data * 2, (0,), keeps_result=True)),
        ]
        for fast, steps in cases:
            _same_build(fast, steps)
        fast = recorded_view(UnsqueezeBackward0, input, data.reshape(1, 3), (0,))
        steps = _by_steps(UnsqueezeBackward0, input, data.reshape(1, 3), (0,), view=True)
        _same_build(fast, steps)
        assert fast._counter is steps._counter is input._counter
        assert fast._extra == steps._extra == {"base": input}
    with engine.no_grad():
        view = recorded_view(UnsqueezeBackward0, input, data.reshape(1, 3), (0,))
        assert view._extra == {"base": input, "created_in": "no_grad"}
