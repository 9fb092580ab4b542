"""Two oracles for op tests: finite differences always, PyTorch when installed.

A case is ``fn(module, *tensors)`` plus input arrays: the same function runs
with ``module`` = engine and ``module`` = torch, so one line of a table checks
values, grad_fn names, the next_functions structure and gradients.
"""
import numpy as np

import engine


def engine_tensors(arrays, requires_grad=True, dtype=np.float64):
    out = []
    for a in arrays:
        a = np.asarray(a)
        if a.dtype.kind == "f":
            a = a.astype(dtype)
            out.append(engine.tensor(a, requires_grad=requires_grad))
        else:
            out.append(engine.tensor(a))
    return out


def torch_tensors(torch, arrays, requires_grad=True, dtype=np.float64):
    out = []
    for a in arrays:
        a = np.asarray(a)
        if a.dtype.kind == "f":
            out.append(torch.tensor(a.astype(dtype), requires_grad=requires_grad))
        else:
            out.append(torch.tensor(a))
    return out


def graph_signature(fn_node, depth=6):
    """Nested (name, [children]) of a grad_fn, for comparing graph structure."""
    if fn_node is None:
        return None
    name = type(fn_node).__name__
    if depth == 0:
        return (name,)
    return (name, tuple((graph_signature(n, depth - 1), nr) for n, nr in fn_node.next_functions))


def _outputs(result):
    return result if isinstance(result, (tuple, list)) else (result,)


def check_against_torch(torch, fn, arrays, rtol=1e-6, atol=1e-8):
    """Run ``fn`` on both libraries; compare values, graphs and gradients."""
    e_inputs = engine_tensors(arrays)
    t_inputs = torch_tensors(torch, arrays)
    e_out = _outputs(fn(engine, *e_inputs))
    t_out = _outputs(fn(torch, *t_inputs))
    assert len(e_out) == len(t_out)
    rng = np.random.default_rng(0)
    e_diff, t_diff, seeds = [], [], []
    for e, t in zip(e_out, t_out):
        expected = t.detach().numpy()
        got = np.asarray(e.detach()._data)
        assert got.shape == expected.shape, (got.shape, expected.shape)
        assert str(e.dtype) == str(t.dtype)
        np.testing.assert_allclose(got, expected, rtol=rtol, atol=atol)
        assert graph_signature(e.grad_fn) == graph_signature(t.grad_fn)
        if t.requires_grad:
            seed = rng.standard_normal(expected.shape)
            e_diff.append(e)
            t_diff.append(t)
            seeds.append(seed)
    if not t_diff:
        return
    e_grads = engine.autograd.grad(
        e_diff, [x for x in e_inputs if x.requires_grad],
        [engine.tensor(s, dtype=x.dtype) for s, x in zip(seeds, e_diff)], allow_unused=True)
    t_grads = torch.autograd.grad(
        t_diff, [x for x in t_inputs if x.requires_grad],
        [torch.tensor(s, dtype=x.dtype) for s, x in zip(seeds, t_diff)], allow_unused=True)
    for eg, tg in zip(e_grads, t_grads):
        if tg is None:
            assert eg is None or not np.any(np.asarray(eg._data))
            continue
        np.testing.assert_allclose(np.asarray(eg._data), tg.numpy(), rtol=rtol, atol=atol)


def check_gradients(fn, arrays, atol=1e-5, rtol=1e-3):
    """Finite-difference gradcheck in float64."""
    inputs = engine_tensors(arrays)
    assert engine.autograd.gradcheck(lambda *xs: fn(engine, *xs), inputs,
                                               atol=atol, rtol=rtol)


def check_error(torch, fn, arrays):
    """Both libraries raise the same exception type with the same message."""
    import pytest
    with pytest.raises(Exception) as t_info:
        fn(torch, *torch_tensors(torch, arrays))
    with pytest.raises(type(t_info.value)) as e_info:
        fn(engine, *engine_tensors(arrays))
    assert str(e_info.value) == str(t_info.value)


def case_ids(cases):
    """Test ids for a table of ``(name, fn, arrays)`` rows: the names."""
    return [case[0] for case in cases]
