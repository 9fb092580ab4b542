"""The argument checks optimisers' constructors share, worded as PyTorch words them."""
from ..tensor import Tensor

# How PyTorch names each hyperparameter in "Invalid ...: value" (most are "<name> value").
_WORDS = {"lr": "learning rate", "eps": "epsilon value"}


def check_learning_rate(lr):
    """A one-element tensor or a number, not negative (NaN fails too, as in Adam's check)."""
    if isinstance(lr, Tensor) and lr.numel() != 1:
        raise ValueError("Tensor lr must be 1-element")
    check_not_negative(lr=lr)


def check_not_negative(**values):
    """Each value at least 0.0, checked in the order given (the first failure is reported)."""
    for name, value in values.items():
        if not 0.0 <= value:
            raise ValueError(f"Invalid {_WORDS.get(name, name + ' value')}: {value}")
