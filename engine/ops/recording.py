"""Recording: the Function nodes and saved tensors an op attaches to its result.

``record``, ``record1`` and ``record2`` attach a node to a tensor an op has made;
``recorded``, ``recorded_view``, ``one_input_op`` and ``two_input_op`` make the
tensor and its node in one call (NOTE [one-call ops]). ``registry`` re-exports
them, where every op module imports its helpers from.
"""
import functools

import numpy as np

from .. import observe
from ..autograd.grad_mode import STATE, disabled_by
from ..autograd.node import SavedNumber, SavedTensor, VersionCounter, _sequence, edge_of
from ..tensor import Tensor
from .broadcasting import check_broadcast
from .quiet import ERROR_STATE, QUIET, quietly, reset_error_state, set_error_state

_ndarray = np.ndarray


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
    saved = _new(SavedTensor)  # SavedTensor(tensor), spelled out
    counter = saved.counter = tensor._counter  # NOTE [lazy version counters] in node.py
    saved.version = counter.value if counter is not None else 0
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
    node = out._grad_fn = _node1(node_cls, input._grad_fn, input, saved)
    if observe.LISTENERS:
        observe.emit("node_created", node, (input,), (out,))
    return out


_NO_EDGES = (_NO_EDGE,)


# NOTE [one-call ops]
# On a small tensor an op's cost is mostly Python calls: the op, its helper, the
# quiet error state, the tensor, the saved tensor, the node, each a call of its
# own. The commonest ops of one float tensor (exp, sin, tanh, ...) instead run
# one function made for them by ``one_input_op``: it computes, builds the
# tensor (``Tensor._make`` spelled out) and records the node (``record1`` with
# ``save``/``save_result`` spelled out) in its own body, with the op's ufunc,
# node class and saved value bound in. Anything unusual (not a float numpy
# array) takes the op's general path. A test checks that the tensors and nodes
# built here are those the general path builds, field for field.
def one_input_op(compute, node_cls, saves=None, quiet=False):
    """Decorator: the op's fast path for a float numpy tensor (NOTE [one-call ops]).

    ``compute(array)`` returns the result's array; ``saves`` is "self",
    "result" or None, what the node keeps for backward; ``quiet`` runs
    ``compute`` with numpy's warnings off (NOTE [quiet numpy]). The decorated
    function is the general path, taken for anything but a float numpy array;
    the returned function keeps its name and docstring.
    """
    saves_input = saves == "self"
    saves_result = saves == "result"
    if saves not in (None, "self", "result"):
        raise ValueError(f"saves must be 'self', 'result' or None, not {saves!r}")
    if quiet and ERROR_STATE is None:  # numpy 1: the plain errstate, around compute alone
        compute, quiet = functools.partial(quietly, compute), False

    def decorate(general):
        def apply(input):
            data = input._data
            if type(data) is not _ndarray or data.dtype.kind != "f":
                return general(input)
            if quiet:
                token = set_error_state(QUIET)
                try:
                    result = compute(data)
                finally:
                    reset_error_state(token)
            else:
                result = compute(data)
            if type(result) is not _ndarray:  # numpy gives a scalar for a 0-d array
                result = np.asarray(result)
            fn = input._grad_fn
            if not (STATE.enabled and (fn is not None or input._requires_grad)):
                return Tensor._make(result)  # (an inference tensor in inference mode)
            out = _new(Tensor)  # Tensor._make(result), spelled out: grad mode is on
            out._data = result
            out._requires_grad = False
            out._grad = None
            out._output_nr = 0
            out._counter = None
            out._grad_acc = None
            out._extra = None
            node = _new(node_cls)  # record1, spelled out
            if fn is not None:
                node.next_functions = ((fn, input._output_nr),)
            else:
                node.next_functions = ((input._grad_accumulator(), 0),)
            node._seq = _next_seq()
            node._extra = None
            meta = _SINGLE_METAS.get(data.shape)
            node._input_meta = meta if meta is not None and meta[0][1] is data.dtype else \
                _single_meta(data)
            if saves_input:  # save(input), spelled out
                saved = _new(SavedTensor)
                counter = saved.counter = input._counter  # NOTE [lazy version counters]
                saved.version = counter.value if counter is not None else 0
                saved.tensor = input
                saved.data = None
                node._saved = (saved,)
            elif saves_result:  # save_result(out), spelled out
                saved = _new(SavedTensor)
                saved.counter = out._counter = VersionCounter()
                saved.version = 0
                saved.tensor = None
                saved.data = result
                saved.requires_grad = True
                node._saved = (saved,)
            else:
                node._saved = ()
            out._grad_fn = node
            if observe.LISTENERS:
                observe.emit("node_created", node, (input,), (out,))
            return out

        return _named_like(apply, general)
    return decorate


def recorded(node_cls, result, input, saved=(), keeps_result=False):
    """``wrap(result)`` with a ``node_cls`` grad_fn keeping ``saved`` (values, not tensors)
    when grad mode records ``input``: ``wrap`` and ``record1`` in one call (NOTE [one-call
    ops]), for reductions, softmax and the like. ``keeps_result``: the node keeps the result
    too, after ``saved`` (``save_result``). ``result`` is a numpy array."""
    fn = input._grad_fn
    if not (STATE.enabled and (fn is not None or input._requires_grad)):
        return Tensor._make(result)  # (an inference tensor in inference mode)
    out = _plain_make(Tensor, result)  # grad mode is on: no inference tensor
    node = out._grad_fn = _node1(node_cls, fn, input, saved)
    if keeps_result:
        node._saved = saved + (save_result(out),)
    if observe.LISTENERS:
        observe.emit("node_created", node, (input,), (out,))
    return out


_plain_make = Tensor.__dict__["_make"].__func__  # Tensor._make, whatever inference mode set


def make_view(input, data):
    """A tensor over ``data`` (a numpy view of ``input``'s array) that shares its version.

    A view made while grad mode is off is marked as such, as PyTorch marks it
    (its creation meta): changing it in place with grad mode on is an error.
    """
    out = Tensor._make(data)
    counter = input._counter  # the _version_counter and _base properties, inlined
    if counter is None:
        counter = input._counter = VersionCounter()
    out._counter = counter
    base = input._extra.get("base") if input._extra is not None else None
    if base is None:
        base = input
    if STATE.enabled:
        out._extra = {"base": base}
    else:
        out._extra = {"base": base, "created_in": disabled_by()}
    return out


def recorded_view(node_cls, input, data, saved=()):
    """``make_view(input, data)`` with a ``node_cls`` grad_fn keeping ``saved`` when grad
    mode records ``input``: ``make_view`` and ``record1`` in one call (NOTE [one-call
    ops]), for the view ops."""
    fn = input._grad_fn
    if not (STATE.enabled and (fn is not None or input._requires_grad)):
        return make_view(input, data)
    out = _plain_make(Tensor, data)  # make_view(input, data), spelled out: grad mode is on
    counter = input._counter
    if counter is None:
        counter = input._counter = VersionCounter()
    out._counter = counter
    extra = input._extra
    base = extra.get("base") if extra is not None else None
    out._extra = {"base": input if base is None else base}
    out._grad_fn = _node1(node_cls, fn, input, saved)
    if observe.LISTENERS:
        observe.emit("node_created", out._grad_fn, (input,), (out,))
    return out


def _node1(node_cls, fn, input, saved):
    """The node of a one-input op on ``input`` (whose grad_fn is ``fn``), built in place
    (NOTE [recording in place])."""
    node = _new(node_cls)
    if fn is not None:
        node.next_functions = ((fn, input._output_nr),)
    else:  # a leaf: its live AccumulateGrad (input._grad_accumulator(), its hit inlined)
        accumulator = input._grad_acc
        accumulator = accumulator() if accumulator is not None else None
        if accumulator is None:
            accumulator = input._grad_accumulator()
        node.next_functions = ((accumulator, 0),)
    node._seq = _next_seq()
    node._saved = saved
    node._extra = None
    data = input._data
    meta = _SINGLE_METAS.get(data.shape)
    node._input_meta = meta if meta is not None and meta[0][1] is data.dtype else \
        _single_meta(data)
    return node


def _named_like(apply, general):
    """``apply`` under ``general``'s name and docstring (PyTorch's texts name the op)."""
    apply.__name__ = general.__name__
    apply.__qualname__ = general.__qualname__
    apply.__doc__ = general.__doc__
    apply.__module__ = general.__module__
    apply.__wrapped__ = general
    return apply


_ALPHA_ONE = (1,)  # AddBackward0's and SubBackward0's saved alpha, shared by every plain one


def two_input_op(compute, node_cls, saves=None, quiet=False):
    """Decorator: the fast path of a binary op (NOTE [one-call ops]) where numpy's result
    dtype is PyTorch's: two float numpy tensors of one dtype, or a float tensor (not 0-d)
    and a Python number.

    ``compute(a, b)`` returns the result's array. ``saves`` is what the node keeps:
    None, the alpha of 1 (add, sub); "operands", each operand where the other needs
    its gradient (mul); "divisor", the divisor, and the dividend where the divisor
    needs its gradient (div). A number operand is kept as a SavedNumber. Keyword
    options, anything else, and a 0 divisor take the decorated general path.
    """
    if saves not in (None, "operands", "divisor"):
        raise ValueError(f"saves must be 'operands', 'divisor' or None, not {saves!r}")
    if quiet and ERROR_STATE is None:  # numpy 1: the plain errstate, around compute alone
        compute, quiet = functools.partial(quietly, compute), False
    divides = saves == "divisor"

    def decorate(general):
        def apply(input, other, **options):
            if options or type(input) is not Tensor:
                return general(input, other, **options)
            data = input._data
            if type(data) is not _ndarray or data.dtype.kind != "f":
                return general(input, other)
            kind = type(other)
            if kind is Tensor:
                operand = other._data
                if type(operand) is not _ndarray or operand.dtype != data.dtype:
                    return general(input, other)
                if operand.shape != data.shape:
                    check_broadcast(data.shape, operand.shape)
            elif (kind is float or kind is int) and data.ndim and not (divides and not other):
                operand = other
            else:
                return general(input, other)
            if quiet:
                token = set_error_state(QUIET)
                try:
                    result = compute(data, operand)
                finally:
                    reset_error_state(token)
            else:
                result = compute(data, operand)
            if type(result) is not _ndarray:  # numpy gives a scalar for 0-d arrays
                result = np.asarray(result)
            if not STATE.enabled:
                return Tensor._make(result)  # (an inference tensor in inference mode)
            out = _new(Tensor)  # Tensor._make(result), spelled out: grad mode is on
            out._data = result
            out._requires_grad = False
            out._grad = None
            out._grad_fn = None
            out._output_nr = 0
            out._counter = None
            out._grad_acc = None
            out._extra = None
            fn = input._grad_fn  # record2, spelled out
            input_grad = fn is not None or input._requires_grad
            if kind is Tensor:
                other_fn = other._grad_fn
                other_grad = other_fn is not None or other._requires_grad
                if not (input_grad or other_grad):
                    return out
                if other_fn is not None:
                    edge_b = (other_fn, other._output_nr)
                elif other_grad:
                    edge_b = (other._grad_accumulator(), 0)
                else:
                    edge_b = _NO_EDGE
                meta_b = _pair(operand)
            elif input_grad:
                other_grad = False
                edge_b = _NO_EDGE
                meta_b = None
            else:
                return out
            node = _new(node_cls)
            if fn is not None:
                edge_a = (fn, input._output_nr)
            elif input_grad:
                edge_a = (input._grad_accumulator(), 0)
            else:
                edge_a = _NO_EDGE
            node.next_functions = (edge_a, edge_b)
            node._input_meta = (_pair(data), meta_b)
            node._seq = _next_seq()
            node._extra = None
            if saves is None:
                node._saved = _ALPHA_ONE
            elif kind is not Tensor:
                node._saved = (SavedNumber(other), None)
            elif divides:
                node._saved = (save(other), save(input) if other_grad else None)
            else:
                node._saved = (save(other) if input_grad else None,
                               save(input) if other_grad else None)
            out._grad_fn = node
            if observe.LISTENERS:
                observe.emit("node_created", node, (input, other if kind is Tensor else None),
                             (out,))
            return out

        return _named_like(apply, general)
    return decorate


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
