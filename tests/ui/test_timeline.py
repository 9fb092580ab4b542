"""Stepping the timeline moves the graph, the inspector, the console and the highlights."""
from types import SimpleNamespace

import numpy as np

from explorer.ui.inspector import compact_value, grad_history
from explorer.ui.program_bridge import parse_program

from .conftest import require_engine, require_snapshots
from .snapshots import chain_snapshot, frame, tutorial_snapshot

TUTORIAL = """\
x = torch.ones(2, 2, requires_grad=True)
y = x ** 2
z = y * y * 3
out = z.mean()
out.backward()
print(x.grad)
out2 = x.sum()
out2.backward()
print(x.grad)
out3 = x.sum()
x.grad.data.zero_()
out3.backward()
print(x.grad)
"""


def install_frames(window, frames):
    window.controller.timeline = SimpleNamespace(frames=frames, status="finished", error=None)
    window.controller.go_to(len(frames) - 1)


def synthetic_frames():
    return [frame(0, chain_snapshot(1)), frame(1, chain_snapshot(3), output="hello\n"),
            frame(2, tutorial_snapshot(np.full((2, 2), 3.0))),
            frame(3, tutorial_snapshot(np.full((2, 2), 4.0))),
            frame(4, tutorial_snapshot(np.full((2, 2), 1.0)), output="tensor(1.)\n")]


def test_stepping_changes_graph_and_slider(window):
    install_frames(window, synthetic_frames())
    assert window.timeline_bar.slider.value() == 4
    assert "f5" in window.graph_panel.graph
    window.timeline_bar.actions_by_name["First"].trigger()
    assert window.controller.index == 0
    assert window.graph_panel.graph.number_of_nodes() == chain_snapshot(1).tensors.__len__() * 2
    window.timeline_bar.actions_by_name["Step"].trigger()
    assert window.controller.index == 1
    window.timeline_bar.slider.setValue(3)
    assert window.controller.index == 3
    window.timeline_bar.actions_by_name["Step back"].trigger()
    assert window.controller.index == 2
    assert window.timeline_bar.position.text() == "frame 3 / 5"


def test_inspector_follows_selection_and_frame(window):
    install_frames(window, synthetic_frames())
    window.graph_panel.select_node("t1")
    assert window.inspector.title.text() == "x"
    facts = window.inspector.facts.text()
    assert "is_leaf=True" in facts
    assert ".grad over time: 3 → 4 → 1" in facts
    window.controller.go_to(2)
    assert ".grad over time: 3" in window.inspector.facts.text()
    assert "→" not in window.inspector.facts.text()
    window.graph_panel.select_node("f2")
    assert window.inspector.title.text() == "PowBackward0"
    assert "_saved_self: x" in window.inspector.facts.text()
    assert "AccumulateGrad" in window.inspector.facts.text()


def test_inspector_plots_vectors_and_matrices(window):
    install_frames(window, synthetic_frames())
    window.graph_panel.select_node("t1")
    assert window.inspector.plots.kind == "image"
    window.controller.go_to(1)
    window.graph_panel.select_node("t0")
    assert window.inspector.plots.kind == "bars"


def test_console_shows_output_up_to_the_current_frame_only(window):
    install_frames(window, synthetic_frames())
    window.controller.go_to(1)
    assert window.console.toPlainText() == "hello\n"  # the later print would be a spoiler
    window.controller.go_to(0)
    assert window.console.toPlainText() == ""
    window.controller.go_to(4)
    assert window.console.toPlainText() == "hello\ntensor(1.)\n"


def test_an_error_shows_in_the_status_bar_on_its_own_frame_only(window):
    window.open_program(parse_program("x = torch.ones(2)\ny = x.sum()\ny.backward()\n"))
    controller = window.controller
    assert controller.timeline.status == "error"
    assert "does not require grad" in window.statusBar().currentMessage()
    controller.go_to(0)
    assert window.statusBar().currentMessage() == ""
    assert "does not require grad" not in window.console.toPlainText()


def test_grad_history_and_compact_values():
    frames = synthetic_frames()
    assert [text for _, text in grad_history(frames, "t1")] == ["3", "4", "1"]
    assert compact_value(np.array([1.0, 2.0])) == "[1., 2.]"
    assert compact_value(None) == "None"


def test_real_run_steps_through_the_tutorial(window):
    require_engine()
    window.open_program(parse_program(TUTORIAL))
    assert window.controller.timeline.status == "finished"
    assert "tensor([[1., 1.]," in window.console.toPlainText()
    require_snapshots(window)
    window.controller.go_to(1)
    labels = {label for _node, label in window.graph_panel.graph.nodes(data="label")}
    assert "PowBackward0" in labels and "MeanBackward0" not in labels
    window.controller.last()
    x_id = window.controller.frame.snapshot.variables["x"]
    window.graph_panel.select_node(x_id)
    assert ".grad over time: 3 → 4 → 0 → 1" in window.inspector.facts.text() or \
        ".grad over time: 3 → 4 → 1" in window.inspector.facts.text()


def test_error_frame_is_reported(window):
    require_engine()
    window.open_program(parse_program("x = torch.ones(2, requires_grad=True)\nx.backward()\n"))
    assert window.controller.timeline.status == "error"
    assert "RuntimeError: grad can be implicitly created only for scalar outputs" in \
        window.console.toPlainText()
    assert window.code_pane._step_line == 2
