"""Recording an op: nodes built in place, numpy's warnings off for the engine's own calls only."""
import importlib
import pkgutil
import warnings

import numpy as np
import pytest

import engine
import engine.ops
from engine.autograd.node import Node


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_op_nodes_define_no_init():
    """record builds op nodes without calling __init__ (NOTE [recording in place] in
    ops/registry.py): an op node with an __init__ of its own would be built wrong."""
    for module in pkgutil.iter_modules(engine.ops.__path__):
        importlib.import_module(f"engine.ops.{module.name}")
    op_nodes = [cls for cls in _subclasses(Node) if cls.__module__.startswith("engine.ops.")]
    assert len(op_nodes) > 50
    assert [cls.__name__ for cls in op_nodes if "__init__" in cls.__dict__] == []


def test_recorded_node_has_every_field_node_init_sets():
    """A node built in place has what ``Node.__init__`` gives, from the same sequence (the
    engine runs later-created nodes first)."""
    x = engine.tensor([1.0, 2.0], requires_grad=True)
    first = x.sin()
    between = Node(((None, 0),))
    later = [x * x, x + 1.0, x.exp()]
    for node in [first.grad_fn] + [y.grad_fn for y in later]:
        for field in ("next_functions", "_seq", "_saved", "_extra", "_input_meta"):
            assert hasattr(node, field)
    assert first.grad_fn._seq < between._seq < later[0].grad_fn._seq


@pytest.mark.parametrize("call", [lambda x: x.log(), lambda x: x.sin(), lambda x: x.sqrt(),
                                  lambda x: x / 0.0, lambda x: x.exp() * 1e38])
def test_numpy_warnings_stay_off_and_the_users_state_stays(call):
    """log(0) and sin(inf) are silent as in PyTorch; the user's numpy error state is
    untouched, before, during and after."""
    x = engine.tensor([0.0, -1.0, float("inf"), 100.0], requires_grad=True)
    with np.errstate(all="raise"):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            call(x).sum().backward()
        before = np.geterr()
        assert before == {"divide": "raise", "over": "raise", "under": "raise", "invalid": "raise"}
        with pytest.raises(FloatingPointError):
            np.log(np.zeros(1))
    assert np.geterr()["divide"] != "raise"
