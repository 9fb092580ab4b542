"""Inference tensors: what ``inference_mode`` makes, and the checks PyTorch makes on them.

A tensor made inside ``inference_mode`` (an op's result, a new tensor, a view
of another inference tensor) is an inference tensor: it has no version
counter, so outside the mode it can be neither saved for backward nor changed
in place. Instead of asking on every op, the engine gives such a tensor an
``InferenceCounter`` in place of its VersionCounter: normal tensors pay
nothing, and the places that read a version (saving for backward, in-place
bumps) meet PyTorch's errors through it.

While the mode is on, ``Tensor._make`` (through which every tensor is made)
is swapped for one that attaches the counter. The swap is process-wide
(grad mode itself is per thread): a tensor made by another thread meanwhile
is an inference tensor too.
"""
from .grad_mode import STATE
from .node import _tensor_class

SAVE_MESSAGE = (
    "Inference tensors cannot be saved for backward. Please do not use Tensors created in "
    "inference mode in computation tracked by autograd. To work around this, you can make a clone "
    "to get a normal tensor and use it in autograd, or use `torch.no_grad()` instead of "
    "`torch.inference_mode()`.")
INPLACE_MESSAGE = (
    "Inplace update to inference tensor outside InferenceMode is not allowed.You can make a clone "
    "to get a normal tensor before doing inplace update.See https://github.com/pytorch/rfcs/pull/17 "
    "for more details.")
VERSION_MESSAGE = "Inference tensors do not track version counter."
REQUIRES_GRAD_MESSAGE = ("Setting requires_grad=True on inference tensor outside InferenceMode is "
                         "not allowed.")


class InferenceCounter:
    """The version counter of inference tensors: tracks nothing, and outside inference mode
    refuses to be read (a save for backward) or bumped (an in-place change)."""

    __slots__ = ()

    @property
    def value(self):
        if STATE.inference:
            return 0
        raise RuntimeError(SAVE_MESSAGE)

    @value.setter
    def value(self, new):
        if not STATE.inference:
            raise RuntimeError(INPLACE_MESSAGE)


INFERENCE_COUNTER = InferenceCounter()


def is_inference(tensor):
    return type(tensor._counter) is InferenceCounter


def check_inplace(tensor):
    """PyTorch's error for changing an inference tensor in place outside inference mode."""
    if type(tensor._counter) is InferenceCounter and not STATE.inference:
        raise RuntimeError(INPLACE_MESSAGE)


_plain_make = None


def make_inference_tensors(on):
    """Swap ``Tensor._make`` so that new tensors are inference tensors (``on``) or normal."""
    global _plain_make
    Tensor = _tensor_class()
    if _plain_make is None:
        _plain_make = Tensor.__dict__["_make"]
    Tensor._make = _inference_make if on else _plain_make


@classmethod
def _inference_make(cls, data, requires_grad=False):
    tensor = _plain_make.__func__(cls, data, requires_grad)
    tensor._counter = INFERENCE_COUNTER
    return tensor
