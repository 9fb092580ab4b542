"""Grad mode is thread-local and works as context manager and decorator."""
import threading

import engine


def test_grad_mode_is_thread_local():
    seen = {}

    def worker():
        seen["worker"] = engine.is_grad_enabled()

    with engine.no_grad():
        thread = threading.Thread(target=worker)
        thread.start()
        thread.join()
        seen["main"] = engine.is_grad_enabled()
    assert seen == {"worker": True, "main": False}
    assert engine.is_grad_enabled()


def test_set_grad_enabled_as_function_and_decorator():
    engine.set_grad_enabled(False)
    try:
        assert not engine.is_grad_enabled()
    finally:
        engine.set_grad_enabled(True)

    @engine.set_grad_enabled(False)
    def inside():
        return engine.is_grad_enabled()

    assert engine.is_grad_enabled()
    assert inside() is False
    assert engine.is_grad_enabled()


def test_enable_grad_decorator_inside_no_grad():
    @engine.enable_grad()
    def make(x):
        return x * 2

    x = engine.ones(2, requires_grad=True)
    with engine.no_grad():
        y = make(x)
    assert y.requires_grad and type(y.grad_fn).__name__ == "MulBackward0"


def test_restored_after_exception():
    try:
        with engine.no_grad():
            raise ValueError("boom")
    except ValueError:
        pass
    assert engine.is_grad_enabled()
