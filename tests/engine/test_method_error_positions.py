"""PyTorch's errors count a method's arguments without ``self``: ``x.atan2(2)`` says
argument 'other' (position 1), ``torch.atan2(x, 2)`` says (position 2). One callable
served both forms here, and the method form said (position 2)."""
import pytest

import engine

torch = pytest.importorskip("torch")

CALLS = {
    "x.atan2(2)": lambda lib, x: x.atan2(2),
    "atan2(x, 2)": lambda lib, x: lib.atan2(x, 2),
    "atan2(2, x)": lambda lib, x: lib.atan2(2, x),
    "x.atan2_(2)": lambda lib, x: x.atan2_(2),
    "x.maximum(2)": lambda lib, x: x.maximum(2),
    "maximum(x, 2)": lambda lib, x: lib.maximum(x, 2),
    "maximum(2, x)": lambda lib, x: lib.maximum(2, x),
    "x.minimum(2.5)": lambda lib, x: x.minimum(2.5),
    "minimum(x, 2.5)": lambda lib, x: lib.minimum(x, 2.5),
    "minimum(True, x)": lambda lib, x: lib.minimum(True, x),
}


def _error(lib, call):
    with pytest.raises(TypeError) as error:
        CALLS[call](lib, lib.tensor([1.0]))
    return str(error.value)


@pytest.mark.parametrize("call", CALLS)
def test_a_number_where_a_tensor_must_be_is_named_as_pytorch_names_it(call):
    assert _error(engine, call) == _error(torch, call)
