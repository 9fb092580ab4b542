"""The runner on real PyTorch and on the engine: output, errors, limits, cancel, hooks."""
import re
import threading
import time

import pytest
from tutorial_cells import CELLS, FULL_OUTPUT, FULL_SOURCE

from explorer.program.limits import Limits
from explorer.program.parser import parse_program
from explorer.program.runner import run_program, start_run


def masked(text):
    return re.sub(r"0x[0-9a-fA-F]+", "0x...", text)


def run(source, module, **options):
    return run_program(parse_program(source), module, **options)


def test_tutorial_prints_what_the_tutorial_shows(torch_module):
    timeline = run(FULL_SOURCE, torch_module)
    assert timeline.status == "finished", timeline.error
    assert masked(timeline.output) == FULL_OUTPUT


def test_each_cell_prints_its_output_in_its_own_frames(torch_module):
    program_so_far = ""
    for source, expected in CELLS:
        before = len(parse_program(program_so_far).steps) if program_so_far else 0
        program_so_far += source
        timeline = run(program_so_far, torch_module)
        cell_output = "".join(f.output for f in timeline.frames if f.path[0] >= before)
        assert masked(cell_output) == expected


def test_an_error_stays_on_its_step_and_earlier_frames_stay(torch_module):
    timeline = run("x = torch.ones(3, requires_grad=True)\ny = x * 2\nprint(y)\ny.backward()\n"
                   "print('not reached')", torch_module)
    assert timeline.status == "error"
    assert [f.path for f in timeline.frames] == [(0,), (1,), (2,), (3,)]
    last = timeline.frames[-1]
    assert last.error.type_name == "RuntimeError"
    assert last.error.message == "grad can be implicitly created only for scalar outputs"
    assert last.line == 4
    assert timeline.frames[2].output.startswith("tensor([2., 2., 2.]")
    assert "not reached" not in timeline.output


@pytest.mark.parametrize("source, type_name, message", [
    ("y = undefined * 2", "NameError", "name 'undefined' is not defined"),
    ("x = torch.ones(2, requires_grad=True)\nx.grad.data.zero_()", "AttributeError",
     "'NoneType' object has no attribute 'data'"),
    ("i = 1 // 0", "ZeroDivisionError", "integer division or modulo by zero"),
    ("a, b = (1, 2, 3)", "ValueError", "too many values to unpack (expected 2)"),
    ("x = torch.ones(2)\nh = x.register_hook(lambda g: g)", "RuntimeError",
     "cannot register a hook on a tensor that doesn't require gradient"),
])
def test_step_errors_keep_python_and_pytorch_text(torch_module, source, type_name, message):
    timeline = run(source, torch_module)
    assert timeline.error.type_name == type_name
    assert timeline.error.message == message


def test_while_frames_record_each_test_and_iteration_counters(torch_module):
    timeline = run("i = 0\nwhile i < 3:\n    i = i + 1\nprint(i)", torch_module)
    headers = [f for f in timeline.frames if f.header]
    assert [f.condition for f in headers] == [True, True, True, False]
    body = [f for f in timeline.frames if f.path == (1, 0)]
    assert [f.iterations for f in body] == [(0,), (1,), (2,)]
    assert timeline.output == "3\n"


def test_for_break_continue_and_if(torch_module):
    source = ("total = 0\nfor i in range(10):\n    if i == 2:\n        continue\n"
              "    if i > 4:\n        break\n    total = total + i\nprint(total)")
    timeline = run(source, torch_module)
    assert timeline.output == "8\n"


def test_no_grad_block_and_grad_mode_flags(torch_module):
    timeline = run("x = torch.ones(2, requires_grad=True)\nwith torch.no_grad():\n"
                   "    y = x * 2\nz = x * 2\nprint(y.requires_grad, z.requires_grad)",
                   torch_module)
    assert timeline.output == "False True\n"
    assert [f.grad_enabled for f in timeline.frames] == [True, False, False, True, True]


def test_set_grad_enabled_statement_is_undone_after_the_run(torch_module):
    run("torch.set_grad_enabled(False)", torch_module)
    assert torch_module.is_grad_enabled()


def test_hooks_scale_the_gradient_and_their_prints_belong_to_the_backward(torch_module):
    source = ("x = torch.ones(2, requires_grad=True)\ny = x * 3\n"
              "h = y.register_hook(lambda g: g * 10)\n"
              "k = x.register_hook(lambda g: print('leaf grad', g))\n"
              "y.sum().backward()\nprint(x.grad)\nh.remove()\n")
    timeline = run(source, torch_module)
    assert timeline.status == "finished", timeline.error
    assert timeline.frames[4].output == "leaf grad tensor([30., 30.])\n"
    assert timeline.frames[5].output == "tensor([30., 30.])\n"


def test_print_builds_text_with_sep_end_and_fstrings(torch_module):
    timeline = run("x = torch.tensor([1.5, 2.0])\nprint(1, 'a', sep='-', end='!')\n"
                   "print(f'{x.sum().item():.2f} {x.shape}')", torch_module)
    assert timeline.output == "1-a!3.50 torch.Size([2])\n"


def test_nonleaf_grad_warning_is_recorded_on_the_frame(torch_module):
    timeline = run("x = torch.ones(2, requires_grad=True)\ny = x * 2\ng = y.grad", torch_module)
    assert timeline.status == "finished"
    assert any("non-leaf" in w or "not a leaf" in w for w in timeline.frames[2].warnings)


LIMIT_CASES = [
    ("while True:\n    pass", Limits(max_iterations=50), "iteration limit"),
    ("for i in range(10 ** 12):\n    pass", Limits(max_iterations=50), "iteration limit"),
    ("x = torch.ones(100000, 100000)", Limits(), "element limit"),
    ("x = torch.zeros((100000, 100000))", Limits(), "element limit"),
    ("x = torch.full([10 ** 6, 10 ** 6], 1.0)", Limits(), "element limit"),
    ("x = torch.arange(0, 10 ** 12)", Limits(), "element limit"),
    ("x = torch.tensor([[0] * 10000] * 10000)", Limits(), "element limit"),
    ("x = torch.ones(5000)\ny = x[:, None] * x[None, :]", Limits(), "element limit"),
    ("x = torch.ones(5000, 1)\ny = x @ x.t()", Limits(), "element limit"),
    ("x = torch.ones(10)\ny = x.repeat(10 ** 7)", Limits(), "element limit"),
    ("x = torch.ones(1)\ny = x.expand(10 ** 5, 10 ** 5)", Limits(), "element limit"),
    ("x = torch.ones(10 ** 4)\ny = torch.cat([x] * 2000)", Limits(), "element limit"),
    ("i = 2 ** 100000", Limits(), "integer limit"),
    ("i = 3\nwhile True:\n    i = i * i", Limits(), "integer limit"),
    ("s = 'ab' * 10 ** 7", Limits(), "sequence limit"),
    ("s = 'ab'\nwhile True:\n    s = s + s", Limits(), "sequence limit"),
    ("m = max(range(10 ** 9))", Limits(), "sequence limit"),
    ("while True:\n    print('spam' * 1000)", Limits(max_iterations=10 ** 6), "sequence limit"),
]


@pytest.mark.parametrize("source, limits, fragment", LIMIT_CASES)
def test_limits_stop_the_run_at_the_step_that_passed_them(torch_module, source, limits, fragment):
    started = time.monotonic()
    timeline = run(source, torch_module, limits=limits)
    assert time.monotonic() - started < 5
    assert timeline.status == "limit"
    assert timeline.frames[-1].error.type_name == "LimitExceeded"
    assert fragment in timeline.frames[-1].error.message


def test_time_limit(torch_module):
    started = time.monotonic()
    timeline = run("while True:\n    pass", torch_module,
                   limits=Limits(max_iterations=10 ** 9, max_seconds=0.3))
    assert 0.3 <= time.monotonic() - started < 3
    assert timeline.status == "limit"
    assert "time limit" in timeline.error.message


def test_a_run_on_a_worker_thread_can_be_cancelled(torch_module):
    handle = start_run(parse_program("x = torch.ones(2)\nwhile True:\n    x = x + 1"),
                       torch_module, limits=Limits(max_iterations=10 ** 9, max_seconds=60))
    time.sleep(0.1)
    handle.cancel()
    timeline = handle.wait(timeout=5)
    assert handle.done
    assert timeline.status == "cancelled"
    assert len(timeline.frames) > 2


def test_cancel_event_set_before_start_runs_nothing(torch_module):
    event = threading.Event()
    event.set()
    timeline = run("x = 1", torch_module, cancel_event=event)
    assert timeline.status == "cancelled"
    assert timeline.frames == []


def test_frame_limit(torch_module):
    timeline = run("while True:\n    pass", torch_module,
                   limits=Limits(max_iterations=10 ** 6, max_frames=100))
    assert timeline.status == "limit"
    assert len(timeline.frames) == 100


def test_disabled_steps_are_skipped(torch_module):
    from dataclasses import replace

    from explorer.program.steps import Program
    program = parse_program("x = 1\nx = 2\nprint(x)")
    program = Program((program.steps[0], replace(program.steps[1], disabled=True),
                       program.steps[2]))
    assert run_program(program, torch_module).output == "1\n"


@pytest.mark.parametrize("attribute, message", [
    ("__dict__", "has no attribute"), ("__reduce__", "has no attribute"),
    ("_data", "has no attribute"),
])
def test_runtime_whitelist_blocks_hand_built_escapes(torch_module, attribute, message):
    from explorer.program.expressions import Attribute, Name
    from explorer.program.steps import Assign, Program
    program = Program((parse_program("x = torch.ones(2)").steps[0],
                       Assign(("y",), Attribute(Name("x"), attribute))))
    timeline = run_program(program, torch_module)
    assert timeline.status == "error"
    assert message in timeline.error.message


def test_a_run_may_set_process_defaults_and_the_next_run_starts_from_the_usual_ones():
    import engine
    timeline = run_program(parse_program(
        "import torch\ntorch.set_default_dtype(torch.float64)\nprint(torch.ones(1).dtype)"), engine)
    assert timeline.output == "torch.float64\n"
    assert engine.get_default_dtype() == engine.float32
    assert run_program(parse_program("print(torch.ones(1).dtype)"), engine).output == \
        "torch.float32\n"


def test_a_long_loop_is_drawn_for_its_first_iterations_every_hundredth_and_after():
    import engine
    from explorer.program.runner import FULL_ITERATIONS
    source = ("x = torch.ones(2, requires_grad=True)\nfor t in range(300):\n"
              "    y = (x * t).sum()\n    y.backward()\n    if t % 100 == 99:\n        print(t, x.grad)\n"
              "z = x * 2\n")
    timeline = run_program(parse_program(source), engine)
    assert timeline.status == "finished"
    drawn_iterations = sorted({f.iterations[0] for f in timeline.frames
                               if f.iterations and not f.sampled_out})
    assert drawn_iterations == list(range(FULL_ITERATIONS)) + [99, 199, 299]
    assert all(f.snapshot is None and f.events == () for f in timeline.frames if f.sampled_out)
    # Every iteration still runs and prints; the frames after the loop see everything.
    assert timeline.output.count("\n") == 3
    last = timeline.frames[-1].snapshot.materialize()
    x = next(t for t in last.tensors.values() if "x" in t.names)
    assert list(x.grad) == [sum(range(300))] * 2
    assert sorted(f.name for f in last.functions.values()) == [
        "AccumulateGrad", "MulBackward0", "MulBackward0", "SumBackward0"]  # z, and y of t = 299
    sampled = [f for f in timeline.frames if f.iterations == (199,) and f.ran_backward]
    assert sampled and sampled[0].snapshot is not None


@pytest.mark.parametrize("source, fragment", [
    ("x = torch.ones(2)\ny = x.new_ones(10 ** 5, 10 ** 5)", "element limit"),
    ("import torch.nn as nn\nm = nn.Linear(10 ** 4, 2 * 10 ** 4)", "element limit"),
    ("y = torch.randperm(10 ** 9)", "element limit"),
    ("y = torch.normal(0., 1., size=(10 ** 5, 10 ** 5))", "element limit"),
    ("y = torch.logspace(0, 1, 10 ** 9)", "element limit"),
    ("y = torch.FloatTensor(10 ** 5, 10 ** 5)", "element limit"),
    ("y = torch.diag(torch.ones(10 ** 5))", "element limit"),
    ("a = torch.ones(3000, 3000)\ny = torch.einsum('ij,jk->ijk', a, a)", "element limit"),
    ("y = torch.ones(10 ** 7).tolist()", "sequence limit"),
    ("y = torch.ones(3).multinomial(10 ** 9, replacement=True)", "element limit"),
])
def test_engine_allocations_are_checked_before_they_happen(source, fragment):
    import engine
    started = time.monotonic()
    timeline = run_program(parse_program(source), engine, limits=Limits(max_seconds=5))
    assert time.monotonic() - started < 3
    assert timeline.status == "limit" and fragment in timeline.error.message


def test_an_exception_whose_text_fails_the_second_time_still_ends_the_step_cleanly():
    import engine
    source = ("class E(Exception):\n    n = 0\n    def __str__(self):\n        E.n += 1\n"
              "        if E.n > 1:\n            raise ValueError('again')\n        return 'first'\n"
              "raise E()\n")
    timeline = run_program(parse_program(source), engine)
    assert timeline.status == "error" and timeline.error.type_name == "E"
    assert "could not be shown" in timeline.error.message


def test_anomaly_mode_set_by_a_program_ends_with_its_run():
    import engine
    timeline = run_program(parse_program("torch.autograd.set_detect_anomaly(True)\n"
                                         "print(torch.is_anomaly_enabled())"), engine)
    assert timeline.output == "True\n"
    assert not engine.is_anomaly_enabled()


def test_a_variable_holding_huge_nested_lists_is_described_by_its_count():
    import engine
    timeline = run_program(parse_program("big = [[0] * 100000 for _ in range(40)]\n"), engine)
    assert timeline.frames[-1].snapshot.materialize().values["big"] == "<list of 40 items>"


@pytest.mark.parametrize("source", [
    "x = torch.ones(3)\nif x > 0:\n    print(1)",
    "x = torch.ones(3)\nwhile x < 3:\n    x = x + 1",
    "x = torch.ones(3)\ny = 1 if x else 0",
    "x = torch.ones(3)\nassert x > 0",
])
def test_a_tensor_as_a_condition_gives_pytorchs_error_on_its_step(source):
    import engine
    timeline = run_program(parse_program(source), engine)
    assert timeline.status == "error"
    assert timeline.error.message == "Boolean value of Tensor with more than one value is ambiguous"
    assert timeline.frames[-1].error is not None
