"""Snapshots and backward events recorded on the engine."""
import numpy as np
import pytest
from tutorial_cells import FULL_SOURCE

from explorer.program.parser import parse_program
from explorer.program.runner import run_program


def run(source, engine):
    timeline = run_program(parse_program(source), engine)
    assert timeline.status == "finished", timeline.error
    return timeline


def test_intermediate_results_are_in_the_snapshot(engine):
    timeline = run("x = torch.ones(2, 2, requires_grad=True)\ny = x ** 2\nz = y * y * 3\n"
                   "out = z.mean()", engine)
    snapshot = timeline.frames[-1].snapshot
    z_function = snapshot.function_of("z")
    assert z_function.name == "MulBackward0"
    inner_id = z_function.next_functions[0][0]
    inner = snapshot.functions[inner_id]
    assert inner.name == "MulBackward0"
    product = snapshot.tensors[inner.output]
    assert product.names == ()
    assert product.values.tolist() == [[1.0, 1.0], [1.0, 1.0]]
    assert product.grad_fn == inner_id
    assert [snapshot.functions[f].name for f, _ in inner.next_functions] == ["PowBackward0"] * 2
    power = snapshot.function_of("y")
    (accumulate_id, _), = power.next_functions
    accumulate = snapshot.functions[accumulate_id]
    assert accumulate.name == "AccumulateGrad"
    assert accumulate.variable == snapshot.variables["x"]
    assert {s.name for s in power.saved} >= {"self", "exponent"}
    saved_self = next(s for s in power.saved if s.name == "self")
    assert saved_self.tensor == snapshot.variables["x"]


def test_ids_are_stable_strings_across_frames(engine):
    timeline = run("x = torch.ones(2, requires_grad=True)\ny = x * 2\nz = y + 1", engine)
    ids = [frame.snapshot.variables["x"] for frame in timeline.frames]
    assert ids == ["t1", "t1", "t1"]
    assert timeline.frames[2].snapshot.variables["y"] == timeline.frames[1].snapshot.variables["y"]
    assert all(f.startswith("f") for f in timeline.frames[2].snapshot.functions)


def test_outputs_no_variable_holds_are_kept_with_creation_values(engine):
    timeline = run("x = torch.ones(2, requires_grad=True)\ny = x * 2\ny = y * 3", engine)
    snapshot = timeline.frames[-1].snapshot
    first = snapshot.functions[snapshot.function_of("y").next_functions[0][0]]
    old_y = snapshot.tensors[first.output]
    assert old_y.alive is False
    assert old_y.values.tolist() == [2.0, 2.0]
    assert snapshot.tensor("y").values.tolist() == [6.0, 6.0]


def test_unchanged_arrays_are_shared_between_frames(engine):
    timeline = run("x = torch.ones(3, requires_grad=True)\ny = x * 2\nprint(y)\nk = 1", engine)
    infos = [frame.snapshot.tensor("x") for frame in timeline.frames]
    assert infos[0].values is infos[1].values is infos[2].values is infos[3].values
    assert not infos[0].values.flags.writeable
    y_infos = [frame.snapshot.tensor("y") for frame in timeline.frames[1:]]
    assert y_infos[0].values is y_infos[1].values is y_infos[2].values


def test_data_edit_shows_new_values_at_the_same_version(engine):
    timeline = run("x = torch.ones(1, requires_grad=True)\ny = 2 * x\nx.data *= 100\n"
                   "y.backward()", engine)
    before, after, final = (f.snapshot.tensor("x") for f in timeline.frames[1:])
    assert before.values.tolist() == [1.0]
    assert after.values.tolist() == [100.0]
    assert after.version == before.version
    assert final.grad.tolist() == [2.0]


def test_in_place_edit_bumps_the_version(engine):
    timeline = run("x = torch.ones(2)\nx.add_(1)", engine)
    first, second = (f.snapshot.tensor("x") for f in timeline.frames)
    assert (first.version, second.version) == (0, 1)
    assert second.values.tolist() == [2.0, 2.0]


@pytest.mark.parametrize("source, origin", [
    ("x = torch.ones(2, requires_grad=True)\nwith torch.no_grad():\n    t = x * 2", "no_grad"),
    ("x = torch.ones(2, requires_grad=True)\nt = x.detach()", "detach"),
    ("x = torch.ones(2, requires_grad=True)\nt = x.data", "data"),
    ("x = torch.ones(2, requires_grad=True)\nt = x * 2", None),
])
def test_origin_of_untracked_tensors(engine, source, origin):
    timeline = run(source, engine)
    assert timeline.frames[-1].snapshot.tensor("t").origin == origin


def test_tutorial_backward_events_in_engine_order(engine):
    timeline = run(FULL_SOURCE, engine)
    frame = next(f for f in timeline.frames if f.ran_backward)
    snapshot = frame.snapshot
    evaluated = [snapshot.functions[e.function].name for e in frame.events
                 if e.kind == "node_evaluated"]
    assert evaluated == ["MeanBackward0", "MulBackward0", "MulBackward0", "PowBackward0",
                         "AccumulateGrad"]
    kinds = [e.kind for e in frame.events]
    assert kinds[0] == "backward_started" and kinds[-1] == "backward_finished"
    summed = [e for e in frame.events if e.kind == "grad_summed"]
    assert len(summed) == 1
    assert snapshot.functions[summed[0].function].name == "PowBackward0"
    np.testing.assert_allclose(summed[0].after, np.full((2, 2), 1.5))
    (accumulated,) = [e for e in frame.events if e.kind == "grad_accumulated"]
    assert accumulated.tensor == snapshot.variables["x"]
    assert accumulated.before is None
    np.testing.assert_allclose(accumulated.after, np.full((2, 2), 3.0))
    assert all(not f.events for f in timeline.frames if f is not frame and not f.ran_backward)


def test_saved_tensors_are_freed_after_backward(engine):
    timeline = run("x = torch.ones(2, requires_grad=True)\ny = (x * x).sum()\ny.backward()",
                   engine)
    before = timeline.frames[1].snapshot
    after = timeline.frames[2].snapshot
    mul_before = next(f for f in before.functions.values() if f.name == "MulBackward0")
    mul_after = after.functions[mul_before.id]
    assert not any(s.freed for s in mul_before.saved)
    assert all(s.freed for s in mul_after.saved if s.name in ("self", "other"))


def test_accumulation_events_show_before_and_after(engine):
    timeline = run("x = torch.ones(2, requires_grad=True)\nx.sum().backward()\n"
                   "x.sum().backward()", engine)
    (event,) = [e for e in timeline.frames[2].events if e.kind == "grad_accumulated"]
    assert event.before.tolist() == [1.0, 1.0]
    assert event.after.tolist() == [2.0, 2.0]
    assert timeline.frames[2].snapshot.tensor("x").grad.tolist() == [2.0, 2.0]


def test_hook_events_are_recorded(engine):
    timeline = run("x = torch.ones(2, requires_grad=True)\ny = x * 3\n"
                   "h = y.register_hook(lambda g: g * 10)\ny.sum().backward()", engine)
    hooks = [e for e in timeline.frames[-1].events if e.kind == "hook_fired"]
    assert [e.hook for e in hooks] == ["tensor"]
    assert hooks[0].grads_out[0].tolist() == [10.0, 10.0]
    assert timeline.frames[-1].snapshot.values["h"].startswith("<")


def test_tuple_results_name_their_tensors(engine):
    timeline = run("x = torch.ones(2, requires_grad=True)\ny = (x * x).sum()\n"
                   "g = torch.autograd.grad(y, x)", engine)
    frame = timeline.frames[-1]
    assert frame.ran_backward
    grads = [info for info in frame.snapshot.tensors.values() if info.names == ("g[0]",)]
    assert grads[0].values.tolist() == [2.0, 2.0]


def test_real_torch_runs_without_snapshots(real_torch):
    timeline = run_program(parse_program("x = torch.ones(2)"), real_torch)
    assert timeline.frames[0].snapshot is None
    assert timeline.frames[0].events == ()


def test_a_run_does_not_keep_dropped_tensors_alive(engine):
    import gc
    import weakref
    timeline = run("x = torch.ones(2, requires_grad=True)\ny = x * 2\ny = 1", engine)
    (x,) = [timeline.variables["x"]]
    refs = [weakref.ref(x)]
    del x
    timeline.variables.clear()
    gc.collect()
    assert refs[0]() is None


def test_a_models_parameters_are_named_and_follow_the_optimiser():
    import engine
    from explorer.program.parser import parse_program
    from explorer.program.runner import run_program
    source = ("import torch\nimport torch.nn as nn\ntorch.manual_seed(0)\nmodel = nn.Linear(3, 1)\n"
              "loss = model(torch.ones(2, 3)).sum()\nloss.backward()\n"
              "opt = torch.optim.SGD(model.parameters(), lr=0.5)\nopt.step()\nopt.zero_grad()\n")
    timeline = run_program(parse_program(source), engine)
    assert timeline.status == "finished", timeline.error

    def weight(frame):
        tensors = frame.snapshot.materialize().tensors.values()
        return next(t for t in tensors if "model.weight" in t.names)

    frames = timeline.frames  # ..., loss.backward(), opt = ..., opt.step(), opt.zero_grad()
    after_backward, after_step, after_zero = weight(frames[-4]), weight(frames[-2]), weight(frames[-1])
    assert after_backward.grad is not None
    assert (after_step.values == after_backward.values - 0.5 * after_backward.grad).all()
    assert after_zero.grad is None
    names = {n for t in timeline.frames[-1].snapshot.materialize().tensors.values() for n in t.names}
    assert {"model.weight", "model.bias", "loss"} <= names


def test_the_calls_of_modules_inside_sequential_group_their_nodes():
    import engine
    from explorer.program.parser import parse_program
    from explorer.program.runner import run_program
    source = ("import torch\nimport torch.nn as nn\n"
              "net = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1))\n"
              "y = net(torch.ones(2, 3)).sum()\n")
    timeline = run_program(parse_program(source), engine)
    functions = timeline.frames[-1].snapshot.materialize().functions.values()
    scopes = sorted({f.scope for f in functions if f.scope})
    assert scopes == [("net", "net.0"), ("net", "net.1"), ("net", "net.2")]


def test_a_backward_frame_draws_its_root_however_it_was_written():
    import engine
    from explorer.program.parser import parse_program
    from explorer.program.runner import run_program
    timeline = run_program(parse_program(
        "x = torch.ones(2, requires_grad=True)\nx.sum().backward()\nprint(x.grad)"), engine)
    backward = timeline.frames[1].snapshot.materialize()
    assert [f.name for f in backward.functions.values()] == ["SumBackward0", "AccumulateGrad"]
    assert any("(backward root)" in t.names for t in backward.tensors.values())
    after = timeline.frames[2].snapshot.materialize()
    assert not any("(backward root)" in t.names for t in after.tensors.values())
