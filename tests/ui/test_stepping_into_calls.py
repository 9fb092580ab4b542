"""Stepping over, into and out of a program's functions and a Module's forward."""
from explorer.ui.program_bridge import parse_program
from tests.call_programs import STEPPING, line_of

SOURCE = STEPPING


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
    go_to_line(window, line_of(SOURCE, "x = torch.ones"))
    controller.step_into()
    assert (controller.frame.line, controller.frame.call_stack) == \
        (line_of(SOURCE, "doubled = t * 2"), ("square()",))
    assert "t" in controller.frame.snapshot.materialize().variables  # locals are drawn
    controller.step_forward()                   # over, inside the function
    assert (controller.frame.line, controller.frame.call_stack) == \
        (line_of(SOURCE, "return doubled * t"), ("square()",))
    controller.step_out()
    assert (controller.frame.line, controller.frame.call_stack) == (line_of(SOURCE, "y = square"), ())
    go_to_line(window, line_of(SOURCE, "x = torch.ones"))
    controller.step_forward()                   # over the call
    assert (controller.frame.line, controller.frame.call_stack) == (line_of(SOURCE, "y = square"), ())


def test_step_into_a_modules_forward_and_the_code_pane_follows(window):
    window.open_program(parse_program(SOURCE))
    controller = window.controller
    after = line_of(SOURCE, "out = model(x)")
    go_to_line(window, line_of(SOURCE, "model = TwoLayer()"))
    controller.step_forward()
    assert controller.frame.line == after and not controller.frame.call_stack
    go_to_line(window, line_of(SOURCE, "model = TwoLayer()"))
    controller.step_into()
    assert controller.frame.call_stack == ("model",)
    assert controller.frame.line == line_of(SOURCE, "return self.fc2")
    assert window.code_pane.text().splitlines()[window.code_pane._step_line - 1].strip() \
        .startswith("return self.fc2")
    assert "model" in window.timeline_bar.position.text()
    controller.step_out()
    assert controller.frame.line == after and not controller.frame.call_stack
    functions = controller.frame.snapshot.materialize().functions.values()
    scopes = {function.name: function.scope for function in functions}
    assert scopes["ReluBackward0"] == ("model",)
    assert ("model", "model.fc1") in {f.scope for f in functions if f.name == "AddmmBackward0"}
