"""Vector–Jacobian products: the Jacobian behind ``y.backward(v)``, and editing ``v``.

For a backward step of a non-scalar output, ``vjp_check`` reruns the program up
to (not including) that step, computes the Jacobian ``J = ∂y/∂x`` of the output
with respect to each leaf with ``autograd.grad``, one row per output element
(``grad_outputs`` = the i-th unit vector), and compares ``vᵀJ`` with the
gradient the recorded backward actually accumulated into the leaf. ``v`` and the
accumulated gradients come from the step's recorded events, not from a rerun.

``backward_vector_edit`` gives the step to replace so that ``v`` holds new
numbers: the ``v = torch.tensor([...])`` assignment the backward call names,
or the call itself when it spells the tensor inline. No Qt here.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from .expressions import Constant, FunctionCall, ListExpr, MethodCall, Name, UnaryOp
from .steps import Assign, ExprStatement, Program

MAX_JACOBIAN_ELEMENTS = 64   # rows × columns shown; larger ones are skipped


@dataclass(frozen=True)
class LeafJacobian:
    name: str
    jacobian: np.ndarray     # (output numel, leaf numel)
    vjp: np.ndarray          # vᵀJ, in the leaf's shape
    recorded: np.ndarray     # what backward(v) accumulated into the leaf's .grad
    matches: bool


@dataclass(frozen=True)
class VjpCheck:
    output_name: str
    v: np.ndarray
    leaves: tuple            # LeafJacobian, one per leaf that received a gradient


def backward_vector(frame):
    """(root tensor id, v) of a backward frame's first root, or None."""
    for event in getattr(frame, "events", ()) or ():
        if event.kind == "backward_started" and event.roots:
            seed = event.grads_in[0] if event.grads_in else None
            return event.roots[0], seed
    return None


def recorded_gradients(frame) -> dict:
    """``{leaf tensor id: gradient added by this backward}`` from its grad_accumulated events."""
    added = {}
    for event in getattr(frame, "events", ()) or ():
        if event.kind == "grad_accumulated":
            before = 0 if event.before is None else np.asarray(event.before, dtype=float)
            change = np.asarray(event.after, dtype=float) - before
            added[event.tensor] = added.get(event.tensor, 0) + change
    return added


def vjp_check(program: Program, frame, torch_module=None) -> VjpCheck | None:
    """The Jacobian check of backward ``frame``, or None when it does not apply.

    Applies to a top-level step whose output has more than one element, every
    leaf small enough, and a program that reruns to the same values (no random
    tensors without a seed).
    """
    if torch_module is None:
        import engine as torch_module
    found = backward_vector(frame)
    if found is None or frame.snapshot is None or len(frame.path) != 1:
        return None
    root, v = found
    names = {tensor_id: name for name, tensor_id in frame.snapshot.variables.items()}
    output_name = names.get(root)
    recorded = recorded_gradients(frame)
    if output_name is None or v is None or np.asarray(v).size < 2 or not recorded:
        return None
    from .runner import run_program
    prefix = Program(tuple(program.steps[: frame.path[0]]))
    timeline = run_program(prefix, torch_module, record=False)
    output = timeline.variables.get(output_name)
    if timeline.status != "finished" or not isinstance(output, torch_module.Tensor):
        return None
    leaves = []
    for tensor_id, gradient in recorded.items():
        name = names.get(tensor_id)
        leaf = timeline.variables.get(name) if name else None
        if leaf is None or output.numel() * leaf.numel() > MAX_JACOBIAN_ELEMENTS:
            continue
        jacobian = jacobian_rows(torch_module, output, leaf)
        vjp = (np.asarray(v, dtype=float).reshape(-1) @ jacobian).reshape(tuple(leaf.shape))
        gradient = np.asarray(gradient, dtype=float).reshape(vjp.shape)
        leaves.append(LeafJacobian(name, jacobian, vjp, gradient,
                                   bool(np.allclose(vjp, gradient, rtol=1e-4, atol=1e-5))))
    if not leaves:
        return None
    return VjpCheck(output_name, np.asarray(v), tuple(leaves))


def jacobian_rows(torch_module, output, leaf) -> np.ndarray:
    """∂output/∂leaf as a (output numel, leaf numel) array, one autograd.grad call per row."""
    rows = []
    count = output.numel()
    for index in range(count):
        unit = np.zeros(count, dtype=np.asarray(output.detach().numpy()).dtype)
        unit[index] = 1
        grad_output = torch_module.from_numpy(unit.reshape(tuple(output.shape)))
        (row,) = torch_module.autograd.grad(output, leaf, grad_outputs=grad_output,
                                            retain_graph=True, allow_unused=True)
        rows.append(np.zeros(leaf.numel()) if row is None
                    else np.asarray(row.detach().numpy(), dtype=float).reshape(-1))
    return np.stack(rows)


# --------------------------------------------------------------------------- editing v


def _numbers_expression(values) -> ListExpr:
    elements = []
    for value in values:
        number = float(value)
        if number < 0:
            elements.append(UnaryOp("-", Constant(-number)))
        else:
            elements.append(Constant(number))
    return ListExpr(tuple(elements))


def _is_tensor_call(expression) -> bool:
    return type(expression) is FunctionCall and expression.path == ("torch", "tensor") \
        and len(expression.args) >= 1


def _with_numbers(call: FunctionCall, values) -> FunctionCall:
    return replace(call, args=(_numbers_expression(values),) + tuple(call.args[1:]))


def backward_vector_edit(program: Program, step_index: int, values):
    """``(index of the top-level step to replace, new step)`` so that v holds ``values``, or None."""
    step = program.steps[step_index]
    call = step.value if type(step) is ExprStatement else None
    if type(call) is not MethodCall or call.method != "backward" or not call.args:
        return None
    argument = call.args[0]
    if _is_tensor_call(argument):
        new_call = replace(call, args=(_with_numbers(argument, values),) + tuple(call.args[1:]))
        return step_index, replace(step, value=new_call)
    if type(argument) is not Name:
        return None
    for index in range(step_index - 1, -1, -1):
        candidate = program.steps[index]
        if type(candidate) is Assign and candidate.targets == (argument.id,):
            if not _is_tensor_call(candidate.value):
                return None
            return index, replace(candidate, value=_with_numbers(candidate.value, values))
    return None
