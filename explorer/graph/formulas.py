"""A Function's backward formula, read from the engine's node class of that name.

Each derivative is written once, beside its forward in the engine (``gradients``
on the node class, see engine/autograd/derivative.py); the inspector's text and
the chain-rule labels both come from there. A name the engine has no node for
(one only PyTorch records) has no formula.
"""


def _derivatives():
    import engine  # noqa: F401 - defines every node class
    from engine.autograd import derivative
    return derivative


def backward_formula(name: str) -> str:
    """What the Function called ``name`` sends back, e.g. ``grad·cos(self)``; '' if unknown."""
    return _derivatives().formula_of(name)


def derivative_of(name: str):
    """The engine's ``Derivative`` of the Function called ``name``, None if it states none."""
    return _derivatives().derivative_of(name)
