"""The Tensor: a backend array plus autograd state.

Ops are not defined here: each op module attaches its functions as methods
(see ``ops/registry.py``), so forward and backward of an op live side by side.
This module holds what every tensor has: flags, ``.grad``, ``.data``,
``detach``, hooks, conversion and printing.
"""
import warnings
import weakref

import numpy as np

from . import autograd, backend, dtypes, observe
from .autograd import inference
from .autograd.grad_mode import STATE
from .autograd.node import AccumulateGrad, VersionCounter, _add_hook, legacy_type_name

NON_LEAF_GRAD_WARNING = (
    "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad "
    "attribute won't be populated during autograd.backward(). If you indeed want the .grad field "
    "to be populated for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. If you "
    "access the non-leaf Tensor by mistake, make sure you access the leaf Tensor instead. See "
    "github.com/pytorch/pytorch/pull/30531 for more information. (Triggered internally at "
    "/__w/pytorch/pytorch/build/aten/src/ATen/core/TensorBody.h:493.)")


class Size(tuple):
    """``torch.Size``: a tuple that prints as ``torch.Size([2, 2])``."""

    def __repr__(self):
        return f"torch.Size([{', '.join(str(s) for s in self)}])"

    __str__ = __repr__

    def numel(self):
        n = 1
        for s in self:
            n *= s
        return n


class Tensor:
    __slots__ = ("_data", "_requires_grad", "_grad", "_grad_fn", "_output_nr", "_counter",
                 "_grad_acc", "_extra", "__weakref__")

    # ``_extra`` holds rarely used state in a dict (or None): "hooks",
    # "post_accumulate_hooks", "retains_grad", "base" (view base), "origin"
    # ("no_grad" | "detach" | "data": how an untracked tensor was made).

    @classmethod
    def _make(cls, data, requires_grad=False):
        t = object.__new__(cls)
        t._data = data
        t._requires_grad = requires_grad
        t._grad = None
        t._grad_fn = None
        t._output_nr = 0
        t._counter = None  # the VersionCounter, made on first use (see _version_counter)
        t._grad_acc = None
        t._extra = None
        return t

    def __new__(cls, *args, **kwargs):
        from .creation import legacy_constructor
        return legacy_constructor(cls, *args, **kwargs)

    # ----------------------------------------------------------- metadata
    @property
    def shape(self):
        return Size(self._data.shape)

    def size(self, dim=None):
        if dim is None:
            return Size(self._data.shape)
        return self._data.shape[_wrap_dim(dim, self._data.ndim)]

    def dim(self):
        return self._data.ndim

    ndim = property(dim)

    def ndimension(self):
        return self._data.ndim

    def numel(self):
        return int(self._data.size)

    nelement = numel

    @property
    def dtype(self):
        return dtypes.from_numpy(self._data.dtype)

    @property
    def device(self):
        return backend.device_of(self._data)

    @property
    def is_cuda(self):
        return self.device.type == "cuda"

    def is_floating_point(self):
        return self._data.dtype.kind == "f"

    def element_size(self):
        return self._data.itemsize

    def type(self, dtype=None):
        if dtype is None:
            return legacy_type_name(self)
        from .legacy import as_dtype
        return self.to(as_dtype(dtype))

    def __len__(self):
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._data.shape[0]

    def __hash__(self):
        return id(self)

    # ------------------------------------------------------ autograd state
    @property
    def requires_grad(self):
        return self._requires_grad or self._grad_fn is not None

    @requires_grad.setter
    def requires_grad(self, flag):
        if flag and self._grad_fn is None and self._data.dtype.kind != "f":
            raise RuntimeError(FLOAT_ONLY_SETTER)  # the setter words it apart from requires_grad_()
        self.requires_grad_(flag)

    def requires_grad_(self, requires_grad=True):
        if self._grad_fn is not None:
            if requires_grad:
                return self
            raise RuntimeError(
                "you can only change requires_grad flags of leaf variables. If you want to use a "
                "computed variable in a subgraph that doesn't require differentiation use "
                "var_no_grad = var.detach().")
        if requires_grad and self._data.dtype.kind != "f":
            raise RuntimeError("only Tensors of floating point dtype can require gradients")
        if requires_grad and not STATE.inference and inference.is_inference(self):
            raise RuntimeError(inference.REQUIRES_GRAD_MESSAGE)
        if not requires_grad and self._grad_acc is not None:
            accumulator = self._grad_acc()
            if accumulator is not None:
                # A graph already holds this leaf's accumulator; PyTorch's AccumulateGrad then
                # skips a leaf that no longer requires grad. Its extras keep it off the lean
                # backward path, whose accumulation does not ask.
                accumulator._extras()
        self._requires_grad = bool(requires_grad)
        return self

    @property
    def is_leaf(self):
        return self._grad_fn is None

    @property
    def grad_fn(self):
        return self._grad_fn

    @property
    def _version_counter(self):
        """The storage's VersionCounter, created when first asked for.

        Most tensors (intermediate results, gradients) are never saved for
        backward nor changed in place, so they never need one.
        """
        counter = self._counter
        if counter is None:
            counter = self._counter = VersionCounter()
        return counter

    @_version_counter.setter
    def _version_counter(self, counter):
        self._counter = counter

    @property
    def _version(self):
        """How many in-place changes this tensor's storage has seen (shared with views)."""
        counter = self._counter
        if counter is None:
            return 0
        if inference.is_inference(self):
            raise RuntimeError(inference.VERSION_MESSAGE)
        return counter.value

    def is_inference(self):
        """True for a tensor made in inference mode (see ``autograd/inference.py``)."""
        return inference.is_inference(self)

    @property
    def output_nr(self):
        return self._output_nr

    @property
    def grad(self):
        if self._grad_fn is not None and self._grad is None and not self.retains_grad:
            warnings.warn(NON_LEAF_GRAD_WARNING, UserWarning, stacklevel=2)
        return self._grad

    @grad.setter
    def grad(self, value):
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError(
                    f"assigned grad expected to be a Tensor or None but got grad of type "
                    f"{type(value).__name__}")
            if value.shape != self.shape:
                raise RuntimeError(
                    f"attempting to assign a gradient of size '{_list_str(value.shape)}' to a "
                    f"tensor of size '{_list_str(self.shape)}'. Please ensure that the gradient "
                    "and the tensor are the same size")
            if value.dtype is not self.dtype:
                raise RuntimeError(
                    "attempting to assign a gradient with dtype "
                    f"'{_dtype_cname(value.dtype)}' to a tensor with grad_dtype "
                    f"'{_SCALAR_NAMES.get(self.dtype.name, self.dtype.name)}'. The gradient must "
                    "match the tensor's grad_dtype (defaults to the tensor's dtype). You can set "
                    "the tensor's grad_dtype attribute with a specific dtype, or None to allow any "
                    "dtype. Set grad_dtype with caution. Diverging the dtypes of a tensor and its "
                    "gradient may break downstream systems that assume they match.")
        self._grad = value

    @grad.deleter
    def grad(self):
        self._grad = None

    @property
    def _base(self):
        return None if self._extra is None else self._extra.get("base")

    @property
    def _is_view(self):
        return self._base is not None

    def _grad_accumulator(self):
        """The (cached, weakly held) AccumulateGrad node of a leaf that requires grad."""
        acc = self._grad_acc() if self._grad_acc is not None else None
        if acc is None:
            acc = AccumulateGrad(self)
            self._grad_acc = weakref.ref(acc)
        return acc

    @property
    def retains_grad(self):
        return self._extra is not None and self._extra.get("retains_grad", False)

    def retain_grad(self):
        if not self.requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self._grad_fn is None:
            return  # a leaf keeps its grad anyway
        self._grad_fn._retain_grad_of(self)
        self._extras()["retains_grad"] = True

    def _extras(self):
        if self._extra is None:
            self._extra = {}
        return self._extra

    def register_hook(self, hook):
        """``hook(grad)`` runs when this tensor's gradient is computed; may return a new one."""
        if not self.requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        if self._grad_fn is not None:
            return self._grad_fn._register_tensor_hook(self._output_nr, hook)
        return _add_hook(self._extras().setdefault("hooks", {}), hook)

    def register_post_accumulate_grad_hook(self, hook):
        """``hook(tensor)`` runs after a leaf's ``.grad`` was accumulated."""
        if self._grad_fn is not None:
            raise RuntimeError(
                "post accumulate grad hooks cannot be registered on non-leaf tensors")
        return _add_hook(self._extras().setdefault("post_accumulate_hooks", {}), hook)

    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
        autograd.backward(self, gradient, retain_graph, create_graph, inputs=inputs)

    # -------------------------------------------------- detach and .data
    def detach(self):
        """A tensor sharing storage and version counter, cut from the graph."""
        out = Tensor._make(self._data)
        out._version_counter = self._version_counter
        out._extra = {"origin": "detach"}
        return out

    def detach_(self):
        if self._base is not None and self._grad_fn is not None:
            raise RuntimeError(
                "Can't detach views in-place. Use detach() instead. If you are using "
                "DistributedDataParallel (DDP) for training, and gradient_as_bucket_view is set "
                "as True, gradients are views of DDP buckets, and hence detach_() cannot be "
                "called on these gradients. To fix this error, please refer to the "
                "Optimizer.zero_grad() function in torch/optim/optimizer.py as the solution.")
        self._grad_fn = None
        self._requires_grad = False
        self._output_nr = 0
        self._extras()["origin"] = "detach"
        return self

    @property
    def data(self):
        """A tensor sharing storage but not the version counter: edits escape autograd."""
        out = Tensor._make(self._data)
        out._extra = {"origin": "data", "data_of": weakref.ref(self)}
        if inference.is_inference(self):
            out._counter = self._counter  # .data of an inference tensor is one too
        return out

    @data.setter
    def data(self, value):
        if not isinstance(value, Tensor):
            raise TypeError(
                f"Variable data has to be a tensor, but got {type(value).__name__}")
        if value._data is not self._data:
            self._data = value._data
        if observe.LISTENERS:
            observe.emit("data_written", self)

    # --------------------------------------------------------- conversion
    def item(self):
        if self._data.size != 1:
            raise RuntimeError(
                f"a Tensor with {self._data.size} elements cannot be converted to Scalar")
        return self._data.reshape(()).item()

    def tolist(self):
        return backend.to_module(self._data, np).tolist()

    def numpy(self, force=False):
        if STATE.enabled and self.requires_grad and not force:  # PyTorch asks grad mode too
            raise RuntimeError(
                "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() "
                "instead.")
        if self.device.type != "cpu":
            raise TypeError(
                "can't convert cuda:0 device type tensor to numpy. Use Tensor.cpu() to copy the "
                "tensor to host memory first.")
        return self._data

    def __array__(self, dtype=None, copy=None):
        array = backend.to_module(self._data, np)
        return array if dtype is None else array.astype(dtype)

    def __float__(self):
        return float(self._scalar())

    def __int__(self):
        return int(self._scalar())

    def __complex__(self):
        return complex(self._scalar())

    def _scalar(self):
        """The one element, for ``float()``, ``int()`` and ``complex()`` (worded as Python's
        conversions word it, apart from ``item()``)."""
        if self._data.size != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        return self._data.reshape(()).item()

    def __index__(self):
        if self._data.dtype.kind not in "iub" or self._data.size != 1:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self.item())

    def __bool__(self):
        if self._data.size != 1:
            raise RuntimeError(
                "Boolean value of Tensor with "
                f"{'no values' if self._data.size == 0 else 'more than one value'} is ambiguous")
        return bool(self.item())

    def __iter__(self):
        if self._data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(self._data.shape[0]))

    def __repr__(self, *, tensor_contents=None):
        from ._printing import tensor_repr
        return tensor_repr(self)

    def __format__(self, spec):
        """As PyTorch: a 0-dim plain Tensor formats its number (``f"{loss}"`` is ``2.5``, with
        or without a spec); any other formats as ``str`` and rejects a spec."""
        if self._data.ndim == 0 and type(self) is Tensor:
            return format(self._data.item(), spec)
        if spec:
            raise TypeError(f"unsupported format string passed to {type(self).__name__}.__format__")
        return str(self)

    def __reduce_ex__(self, protocol):
        raise TypeError("engine tensors are not picklable; save values with .tolist()")

    def __deepcopy__(self, memo):
        if self._grad_fn is not None:
            raise RuntimeError(
                "Only Tensors created explicitly by the user (graph leaves) support the deepcopy "
                "protocol at the moment.  If you were attempting to deepcopy a module, this may "
                "be because of a torch.nn.utils.weight_norm usage, see "
                "https://github.com/pytorch/pytorch/pull/103001")
        out = Tensor._make(self._data.copy(), self._requires_grad)
        if self._grad is not None:
            out._grad = self._grad.__deepcopy__(memo)
        memo[id(self)] = out
        return out


FLOAT_ONLY_SETTER = "only Tensors of floating point and complex dtype can require gradients"
_SCALAR_NAMES = {"float32": "Float", "float64": "Double", "float16": "Half", "int64": "Long",
                 "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool"}


def _wrap_dim(dim, ndim):
    n = max(ndim, 1)
    if not -n <= dim < n:
        raise IndexError(
            f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {dim})")
    return dim % n


def _list_str(shape):
    return "[" + ", ".join(str(s) for s in shape) + "]"


_C_NAMES = {"float32": "float", "float64": "double", "float16": "c10::Half", "int64": "long int",
            "int32": "int", "int16": "short int", "int8": "signed char", "uint8": "unsigned char",
            "bool": "bool"}


def _dtype_cname(d):
    return _C_NAMES.get(d.name, d.name)


def is_tensor(obj):
    return isinstance(obj, Tensor)


def grad_mode_recording():
    return STATE.enabled
