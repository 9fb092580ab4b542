"""Matrix products: dot, mv, mm, bmm, addmm, outer, and ``matmul`` / ``@``.

``matmul`` is PyTorch's ``_matmul_impl`` step by step, so the graph it builds
has the same nodes: 2-D @ 2-D is one MmBackward0, a batch of matrices times a
matrix is folded into one mm (UnsafeViewBackward0 on MmBackward0 on
ViewBackward0), and true batches go through ExpandBackward0, a reshape and
BmmBackward0.

Backward formulas multiply by transposed *views* (``mat2.t()``): numpy hands
those to BLAS as transposed operands, so no gradient makes an extra copy.
"""
import math

from ..autograd.grad_mode import STATE
from ..autograd.node import Node
from ..backend import array_module
from ..tensor import Tensor
from .arithmetic import mul
from .copies import contiguous
from .registry import (
    check_broadcast,
    method,
    op,
    record,
    record2,
    recorded,
    recording,
    save,
    wrap,
)
from .transposes import t, transpose
from .views import expand, reshape, unsafe_view, unsqueeze

_SCALAR_NAMES = {"float32": "Float", "float64": "Double", "float16": "Half", "int64": "Long",
                 "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool"}
_C_NAMES = {"float32": "float", "float64": "double", "float16": "c10::Half", "int64": "long int",
            "int32": "int", "int16": "short int", "int8": "signed char", "uint8": "unsigned char",
            "bool": "bool"}


def _scalar(tensor):
    return _SCALAR_NAMES[tensor.dtype.name]


def _dims(tensor):
    return "x".join(str(s) for s in tensor._data.shape)


def _product(a, b):
    return wrap(a._data @ b._data)  # ``@`` is the array module's matmul, without looking it up


# -------------------------------------------------------------------- dot
class DotBackward0(Node):
    __slots__ = ()
    saved_fields = ("other", "self")
    gradients = {"self": "grad * other", "other": "grad * self"}


@op("Linear algebra", shape="matmul", arity=2)
def dot(input, other):
    if input._data.ndim != 1 or other._data.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {input._data.ndim}D and "
                           f"{other._data.ndim}D tensors")
    if input._data.dtype != other._data.dtype:
        raise RuntimeError(f"dot : expected both vectors to have same dtype, but found "
                           f"{_scalar(input)} and {_scalar(other)}")
    n, m = input._data.shape[0], other._data.shape[0]
    if n != m:
        raise RuntimeError(
            f"inconsistent tensor size, expected tensor [{n}] and src [{m}] to have the same number "
            f"of elements, but got {n} and {m} elements respectively")
    out = _product(input, other)
    if recording(input, other):
        record(DotBackward0, out, (input, other), (save(other), save(input)))
    return out


# --------------------------------------------------------------------- mv
class MvBackward0(Node):
    __slots__ = ()
    saved_fields = ("self", "vec")
    gradients = {"self": "unsqueeze(grad, 1) * vec", "vec": "mv(t(self), grad)"}


@op("Linear algebra", shape="matmul", arity=2)
def mv(input, vec):
    if input._data.ndim != 2 or vec._data.ndim != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got 1, {input._data.ndim}, "
                           f"{vec._data.ndim}")
    if input._data.dtype != vec._data.dtype:
        raise RuntimeError(f"addmv input tensors must have the same dtype, but got {_scalar(vec)}, "
                           f"{_scalar(input)}, and {_scalar(vec)}")
    if input._data.shape[1] != vec._data.shape[0]:
        raise RuntimeError(f"size mismatch, got input ({input._data.shape[0]}), mat ({_dims(input)}), "
                           f"vec ({vec._data.shape[0]})")
    out = _product(input, vec)
    if recording(input, vec):
        record(MvBackward0, out, (input, vec), (save(input), save(vec)))
    return out


# --------------------------------------------------------------------- mm
class MmBackward0(Node):
    __slots__ = ()
    saved_fields = ("mat2", "self")
    gradients = {"self": "mm(grad, t(mat2))", "mat2": "mm(t(self), grad)"}
    # Both paths by hand: a column-major operand's gradient is laid out as PyTorch lays it
    # out (see below), which the formula cannot say; the values are the formula's.

    def backward(self, grad):
        grad_self = grad_mat2 = None
        if self.needs_input_grad(0):
            grad_self = _mat1_grad(grad, self.saved(0), _column_major(self._saved[1].layout_data()))
        if self.needs_input_grad(1):
            grad_mat2 = _mat2_grad(grad, self.saved(1), _column_major(self._saved[0].layout_data()))
        return grad_self, grad_mat2

    def backward_arrays(self, grad):
        # Spelled out (saved values unpacked directly, dtypes compared): the
        # node every layer has, run on the arrays of big gradients.
        return _product_grad_arrays(self, grad, self._saved[1], self._saved[0])


# PyTorch gives a matrix product's operand a gradient laid out as the operand
# is: for a column-major one (``weight.t()`` in ``nn.Linear``) it computes the
# transposed product and transposes it back, so that the gradient reaching the
# weight through ``TBackward0`` is contiguous and kept as ``.grad`` uncopied.
# Only the operand's layout is read for this (SavedTensor.layout_data), not checked
# against in-place changes: its values may not be needed at all.
def _column_major(array):
    """PyTorch's test: strides ``(1, rows)`` in elements (False for a freed operand)."""
    if array is None:
        return False
    strides, size = array.strides, array.itemsize
    return len(strides) == 2 and strides[0] == size and strides[1] == size * array.shape[0]


def _mat1_grad(grad, mat2, mat1_column_major):
    """``∂(mat1 @ mat2)/∂mat1``, as Tensors."""
    if mat1_column_major:
        return t(mm(mat2, t(grad)))
    return mm(grad, t(mat2))


def _mat2_grad(grad, mat1, mat2_column_major):
    """``∂(mat1 @ mat2)/∂mat2``, as Tensors."""
    if mat2_column_major:
        return t(mm(t(grad), mat1))
    return mm(t(mat1), grad)


def _product_grad_arrays(node, grad, saved_mat1, saved_mat2):
    """Both operands' gradients of a matrix product on bare arrays (NOTE [array
    gradients]); NotImplemented where a dtype differs, for the Tensor formula's error."""
    dtype = grad.dtype
    if dtype.kind != "f":
        return NotImplemented
    edges = node.next_functions
    grad_mat1 = grad_mat2 = None
    if edges[-2][0] is not None:
        mat2 = saved_mat2.unpack_data(node)
        if mat2.dtype != dtype:
            return NotImplemented  # mm raises PyTorch's dtype error
        column_major = _column_major(saved_mat1.layout_data())
        grad_mat1 = (mat2 @ grad.T).T if column_major else grad @ mat2.T
    if edges[-1][0] is not None:
        mat1 = saved_mat1.unpack_data(node)
        if mat1.dtype != dtype:
            return NotImplemented
        column_major = _column_major(saved_mat2.layout_data())
        grad_mat2 = (grad.T @ mat1).T if column_major else mat1.T @ grad
    return grad_mat1, grad_mat2


def _check_matrices(input, mat2):
    if input._data.dtype != mat2._data.dtype:
        raise RuntimeError(
            f"expected m1 and m2 to have the same dtype, but got: {_C_NAMES[input.dtype.name]} != "
            f"{_C_NAMES[mat2.dtype.name]}")
    if input._data.shape[-1] != mat2._data.shape[-2]:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({_dims(input)} and "
                           f"{_dims(mat2)})")


@op("Linear algebra", shape="matmul", arity=2)
def mm(input, mat2):
    if input._data.ndim != 2:
        raise RuntimeError("self must be a matrix")
    if mat2._data.ndim != 2:
        raise RuntimeError("mat2 must be a matrix")
    _check_matrices(input, mat2)
    out = Tensor._make(input._data @ mat2._data)  # 2-D @ 2-D: always an array
    if recording(input, mat2):
        record2(MmBackward0, out, input, mat2, (save(mat2), save(input)))
    return out


# -------------------------------------------------------------------- bmm
class BmmBackward0(Node):
    __slots__ = ()
    saved_fields = ("mat2", "self")
    gradients = {"self": "bmm(grad, transpose(mat2, 1, 2))", "mat2": "bmm(transpose(self, 1, 2), grad)"}


@op("Linear algebra", shape="matmul", arity=2)
def bmm(input, mat2):
    if input._data.ndim != 3:
        raise RuntimeError("batch1 must be a 3D tensor")
    if mat2._data.ndim != 3:
        raise RuntimeError("batch2 must be a 3D tensor")
    batch, _, k = input._data.shape
    if mat2._data.shape[:2] != (batch, k):
        raise RuntimeError(
            f"Expected size for first two dimensions of batch2 tensor to be: [{batch}, {k}] but got: "
            f"[{mat2._data.shape[0]}, {mat2._data.shape[1]}].")
    _check_matrices(input, mat2)
    out = _product(input, mat2)
    if recording(input, mat2):
        record(BmmBackward0, out, (input, mat2), (save(mat2), save(input)))
    return out


# ------------------------------------------------------------------ addmm
class AddmmBackward0(Node):
    __slots__ = ()
    saved_fields = ("alpha", "beta", "mat1", "mat2")
    gradients = {"self": "grad * beta", "mat1": "mm(grad, t(mat2)) * alpha",
                 "mat2": "mm(t(mat1), grad) * alpha"}
    # Both paths by hand, as MmBackward0's (the layout of a column-major operand's gradient).

    def backward(self, grad):
        alpha, beta = self._saved[0], self._saved[1]
        grad_input = grad_mat1 = grad_mat2 = None
        if self.needs_input_grad(0):
            grad_input = grad if beta == 1 else mul(grad, beta)
        if self.needs_input_grad(1):
            grad_mat1 = _mat1_grad(grad, self.saved(3), _column_major(self._saved[2].layout_data()))
            grad_mat1 = grad_mat1 if alpha == 1 else mul(grad_mat1, alpha)
        if self.needs_input_grad(2):
            grad_mat2 = _mat2_grad(grad, self.saved(2), _column_major(self._saved[3].layout_data()))
            grad_mat2 = grad_mat2 if alpha == 1 else mul(grad_mat2, alpha)
        return grad_input, grad_mat1, grad_mat2

    def backward_arrays(self, grad):
        # The layer's node (nn.Linear with a bias): alpha and beta are 1 there.
        if self._saved[0] != 1 or self._saved[1] != 1:
            return NotImplemented
        grads = _product_grad_arrays(self, grad, self._saved[2], self._saved[3])
        if grads is NotImplemented:
            return grads
        return (grad if self.next_functions[0][0] is not None else None,) + grads


@op("Linear algebra")
def addmm(input, mat1, mat2, *, beta=1, alpha=1):
    """``beta * input + alpha * (mat1 @ mat2)``; what ``nn.functional.linear`` uses with a bias."""
    if mat1._data.ndim != 2:
        raise RuntimeError(f"mat1 must be a matrix, got {mat1._data.ndim}-D tensor")
    if mat2._data.ndim != 2:
        raise RuntimeError(f"mat2 must be a matrix, got {mat2._data.ndim}-D tensor")
    # addmm words its dtype checks itself (mm's text differs), self against mat2 first.
    for name, operand in (("self", input), ("mat1", mat1)):
        if operand._data.dtype != mat2._data.dtype:
            raise RuntimeError(f"{name} and mat2 must have the same dtype, but got "
                               f"{_scalar(operand)} and {_scalar(mat2)}")
    _check_matrices(mat1, mat2)
    shape = (mat1._data.shape[0], mat2._data.shape[1])
    if input._data.shape != shape and input._data.shape != shape[1:]:  # a bias passes at once
        expand(input.detach(), shape)  # PyTorch's error when input does not broadcast
    data = array_module(mat1._data).matmul(mat1._data, mat2._data)
    if alpha != 1:
        data *= alpha
    data += input._data if beta == 1 else beta * input._data
    out = wrap(data.astype(mat1._data.dtype, copy=False))
    if recording(input, mat1, mat2):
        record(AddmmBackward0, out, (input, mat1, mat2), (alpha, beta, save(mat1), save(mat2)))
    return out


@op("Linear algebra", aliases=("ger",), shape="outer", arity=2)
def outer(input, vec2):
    """PyTorch computes ``input.reshape(-1, 1) * vec2`` (ViewBackward0 into MulBackward0)."""
    if input._data.ndim != 1:
        raise RuntimeError(f"outer: Expected 1-D argument self, but got {input._data.ndim}-D")
    if vec2._data.ndim != 1:
        raise RuntimeError(f"outer: Expected 1-D argument vec2, but got {vec2._data.ndim}-D")
    return mul(reshape(input, (-1, 1)), vec2)


# ----------------------------------------------------------------- matmul
class SqueezeBackward4(Node):
    __slots__ = ()
    saved_fields = ("dim",)
    gradients = {"self": "unsqueeze(grad, dim)"}


def _squeeze_fresh(input, dim):
    """PyTorch's ``squeeze_(dim)`` on a result nobody else holds (SqueezeBackward4)."""
    return recorded(SqueezeBackward4, input._data.squeeze(dim), input, (dim,))


def _should_fold(tensor1, tensor2):
    """PyTorch's ``should_fold``: use one mm / mv over the folded batch of the larger tensor."""
    larger_first = tensor1._data.ndim >= tensor2._data.ndim
    t1 = tensor1._data if larger_first else tensor2._data.swapaxes(-1, -2)
    dim_t2 = tensor2._data.ndim if larger_first else tensor1._data.ndim
    if not (t1.ndim >= 3 and dim_t2 <= 2):
        return False
    if (tensor2 if larger_first else tensor1).requires_grad:
        return True
    if tensor1._data.ndim == 2:
        return False
    if t1.size == 0:
        return True
    strides, shape = t1.strides, t1.shape
    return all(strides[i] == strides[i + 1] * shape[i + 1] for i in range(t1.ndim - 2))


@op("Linear algebra", shape="matmul", arity=2, basic=True)
def matmul(input, other):
    a, b = input._data, other._data
    if a.ndim == 2 and b.ndim == 2 and a.dtype == b.dtype and a.shape[1] == b.shape[0]:
        # mm's case with mm's checks passed, spelled out: the layer of every MLP.
        out = Tensor._make(a @ b)
        if STATE.enabled and (input._grad_fn is not None or input._requires_grad
                              or other._grad_fn is not None or other._requires_grad):
            record2(MmBackward0, out, input, other, (save(other), save(input)))
        return out
    dim1, dim2 = a.ndim, b.ndim
    if dim1 == 0 or dim2 == 0:
        raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are {dim1}D "
                           f"and {dim2}D")
    if dim1 == 1 and dim2 == 1:
        return dot(input, other)
    if dim1 == 2 and dim2 == 1:
        return mv(input, other)
    if dim1 == 1 and dim2 == 2:  # as a one-row matrix, through mm's case above
        return _squeeze_fresh(matmul(unsqueeze(input, 0), other), 0)
    if dim1 == 2 and dim2 == 2:
        return mm(input, other)
    if _should_fold(input, other):
        return _folded_matmul(input, other)
    return _batched_matmul(input, other)


def _folded_matmul(tensor1, tensor2):
    """A batch of matrices times one matrix (or vector) as a single mm (or mv)."""
    swap = tensor2._data.ndim > tensor1._data.ndim
    t1 = transpose(tensor2, -2, -1) if swap else tensor1
    t2 = (t(tensor1) if tensor1._data.ndim == 2 else tensor1) if swap else tensor2
    output_shape = t1._data.shape[:-1]
    folded = reshape(t1, (math.prod(output_shape), t1._data.shape[-1]))
    if t2._data.ndim == 2:
        output = unsafe_view(mm(folded, t2), output_shape + (t2._data.shape[1],))
        return contiguous(transpose(output, -2, -1)) if swap else output
    return unsafe_view(mv(folded, t2), output_shape)


def _batched_matmul(tensor1, tensor2):
    """Broadcast the batch dims, then one bmm over the flattened batch."""
    dim1, dim2 = tensor1._data.ndim, tensor2._data.ndim
    shape1, shape2 = tensor1._data.shape, tensor2._data.shape
    batch1, batch2 = shape1[:max(dim1 - 2, 0)], shape2[:max(dim2 - 2, 0)]
    if dim1 == 3 and dim2 == 3 and batch1[0] != batch2[0]:
        # A batch of one that requires grad is squeezed, so its gradient is not summed later.
        if batch1[0] == 1 and tensor1.requires_grad:
            return matmul(tensor1.squeeze(0), tensor2)
        if batch2[0] == 1 and tensor2.requires_grad:
            return matmul(tensor1, tensor2.squeeze(0))
    n = shape1[-2] if dim1 > 1 else 1
    m1 = shape1[-1]
    m2 = shape2[-2] if dim2 > 1 else shape2[0]
    p = shape2[-1] if dim2 > 1 else 1
    check_broadcast(batch1, batch2)
    batch = tuple(max(a, b) for a, b in _aligned(batch1, batch2))
    count = math.prod(batch)
    expanded1 = reshape(expand(tensor1, batch + (n, m1)), (count, n, m1))
    if dim2 == 1:
        expanded2 = unsqueeze(reshape(expand(tensor2, batch + (m2,)), (count, m2)), 2)
    else:
        expanded2 = reshape(expand(tensor2, batch + (m2, p)), (count, m2, p))
    output_shape = batch + ((n,) if dim1 > 1 else ()) + ((p,) if dim2 > 1 else ())
    product = bmm(expanded1, expanded2)
    if dim2 == 1:
        product = product.squeeze(-1)
    return unsafe_view(product, output_shape)


def _aligned(a, b):
    """Pairs of sizes from the right, padding the shorter shape with ones."""
    width = max(len(a), len(b))
    a = (1,) * (width - len(a)) + tuple(a)
    b = (1,) * (width - len(b)) + tuple(b)
    return zip(a, b, strict=True)


method("__matmul__")(matmul)


@method("__rmatmul__")
def _rmatmul(self, other):
    return matmul(other, self)
