"""A saved input with no version counter yet gets none (NOTE [lazy version counters] in
engine/autograd/node.py); every later change is still caught when backward unpacks it."""
import numpy as np
import pytest

import engine

CHANGED = "modified by an inplace operation"


def _saved_input():
    x = engine.tensor([0.5, 1.0, 2.0], requires_grad=True)
    y = x * 2  # a result: no counter
    assert y._counter is None
    z = y.sin()  # saves y
    assert y._counter is None  # none made for saving it
    return x, y, z


def test_unchanged_input_unpacks():
    x, y, z = _saved_input()
    z.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), 2 * np.cos(np.array([1.0, 2.0, 4.0])), rtol=1e-6)


@pytest.mark.parametrize("change", [
    lambda y: y.add_(1),
    lambda y: y.view(3).mul_(2),
    lambda y: y[0:1].zero_(),
    lambda y: (y._version, y.sub_(1)),
    lambda y: y.__setitem__(0, 3.0),
])
def test_a_later_change_is_caught(change):
    x, y, z = _saved_input()
    change(y)
    with pytest.raises(RuntimeError, match=CHANGED) as caught:
        z.sum().backward()
    assert "is at version 1; expected version 0 instead" in str(caught.value)


def test_a_counter_made_after_saving_starts_at_zero():
    x, y, z = _saved_input()
    assert y._version == 0 and y._version_counter.value == 0
    assert z.grad_fn._saved_self is y
    z.sum().backward()


def test_data_edits_escape_as_in_pytorch():
    x, y, z = _saved_input()
    y.data.add_(1)  # .data shares storage, not the counter: not caught, as in PyTorch
    z.sum().backward()


def test_saved_tensor_hooks_unpack_what_they_packed():
    x, y, _ = _saved_input()
    with engine.autograd.graph.saved_tensors_hooks(lambda t: t, lambda t: t):
        z = y.sin()
    y.add_(1)  # the hooks' own tensor is what backward gets: no check, as in PyTorch
    z.sum().backward()
