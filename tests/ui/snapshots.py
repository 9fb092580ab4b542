"""Hand-made snapshots in the shape ``explorer.program`` records, for drawing tests."""
from types import SimpleNamespace

import numpy as np


def tensor(id, shape=(2, 2), requires_grad=True, is_leaf=True, grad_fn=None, output_nr=0,
           origin=None, values=None, grad=None, version=0):
    return SimpleNamespace(
        id=id, names=(), shape=shape, dtype="torch.float32",
        values=np.ones(shape) if values is None else values, grad=grad,
        requires_grad=requires_grad, is_leaf=is_leaf, retains_grad=False, version=version,
        origin=origin, grad_fn=grad_fn, output_nr=output_nr)


def function(id, name, next_functions=(), saved=(), variable=None):
    return SimpleNamespace(id=id, name=name, next_functions=tuple(next_functions),
                           saved=tuple(saved), variable=variable, output=None)


def snapshot(tensors, functions, variables):
    return SimpleNamespace(tensors={t.id: t for t in tensors},
                           functions={f.id: f for f in functions}, variables=variables)


def tutorial_snapshot(x_grad=None):
    return snapshot(
        [tensor("t1", grad=x_grad), tensor("t2", is_leaf=False, grad_fn="f2"),
         tensor("t4", is_leaf=False, grad_fn="f4", values=np.full((2, 2), 3.0)),
         tensor("t5", shape=(), is_leaf=False, grad_fn="f5", values=np.float32(3.0)),
         tensor("t6", shape=(3,), requires_grad=False, origin="no_grad", values=np.arange(3.0))],
        [function("f1", "AccumulateGrad", variable="t1"),
         function("f2", "PowBackward0", [("f1", 0)], saved=[("self", "t1", False)]),
         function("f3", "MulBackward0", [("f2", 0), ("f2", 0)]),
         function("f4", "MulBackward0", [("f3", 0), (None, 0)]),
         function("f5", "MeanBackward0", [("f4", 0)])],
        {"x": "t1", "y": "t2", "z": "t4", "out": "t5", "c": "t6"})


def chain_snapshot(length: int, width: int = 4):
    """``width`` leaves, then ``length`` binary ops each mixing the last result with a leaf."""
    tensors, functions, variables = [], [], {}
    for leaf in range(width):
        tensors.append(tensor(f"t{leaf}", shape=(3,), values=np.arange(3.0)))
        functions.append(function(f"f{leaf}", "AccumulateGrad", variable=f"t{leaf}"))
        variables[f"w{leaf}"] = f"t{leaf}"
    previous_function = "f0"
    for step in range(width, width + length):
        leaf = step % width
        name = "MulBackward0" if step % 2 else "AddBackward0"
        functions.append(function(f"f{step}", name, [(previous_function, 0), (f"f{leaf}", 0)]))
        tensors.append(tensor(f"t{step}", shape=(3,), is_leaf=False, grad_fn=f"f{step}",
                              values=np.arange(3.0)))
        variables[f"v{step}"] = f"t{step}"
        previous_function = f"f{step}"
    return snapshot(tensors, functions, variables)


def frame(index, snap, output="", error=None):
    return SimpleNamespace(index=index, path=(index,), line=index + 1, snapshot=snap, output=output,
                           error=error, events=(), grad_enabled=True)
