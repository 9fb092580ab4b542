"""The op registry, and the small helpers every op module shares.

The table of ops itself (``@op``, ``@method``, ``OPS``) is ``table.py``; it is
re-exported here, where every op module imports its helpers from.
"""
import numpy as np

from .. import dtypes, observe
from ..autograd.node import Node, SavedTensor, VersionCounter, _sequence, edge_of, recording
from ..backend import array_module
from ..tensor import Tensor
from .table import FUNCTIONS, METHODS, OPS, OpInfo, method, op  # noqa: F401 - the table's home

# ------------------------------------------------------------------ operands
_ndarray = np.ndarray


def wrap(data):
    """A new untracked tensor around ``data``.

    numpy returns scalars, not arrays, from ops on 0-d arrays; a tensor always
    holds an array so that in-place writes and views work on it.
    """
    if type(data) is not _ndarray and isinstance(data, (np.generic, bool, int, float)):
        data = np.asarray(data)
    return Tensor._make(data)


def operand(input, other):
    """``other`` as a Tensor or a Python number, shape-checked against ``input``."""
    if type(other) is Tensor or isinstance(other, Tensor):
        if other._data.shape != input._data.shape:
            check_broadcast(input._data.shape, other._data.shape)
        return other
    if type(other) is float or type(other) is int or type(other) is bool:
        return other
    if isinstance(other, (np.generic,)):
        return other.item()
    return operand(input, as_tensor(other))


def fix_dtype(a, b, data, true_division=False):
    """Correct numpy's result dtype to PyTorch's promotion for ``a op b``.

    numpy already agrees in the common cases (same dtypes; a float tensor with a
    Python number), which cost two comparisons here.
    """
    a_dtype = a._data.dtype
    if type(b) is Tensor or isinstance(b, Tensor):
        if a_dtype == b._data.dtype and not (true_division and a_dtype.kind != "f"):
            return data
        target = dtypes.promote(a.dtype, b.dtype, a._data.ndim > 0, b._data.ndim > 0)
    else:
        if data.dtype == a_dtype and not (true_division and a_dtype.kind != "f"):
            return data
        target = dtypes.promote_scalar(a.dtype, b)
    if true_division and not target.is_floating_point:
        target = dtypes.get_default_dtype()
    return data.astype(target.numpy) if data.dtype != target.numpy else data


def as_tensor(value, like=None):
    """``value`` as a Tensor: tensors pass through, numbers become 0-d tensors."""
    if isinstance(value, Tensor):
        return value
    xp = array_module(like._data) if like is not None else np
    if isinstance(value, (bool, int, float)):
        target = dtypes.promote_scalar(like.dtype, value) if like is not None else None
        dt = target.numpy if target is not None else dtypes.to_numpy(type(value))
        return Tensor._make(xp.asarray(value, dtype=dt))
    from ..creation import tensor as make_tensor  # on use: creation imports this module
    return make_tensor(value)


def is_number(value):
    return isinstance(value, (bool, int, float)) and not isinstance(value, Tensor)


def binary_dtype(a, b):
    """Result dtype of ``a op b`` where either may be a Python number."""
    if type(b) is not Tensor and not isinstance(b, Tensor):
        return dtypes.promote_scalar(a.dtype, b)
    if not isinstance(a, Tensor):
        return dtypes.promote_scalar(b.dtype, a)
    return dtypes.promote(a.dtype, b.dtype, a._data.ndim > 0, b._data.ndim > 0)


def raw(value):
    """The array (or Python number) behind an operand."""
    return value._data if isinstance(value, Tensor) else value


def cast(data, target):
    """Cast ``data`` to the engine dtype ``target`` when it differs."""
    if data.dtype != target.numpy:
        return data.astype(target.numpy)
    return data


# NOTE [quiet numpy]
# PyTorch computes log(0) = -inf and sin(inf) = nan silently; numpy warns, so the
# engine's own calls that can warn run with numpy's error state set to ignore and
# then restored: the user's own numpy calls keep warning as the user chose.
# ``np.errstate`` rebuilds that state on every entry, which costs three times a
# sin of four numbers; numpy 2 keeps it in a context variable, so the engine sets
# that variable to a state made once (numpy 1 gets the plain errstate).
try:
    from numpy._core._ufunc_config import _extobj_contextvar as _ERROR_STATE
except ImportError:  # numpy 1.x
    _ERROR_STATE = None

if _ERROR_STATE is not None:
    with np.errstate(all="ignore"):
        _QUIET = _ERROR_STATE.get()
    _set_error_state, _reset_error_state = _ERROR_STATE.set, _ERROR_STATE.reset

    def quietly(function, *args):
        """``function(*args)`` with numpy's floating point warnings off (NOTE [quiet numpy])."""
        token = _set_error_state(_QUIET)
        try:
            return function(*args)
        finally:
            _reset_error_state(token)
else:
    @np.errstate(all="ignore")
    def quietly(function, *args):
        """``function(*args)`` with numpy's floating point warnings off (NOTE [quiet numpy])."""
        return function(*args)


def check_broadcast(a_shape, b_shape):
    """Raise PyTorch's error when two shapes do not broadcast."""
    if b_shape == a_shape[len(a_shape) - len(b_shape):]:
        return  # a bias-like operand: the trailing dims of the other (the common case)
    for i in range(1, min(len(a_shape), len(b_shape)) + 1):
        x, y = a_shape[-i], b_shape[-i]
        if x != y and x != 1 and y != 1:
            raise RuntimeError(
                f"The size of tensor a ({x}) must match the size of tensor b ({y}) at "
                f"non-singleton dimension {max(len(a_shape), len(b_shape)) - i}")


# NOTE [recording in place]
# Recording is most of an op's cost on small tensors, so nodes and saved tensors are
# built here in place, without their __init__ calls: ``Node.__init__`` and
# ``SavedTensor.__init__`` spelled out (op nodes define no __init__ of their own, a
# test checks it), edges and input shapes written straight into the node. An
# input's (shape, dtype) pair is shared by every node with an input of that shape
# and dtype: fewer objects that live as long as the graph, which is what the
# cyclic garbage collector's cost grows with during a long forward pass.
_new = object.__new__
_next_seq = _sequence.__next__
_SHAPES_KEPT = 1024  # distinct shapes whose pairs are kept (the cache starts over past it)
_PAIRS = {}  # shape -> (shape, dtype), the dtype last seen with that shape
_SINGLE_METAS = {}  # shape -> ((shape, dtype),), the _input_meta of a one-input node


def _pair(data):
    """The shared ``(shape, dtype)`` of an array."""
    shape = data.shape
    pair = _PAIRS.get(shape)
    if pair is None or pair[1] is not data.dtype:
        if len(_PAIRS) >= _SHAPES_KEPT:
            _PAIRS.clear()
        pair = _PAIRS[shape] = (shape, data.dtype)
    return pair


def _single_meta(data):
    """The shared ``_input_meta`` of a node whose one input holds ``data``."""
    meta = _SINGLE_METAS.get(data.shape)
    if meta is None or meta[0][1] is not data.dtype:
        if len(_SINGLE_METAS) >= _SHAPES_KEPT:
            _SINGLE_METAS.clear()
        meta = _SINGLE_METAS[data.shape] = (_pair(data),)
    return meta


def save(tensor, is_output=False):
    """``tensor`` saved for backward (NOTE [saved outputs] in node.py for ``is_output``)."""
    if is_output:
        return save_result(tensor)
    saved = _new(SavedTensor)
    counter = tensor._counter
    if counter is None:
        counter = tensor._counter = VersionCounter()
    saved.counter = counter
    saved.version = counter.value
    saved.tensor = tensor
    saved.data = None
    return saved


def save_result(out):
    """Save an op's own result for the node about to be recorded on it.

    See NOTE [saved outputs] in node.py: the array is kept, not the tensor, and
    the unpacked result gets the node as its grad_fn.
    """
    saved = _new(SavedTensor)
    counter = out._counter
    if counter is None:
        counter = out._counter = VersionCounter()
    saved.counter = counter
    saved.version = counter.value
    saved.tensor = None
    saved.data = out._data
    saved.requires_grad = True
    return saved


def zeros_like(tensor):
    """Zeros shaped like ``tensor`` (for backward formulas whose derivative is zero)."""
    return wrap(array_module(tensor._data).zeros(tensor._data.shape, dtype=tensor._data.dtype))


def _edge_and_meta(tensor):
    """The edge to ``tensor`` and its (shape, dtype); ``(None, 0)`` and None for a number."""
    if tensor is None:
        return (None, 0), None
    data = tensor._data
    return edge_of(tensor), (data.shape, data.dtype)


_NO_EDGE = (None, 0)


def record(node_cls, out, inputs, saved=()):
    """Give ``out`` a new ``node_cls`` grad_fn whose edges follow ``inputs``.

    ``inputs`` lists one entry per differentiable argument (None for a Python
    number that PyTorch still lists, as in ``x + 2``).
    """
    if len(inputs) == 1:
        return record1(node_cls, out, inputs[0], saved)
    if len(inputs) == 2 and inputs[0] is not None:
        return record2(node_cls, out, inputs[0], inputs[1], saved)
    pairs = [_edge_and_meta(t) for t in inputs]
    node = node_cls(tuple(edge for edge, _ in pairs), saved)
    node._input_meta = tuple(meta for _, meta in pairs)
    out._grad_fn = node
    if observe.LISTENERS:
        observe.emit("node_created", node, inputs, (out,))
    return out


def record1(node_cls, out, input, saved=()):
    """``record`` for an op of one tensor, built in place (NOTE [recording in place])."""
    node = _new(node_cls)
    fn = input._grad_fn  # edge_of(input), inlined
    if fn is not None:
        node.next_functions = ((fn, input._output_nr),)
    elif input._requires_grad:
        node.next_functions = ((input._grad_accumulator(), 0),)
    else:
        node.next_functions = _NO_EDGES
    node._seq = _next_seq()
    node._saved = saved
    node._extra = None
    data = input._data
    meta = _SINGLE_METAS.get(data.shape)  # _single_meta(data), its hit inlined
    node._input_meta = meta if meta is not None and meta[0][1] is data.dtype else \
        _single_meta(data)
    out._grad_fn = node
    if observe.LISTENERS:
        observe.emit("node_created", node, (input,), (out,))
    return out


_NO_EDGES = (_NO_EDGE,)


def record2(node_cls, out, a, b, saved=()):
    """``record`` for a binary op, built in place (NOTE [recording in place]); ``b`` (not
    ``a``) may be None."""
    node = _new(node_cls)
    fn = a._grad_fn  # edge_of(a) and edge_of(b), inlined
    if fn is not None:
        edge_a = (fn, a._output_nr)
    elif a._requires_grad:
        edge_a = (a._grad_accumulator(), 0)
    else:
        edge_a = _NO_EDGE
    if b is None:
        node.next_functions = (edge_a, _NO_EDGE)
        node._input_meta = (_pair(a._data), None)
    else:
        fn = b._grad_fn
        if fn is not None:
            edge_b = (fn, b._output_nr)
        elif b._requires_grad:
            edge_b = (b._grad_accumulator(), 0)
        else:
            edge_b = _NO_EDGE
        node.next_functions = (edge_a, edge_b)
        node._input_meta = (_pair(a._data), _pair(b._data))
    node._seq = _next_seq()
    node._saved = saved
    node._extra = None
    out._grad_fn = node
    if observe.LISTENERS:
        observe.emit("node_created", node, (a, b), (out,))
    return out


__all__ = ["Node", "OPS", "op", "method", "wrap", "as_tensor", "record", "record1", "record2",
           "recording", "save", "raw", "cast", "binary_dtype", "check_broadcast", "is_number"]
