"""Stepping over, into and out of a program's functions and a Module's forward."""
from explorer.ui.program_bridge import parse_program

SOURCE = '''import torch
import torch.nn as nn


def square(t):
    doubled = t * 2
    return doubled * t


class TwoLayer(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(3, 4)
        self.fc2 = nn.Linear(4, 1)

    def forward(self, x):
        hidden = torch.relu(self.fc1(x))
        return self.fc2(hidden)


torch.manual_seed(0)
x = torch.ones(2, 3, requires_grad=True)
y = square(x).sum()
model = TwoLayer()
out = model(x).sum()
out.backward()
'''


def frame_lines(window):
    return [(frame.line, frame.call_stack) for frame in window.controller.frames]


def go_to_line(window, line):
    controller = window.controller
    for index, frame in enumerate(controller.frames):
        if frame.line == line and not frame.call_stack:
            controller.go_to(index)
            return
    raise AssertionError(f"no top-level frame at line {line}: {frame_lines(window)}")


def test_step_into_a_function_and_back_out(window):
    window.open_program(parse_program(SOURCE))
    controller = window.controller
    go_to_line(window, 22)                      # x = torch.ones(...)
    controller.step_into()
    assert (controller.frame.line, controller.frame.call_stack) == (6, ("square()",))
    assert "doubled" in controller.frame.snapshot.materialize().variables  # locals are drawn
    controller.step_forward()                   # over, inside the function
    assert (controller.frame.line, controller.frame.call_stack) == (7, ("square()",))
    controller.step_out()
    assert (controller.frame.line, controller.frame.call_stack) == (23, ())
    go_to_line(window, 22)
    controller.step_forward()                   # over the call
    assert (controller.frame.line, controller.frame.call_stack) == (23, ())


def test_step_into_a_modules_forward_and_the_code_pane_follows(window):
    window.open_program(parse_program(SOURCE))
    controller = window.controller
    go_to_line(window, 24)                      # model = TwoLayer()
    controller.step_forward()
    assert controller.frame.line == 25 and not controller.frame.call_stack
    go_to_line(window, 24)
    controller.step_into()
    assert controller.frame.call_stack == ("model",)
    assert controller.frame.line == 17
    assert window.code_pane.text().splitlines()[window.code_pane._step_line - 1].strip() \
        .startswith("hidden = torch.relu")
    assert "model" in window.timeline_bar.position.text()
    controller.step_out()
    assert controller.frame.line == 25 and not controller.frame.call_stack
    functions = controller.frame.snapshot.materialize().functions.values()
    scopes = {function.name: function.scope for function in functions}
    assert scopes["ReluBackward0"] == ("model",)
    assert ("model", "model.fc1") in {f.scope for f in functions if f.name == "AddmmBackward0"}
