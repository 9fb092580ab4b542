"""Custom autograd Functions follow torch.autograd.Function's contract."""
import pytest

import engine


def make_square(m):
    class Square(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, grad):
            (x,) = ctx.saved_tensors
            return grad * 2 * x
    return Square


def make_scale(m):
    class Scale(m.autograd.Function):
        @staticmethod
        def forward(ctx, x, factor, y):
            ctx.factor = factor
            ctx.seen = ctx.needs_input_grad
            return x * factor + y

        @staticmethod
        def backward(ctx, grad):
            return grad * ctx.factor, None, grad
    return Scale


def make_add_one_inplace(m):
    class AddOne(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            x.add_(1)
            ctx.mark_dirty(x)
            return x

        @staticmethod
        def backward(ctx, grad):
            return grad
    return AddOne


def scenario(m):
    square = make_square(m)
    x = m.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = square.apply(x)
    name = type(y.grad_fn).__name__
    y.sum().backward()
    first = x.grad.tolist()
    scale = make_scale(m)
    a = m.tensor([1.0, 2.0], requires_grad=True)
    b = m.tensor([0.5, 0.5])
    out = scale.apply(a, 3.0, b)
    next_len = len(out.grad_fn.next_functions)
    out.sum().backward()
    freed = None
    try:
        y.grad_fn.saved_tensors if hasattr(y.grad_fn, "saved_tensors") else None
    except RuntimeError as exc:
        freed = str(exc)[:40]
    c = (m.ones(2, requires_grad=True) * 1)
    version = c._version
    d = make_add_one_inplace(m).apply(c)
    return [name, first, a.grad.tolist(), next_len, freed, d is c, c._version - version,
            d.tolist(), y.requires_grad]


def test_custom_function_on_engine():
    result = scenario(engine)
    assert result[0] == "SquareBackward"
    assert result[1] == [2.0, 4.0, 6.0]
    assert result[2] == [3.0, 3.0]


def test_custom_function_matches_pytorch():
    torch = pytest.importorskip("torch")
    assert scenario(engine) == scenario(torch)


def test_no_recording_without_grad():
    square = make_square(engine)
    out = square.apply(engine.ones(2))
    assert out.grad_fn is None and not out.requires_grad
    with engine.no_grad():
        out = square.apply(engine.ones(2, requires_grad=True))
    assert out.grad_fn is None
