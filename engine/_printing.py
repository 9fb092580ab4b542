"""Tensor printing that reproduces PyTorch's ``repr(tensor)`` character for character.

The rules are those of PyTorch 2.x:

* one formatter per tensor chooses a notation (integer-looking, fixed point or
  scientific) and a common column width from the tensor's nonzero finite values;
* nested rows are laid out recursively, indented under ``tensor(``, with one
  blank line fewer between rows at each level down;
* a 1-D row wraps when it would pass the line width;
* a tensor with more elements than the threshold is summarized, showing only
  ``edgeitems`` entries at each end of every dimension around ``...``;
* ``device=``, ``dtype=`` and the autograd suffix follow the values and move
  onto a new line when the current one would grow too long.
"""
import dataclasses
import math

import numpy as np

from . import dtypes

_PREFIX = "tensor("

# Dtypes whose values already say what they are (``1.``, ``1``, ``True``),
# so their repr omits ``dtype=``; the default floating dtype is added at print time.
_IMPLIED_DTYPES = ("int64", "bool")


@dataclasses.dataclass
class _PrintOptions:
    precision: int = 4
    threshold: float = 1000
    edgeitems: int = 3
    linewidth: int = 80
    sci_mode: bool | None = None


_OPTIONS = _PrintOptions()

_PROFILES = {
    "default": {"precision": 4, "threshold": 1000, "edgeitems": 3, "linewidth": 80},
    "short": {"precision": 2, "threshold": 1000, "edgeitems": 2, "linewidth": 80},
    "full": {"precision": 4, "threshold": math.inf, "edgeitems": 3, "linewidth": 80},
}


def set_printoptions(
    precision=None, threshold=None, edgeitems=None, linewidth=None, profile=None, sci_mode=None
):
    """Change how tensors print, with the semantics of ``torch.set_printoptions``.

    A ``profile`` ("default", "short" or "full") is applied first and the other
    arguments override it. ``sci_mode`` is always assigned, so leaving it out
    returns to choosing the notation automatically.
    """
    if profile is not None:
        # PyTorch silently ignores a profile name it does not know.
        for name, value in _PROFILES.get(profile, {}).items():
            setattr(_OPTIONS, name, value)
    overrides = {
        "precision": precision, "threshold": threshold,
        "edgeitems": edgeitems, "linewidth": linewidth,
    }
    for name, value in overrides.items():
        if value is not None:
            setattr(_OPTIONS, name, value)
    _OPTIONS.sci_mode = sci_mode


def get_printoptions():
    """The current options, as a dict that ``set_printoptions(**options)`` accepts."""
    return dataclasses.asdict(_OPTIONS)


class _Formatter:
    """Formats every element of one tensor with a shared notation and width."""

    def __init__(self, values):
        self.floating = values.dtype.kind == "f"
        self.int_mode = True
        self.sci_mode = False
        self.max_width = 1
        flat = values.reshape(-1)
        if not self.floating:
            for value in flat.tolist():
                self.max_width = max(self.max_width, len(str(value)))
            return
        # Zeros, nan and inf say nothing about the scale of the data, so only
        # nonzero finite values decide the notation and the width.
        chosen = flat[np.isfinite(flat) & (flat != 0)]
        if chosen.size == 0:
            return
        magnitudes = np.abs(chosen).astype(np.float64)
        smallest, largest = magnitudes.min(), magnitudes.max()
        self.int_mode = bool(np.all(chosen == np.ceil(chosen)))
        if _OPTIONS.sci_mode is None:
            # The ratio can overflow to inf for extreme ranges; inf is the right answer.
            with np.errstate(over="ignore"):
                ratio = largest / smallest
            self.sci_mode = bool(ratio > 1000.0 or largest > 1.0e8 or smallest < 1.0e-4)
        else:
            self.sci_mode = _OPTIONS.sci_mode
        for value in chosen.tolist():
            self.max_width = max(self.max_width, self._measure(value))

    def _measure(self, value):
        precision = _OPTIONS.precision
        if self.sci_mode:
            return len(f"{value:.{precision}e}")
        if self.int_mode:
            # One more for the "." that marks the tensor as floating point.
            return len(f"{value:.0f}") + 1
        return len(f"{value:.{precision}f}")

    def format(self, value):
        precision = _OPTIONS.precision
        if not self.floating:
            text = str(value)
        elif self.sci_mode:
            text = f"{value:{self.max_width}.{precision}e}"
        elif self.int_mode:
            text = f"{value:.0f}"
            if not (math.isinf(value) or math.isnan(value)):
                text += "."
        else:
            text = f"{value:.{precision}f}"
        return text.rjust(self.max_width)


def _summarized(values):
    """Only the values a summarized print shows, so that they alone set the format."""
    edge = _OPTIONS.edgeitems
    if values.ndim == 0:
        return values
    if values.ndim == 1:
        if values.shape[0] > 2 * edge:
            # With edge == 0, values[-0:] is the whole row; PyTorch keeps that quirk.
            return np.concatenate((values[:edge], values[-edge:]))
        return values
    if not edge:
        return np.empty([0] * values.ndim, dtype=values.dtype)
    return np.stack([_summarized(values[i]) for i in _shown_indices(values.shape[0])])


def _shown_indices(length):
    edge = _OPTIONS.edgeitems
    if length > 2 * edge:
        return [*range(edge), *range(length - edge, length)]
    return list(range(length))


def _vector_str(row, indent, summarize, formatter):
    # Each element takes its width plus ", " between neighbours.
    element_length = formatter.max_width + 2
    per_line = max(1, math.floor((_OPTIONS.linewidth - indent) / element_length))
    edge = _OPTIONS.edgeitems
    if summarize and not edge:
        items = ["..."]
    elif summarize and row.shape[0] > 2 * edge:
        # The leading space lines "..." up like a right-aligned element.
        items = (
            [formatter.format(v) for v in row[:edge].tolist()]
            + [" ..."]
            + [formatter.format(v) for v in row[-edge:].tolist()]
        )
    else:
        items = [formatter.format(v) for v in row.tolist()]
    lines = [", ".join(items[i:i + per_line]) for i in range(0, len(items), per_line)]
    return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"


def _nested_str(values, indent, summarize, formatter):
    if values.ndim == 0:
        return formatter.format(values.item())
    if values.ndim == 1:
        return _vector_str(values, indent, summarize, formatter)
    edge = _OPTIONS.edgeitems
    length = values.shape[0]
    if summarize and length > 2 * edge:
        head = [_nested_str(values[i], indent + 1, summarize, formatter) for i in range(edge)]
        tail = [
            _nested_str(values[i], indent + 1, summarize, formatter)
            for i in range(length - edge, length)
        ]
        rows = head + ["..."] + tail
    else:
        rows = [_nested_str(values[i], indent + 1, summarize, formatter) for i in range(length)]
    # Matrices are separated by one newline, 3-D blocks by two, and so on.
    separator = "," + "\n" * (values.ndim - 1) + " " * (indent + 1)
    return "[" + separator.join(rows) + "]"


def _values_str(values, indent):
    summarize = values.size > _OPTIONS.threshold
    formatter = _Formatter(_summarized(values) if summarize else values)
    return _nested_str(values, indent, summarize, formatter)


def _add_suffixes(text, suffixes, indent):
    parts = [text]
    # PyTorch measures the last line as len - rfind("\n") + 1, which counts two
    # characters too many on a single line; kept so wrapping happens where it does there.
    last_line_len = len(text) - text.rfind("\n") + 1
    for suffix in suffixes:
        if last_line_len + len(suffix) + 2 > _OPTIONS.linewidth:
            parts.append(",\n" + " " * indent + suffix)
            last_line_len = indent + len(suffix)
        else:
            parts.append(", " + suffix)
            last_line_len += len(suffix) + 2
    parts.append(")")
    return "".join(parts)


def _host_array(array):
    """A numpy view of the tensor's storage, copying device arrays to the host."""
    get = getattr(array, "get", None)
    return np.asarray(get() if callable(get) else array)


def tensor_repr(tensor, *, tensor_contents=None):
    """What PyTorch prints for ``repr(tensor)`` and ``str(tensor)``.

    ``tensor_contents`` replaces the printed values while keeping the suffixes.
    """
    values = _host_array(tensor._data)
    indent = len(_PREFIX)
    dtype_name = tensor.dtype.name
    default_float = dtypes.get_default_dtype().name
    suffixes = []

    # The default device is the CPU, so only other devices are named.
    if tensor.device.type != "cpu":
        suffixes.append(f"device='{tensor.device}'")

    if values.size == 0:
        # Nothing shows the shape or the element type, so both are spelled out
        # (except for the plain 1-D shape (0,)).
        if values.ndim != 1:
            suffixes.append(f"size={tuple(values.shape)}")
        if dtype_name != default_float:
            suffixes.append(f"dtype={tensor.dtype!r}")
        body = "[]"
    else:
        # With no edge items a summary shows nothing but "...", so the size is given.
        if not _OPTIONS.edgeitems:
            suffixes.append(f"size={tuple(values.shape)}")
        if dtype_name not in (default_float, *_IMPLIED_DTYPES):
            suffixes.append(f"dtype={tensor.dtype!r}")
        body = _values_str(values, indent)
    if tensor_contents is not None:
        body = tensor_contents

    grad_fn = getattr(tensor, "_grad_fn", None)
    if grad_fn is not None:
        suffixes.append(f"grad_fn=<{type(grad_fn).__name__}>")
    elif tensor.requires_grad:
        suffixes.append("requires_grad=True")

    return _add_suffixes(_PREFIX + body, suffixes, indent)
