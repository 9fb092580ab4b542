"""The names a derivative formula may call (engine/autograd/derivative.py), each twice:
as the engine op (recorded under ``create_graph``) and as the array function that
computes the same values on bare arrays, bit for bit.

An array function here must do what the op's forward does to its array, no
more: the op's dtype checks are not needed because a formula only runs on
arrays whose dtypes agree (``derivative.agrees``).
"""
import importlib
import math
import types

import numpy as np

from ..autograd.derivative import namespace_complete, register_math
from ..backend import array_module
from . import double_backward as fused
from .arithmetic import _power, div_scalar, mul_scalar
from .comparison import rounded_quotient, rounded_quotient_array
from .cumulative import cumsum, cumsum_array
from .diagonals import (
    diagonal,
    diagonal_backward,
    diagonal_view,
    on_diagonal_of_zeros_array,
    tril,
    triu,
)
from .extrema import peak_share_array, peaks_share_array, picked_array
from .gather import (
    gather,
    gather_array,
    masked_fill,
    masked_fill_array,
    scatter,
    scatter_add,
    scatter_add_array,
    scatter_number_array,
)
from .indexing import (
    index,
    index_array,
    index_put,
    index_put_array,
    select_backward,
    select_backward_array,
    slice_backward,
    slice_backward_array,
    slice_dim,
    take_view,
)
from .join_split import sum_tiles, sum_tiles_array
from .linalg import bmm, mm, mv
from .moments import _centered, _inverse_dof, centered_array
from .ordering import (
    flip,
    kept,
    kept_array,
    roll,
    roll_array,
    rot90,
    rot90_array,
    scatter_add_back,
    scatter_add_back_array,
    scatter_back,
    scatter_back_array,
)
from .pointwise import cos, exp, log, sgn, sin
from .pointwise_select import where
from .reduction import (
    expand_reduced,
    expand_reduced_array,
    normalize_dims,
    reduced_count,
    sum_array,
    sum_to,
    sum_to_array,
)
from .registry import wrap, zeros_like
from .transposes import _inverse

_ndarray = np.ndarray


def _cos(data):
    return array_module(data).cos(data)


def _sin(data):
    return array_module(data).sin(data)


def _exp(data):
    return array_module(data).exp(data)


def _log(data):
    return array_module(data).log(data)


def _sign(data):
    return array_module(data).sign(data)


def _where(condition, input, other):
    return array_module(condition).where(condition, input, other)


def _zeros_like(data):
    return array_module(data).zeros(data.shape, dtype=data.dtype)


def _mul_scalar(data, number):
    return data * number


def _div_scalar(data, number):
    return data / number


def _expand(data, sizes):
    """``expand``'s read-only view. A numpy 0-d array (the gradient of a whole sum or mean) is
    viewed with zero strides directly: numpy's broadcast_to gives the same view, but in
    Python, at three times the cost."""
    if data.ndim == 0 and type(data) is _ndarray:
        view = _ndarray(sizes, data.dtype, data, 0, (0,) * len(sizes))
        view.flags.writeable = False
        return view
    return array_module(data).broadcast_to(data, sizes)


def _tensor_expand(input, sizes):
    return input.expand(sizes)


def _tensor_expand_reduced(input, sizes, dims, keepdim):
    return expand_reduced(input, sizes, normalize_dims(dims, len(sizes)), keepdim)


def _array_expand_reduced(data, sizes, dims, keepdim):
    return expand_reduced_array(data, sizes, normalize_dims(dims, len(sizes)), keepdim)


def _count(sizes, dims):
    """How many elements each result of a reduction over ``dims`` took in (a Python int)."""
    return reduced_count(sizes, normalize_dims(dims, len(sizes)))


def _tensor_sum_kept(input, dim):
    return input.sum(dim, keepdim=True)


def _generated_module():
    """engine/ops/derivatives_generated.py; before it was first made, an empty stand-in (every
    class is then reported stale, and the generator can run)."""
    name = f"{__package__}.derivatives_generated"
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as missing:
        if missing.name != name:
            raise
        return types.SimpleNamespace(SOURCES={})


# ------------------------------------------------------------ shapes and views
def _reshape(input, sizes):
    return input.reshape(sizes)


def _squeeze(input, dim):
    return input.squeeze(dim)


def _squeeze_array(data, dim):
    """``squeeze(dim)``'s array: only the named dims of size 1 go (as the op does)."""
    shape = data.shape
    if type(dim) is int and shape and -len(shape) <= dim < len(shape):  # one dim (unsqueeze's)
        dim %= len(shape)
        return data.reshape(shape[:dim] + shape[dim + 1:] if shape[dim] == 1 else shape)
    dims = normalize_dims(dim, data.ndim)
    return data.reshape(tuple(s for i, s in enumerate(data.shape) if not (i in dims and s == 1)))


def _t(input):
    return input.t()


def _t_array(data):
    return data.T


def _transpose(input, dim0, dim1):
    return input.transpose(dim0, dim1)


def _transpose_array(data, dim0, dim1):
    return array_module(data).swapaxes(data, dim0, dim1) if data.ndim else data.view()


def _permute(input, dims):
    return input.permute(dims)


def _permute_array(data, dims):
    return array_module(data).transpose(data, dims) if data.ndim else data.view()


# ------------------------------------------------------------------- clamp masks
# PyTorch's clamp_backward_min_max: where the input passes, where it went to a bound
# (when lo > hi every result is hi). A bound is None when not given.
def _clamp_keeps(input, low, high):
    if low is not None and high is not None:
        return (input >= low) & (input <= high)
    return input >= low if low is not None else input <= high


def _clamp_to_min(input, low, high):
    return (input < low) & (low < high) if high is not None else input < low


def _clamp_to_max(input, low, high):
    return (input > high) | (high < low) if low is not None else input > high


# ------------------------------------------------------------------ products
def _unsqueeze(input, dim):
    return input.unsqueeze(dim)


def _unsqueeze_array(data, dim):
    """``unsqueeze``'s view, made as the op makes it: a reshape (a tenth of expand_dims' cost)."""
    shape = data.shape
    dim %= len(shape) + 1
    return data.reshape(shape[:dim] + (1,) + shape[dim:])


def _matmul_array(data, other):
    return data @ other  # what mm, mv and bmm compute on their arrays


# ------------------------------------------------------------------ indexing
def _select(input, dim, index):
    return input.select(dim, index)


def _slice_array(data, dim, start, end, step):
    return data[(slice(None),) * dim + (slice(start, end, step),)]


def _flip_array(data, dims):
    return array_module(data).flip(data, axis=tuple(dims)).copy() if data.ndim else data.copy()


def _tril_array(data, diagonal):
    return array_module(data).tril(data, diagonal)


def _triu_array(data, diagonal):
    return array_module(data).triu(data, diagonal)


def _sum_all(input):
    return input.sum()


def _sum_all_array(data):
    return sum_array(data).reshape(())


def _cumsum_array(data, dim):
    return cumsum_array(data, dim, data.dtype)


def _eye_like(sizes, grad):
    """The identity of ``sizes`` in ``grad``'s dtype, as a constant."""
    return wrap(_eye_like_array(sizes, grad._data))


def _eye_like_array(sizes, data):
    return array_module(data).eye(*sizes, dtype=data.dtype)


# Constant weights (which elements a max's gradient goes to), one array function each: the
# Tensor path wraps its result as a constant (PyTorch's masks are not differentiated).
def _peak_share(input, result):
    return wrap(peak_share_array(input._data, result._data))


def _peaks_share(input, result, dim, keepdim):
    return wrap(peaks_share_array(input._data, result._data, dim, keepdim))


def _picked(indices, dim, keepdim, sizes, like):
    return wrap(picked_array(indices._data, dim, keepdim, sizes, like._data))


def _shape_of(input):
    return input._data.shape


def _array_shape_of(data):
    return data.shape


def _tensor_centered(input, dim):
    return _centered(input, normalize_dims(dim, input._data.ndim))


def _array_centered(data, dim):
    return centered_array(data, normalize_dims(dim, data.ndim))


def _zero_where_zero(input, divisor):
    """``input`` with 0 where ``divisor`` is 0 (a constant mask, as PyTorch's std backward)."""
    return input.masked_fill(wrap(divisor._data == 0), 0)


def _zero_where_zero_array(data, divisor):
    xp = array_module(data)
    return xp.where(divisor == 0, xp.asarray(0, dtype=data.dtype), data)  # as masked_fill


def _new_zeros(like, sizes):
    """Zeros of ``sizes`` in ``like``'s dtype, as a constant."""
    return wrap(_new_zeros_array(like._data, sizes))


def _new_zeros_array(like, sizes):
    return array_module(like).zeros(sizes, dtype=like.dtype)


def _as_dtype(mask, like):
    """A mask as numbers in ``like``'s dtype, as a constant."""
    return wrap(mask._data.astype(like._data.dtype))


def _as_dtype_array(mask, like):
    return mask.astype(like.dtype)


def _index_put_arrays(data, indices, values, accumulate):
    """``index_put``'s array half, for indices that may still be Tensors."""
    return index_put_array(data, tuple(getattr(i, "_data", i) for i in indices), values, accumulate)


def _negated(numbers):
    return [-n for n in numbers]


def _tensor_pow(input, exponent):
    return input.pow(exponent)


def _array_pow(data, exponent):
    """``pow``'s array for a number exponent (x·x·x for a cube), numpy's power for an array."""
    if type(exponent) in (int, float):
        return _power(data, exponent)
    return array_module(data).power(data, exponent)


register_math("cos", cos, _cos)
register_math("sin", sin, _sin)
register_math("exp", exp, _exp)
register_math("log", log, _log)
register_math("sgn", sgn, _sign)
register_math("where", where, _where)
register_math("pow", _tensor_pow, _array_pow, text="{0} ** {1}")
# at::mul and at::div (Tensor, Scalar) as PyTorch's formulas call them: MulBackward1, DivBackward1
register_math("mul_scalar", mul_scalar, _mul_scalar, text="{0} * {1}", inline=(None, "{0} * {1}"))
register_math("div_scalar", div_scalar, _div_scalar, text="{0} / {1}", inline=(None, "{0} / {1}"))
register_math("zeros_like", zeros_like, _zeros_like, elementwise=False)
register_math("sum_kept", _tensor_sum_kept, fused.sum_kept_array, elementwise=False,
              inline=("{0}.sum({1}, keepdim=True)", None))
register_math("sum_to", sum_to, sum_to_array, elementwise=False)
register_math("reshape", _reshape, _reshape, elementwise=False, inline=("{0}.reshape({1})",) * 2)
register_math("squeeze", _squeeze, _squeeze_array, elementwise=False, inline=("{0}.squeeze({1})", None))
register_math("t", _t, _t_array, elementwise=False, text="{0}.T", inline=("{0}.t()", "{0}.T"))
register_math("transpose", _transpose, _transpose_array, elementwise=False)
register_math("permute", _permute, _permute_array, elementwise=False)
register_math("inverse", _inverse, _inverse, elementwise=False)  # of a permutation: a tuple
register_math("unsqueeze", _unsqueeze, _unsqueeze_array, elementwise=False,
              inline=("{0}.unsqueeze({1})", None))
register_math("select", _select, take_view, elementwise=False)
register_math("slice_dim", slice_dim, _slice_array, elementwise=False)
# Zeros with the gradient written at an index or over a range; PyTorch records one node each.
register_math("select_backward", select_backward, select_backward_array, elementwise=False)
register_math("slice_backward", slice_backward, slice_backward_array, elementwise=False)
register_math("flip", flip, _flip_array, elementwise=False)
register_math("tril", tril, _tril_array, elementwise=False)
register_math("triu", triu, _triu_array, elementwise=False)
register_math("sum_all", _sum_all, _sum_all_array, elementwise=False)
register_math("cumsum", cumsum, _cumsum_array, elementwise=False)
register_math("eye_like", _eye_like, _eye_like_array, elementwise=False)
register_math("peak_share", _peak_share, peak_share_array, elementwise=False)
register_math("peaks_share", _peaks_share, peaks_share_array, elementwise=False)
register_math("picked", _picked, picked_array, elementwise=False)
register_math("shape_of", _shape_of, _array_shape_of, elementwise=False)
register_math("centered", _tensor_centered, _array_centered, elementwise=False)  # a − mean(a)
register_math("inverse_dof", _inverse_dof, _inverse_dof, elementwise=False)  # 1/(N − correction)
register_math("zero_where_zero", _zero_where_zero, _zero_where_zero_array, text="where({1} == 0, 0, {0})")
register_math("new_zeros", _new_zeros, _new_zeros_array, elementwise=False)
register_math("as_dtype", _as_dtype, _as_dtype_array, elementwise=False)
register_math("gather", gather, gather_array, elementwise=False)
register_math("scatter_add", scatter_add, scatter_add_array, elementwise=False)
register_math("scatter", scatter, scatter_number_array, elementwise=False)  # a number written
register_math("masked_fill", masked_fill, masked_fill_array, elementwise=False)
register_math("index", index, index_array, elementwise=False)
register_math("index_put", index_put, _index_put_arrays, elementwise=False)
register_math("scatter_back", scatter_back, scatter_back_array, elementwise=False)
register_math("scatter_add_back", scatter_add_back, scatter_add_back_array, elementwise=False)
register_math("kept", kept, kept_array, elementwise=False)
register_math("roll", roll, roll_array, elementwise=False)
register_math("rot90", rot90, rot90_array, elementwise=False)
register_math("negated", _negated, _negated, elementwise=False)  # of a list of shifts
register_math("sum_tiles", sum_tiles, sum_tiles_array, elementwise=False)
register_math("diagonal", diagonal, diagonal_view, elementwise=False)
register_math("diagonal_backward", diagonal_backward, on_diagonal_of_zeros_array, elementwise=False)
register_math("rounded_quotient", rounded_quotient, rounded_quotient_array)  # ⌊a/b⌋ or trunc(a/b)
for _name, _product in (("mm", mm), ("mv", mv), ("bmm", bmm)):
    register_math(_name, _product, _matmul_array, elementwise=False, text="{0} @ {1}",
                  inline=(None, "{0} @ {1}"))
for _name, _mask in (("clamp_keeps", _clamp_keeps), ("clamp_to_min", _clamp_to_min),
                     ("clamp_to_max", _clamp_to_max)):
    register_math(_name, _mask, _mask)  # & | < on Tensors and arrays alike

# PyTorch's fused backward kernels (one node each under create_graph), read as their math.
register_math("tanh_backward", fused.tanh_backward, fused.tanh_backward_array, text="{0} * (1 - {1} * {1})")
register_math("sigmoid_backward", fused.sigmoid_backward, fused.sigmoid_backward_array,
              text="{0} * (1 - {1}) * {1}")
register_math("threshold_backward", fused.threshold_backward, fused.threshold_backward_array,
              text="where({1} <= {2}, 0, {0})")
register_math("softmax_backward_data", fused.softmax_backward_data, fused.softmax_backward_data_array,
              elementwise=False, text="{1} * ({0} - sum_kept({0} * {1}, {2}))")
register_math("log_softmax_backward_data", fused.log_softmax_backward_data,
              fused.log_softmax_backward_data_array, elementwise=False,
              text="{0} - exp({1}) * sum_kept({0}, {2})")
register_math("expand", _tensor_expand, _expand, elementwise=False, inline=("{0}.expand({1})", None))
register_math("expand_reduced", _tensor_expand_reduced, _array_expand_reduced, elementwise=False)
register_math("reduced_count", _count, _count, elementwise=False)

# Numbers, on both paths: constants and ``ln`` of a Python number (a base saved as a number).
for _name, _value in (("ln2", math.log(2.0)), ("ln10", math.log(10.0)), ("sqrt_pi", math.sqrt(math.pi)),
                      ("nan", float("nan")), ("ln", math.log)):
    register_math(_name, _value, _value, elementwise=False)

namespace_complete(_generated_module())  # every node class defined so far gets its paths now
