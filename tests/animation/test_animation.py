"""The backward animation replays exactly the engine's events, and steps back exactly."""
from PySide6.QtCore import Qt

from explorer.graph.backward_state import visual_state
from tests.ui.conftest import require_engine

from .conftest import backward_frames, open_source, overlay_items, scene_picture, texts, tools

TUTORIAL = """\
x = torch.ones(2, 2, requires_grad=True)
y = x ** 2
z = y * y * 3
out = z.mean()
out.backward()
out2 = x.sum()
out2.backward()
x.grad.data.zero_()
out3 = x.sum()
out3.backward()
"""


def go_to_backward(window, number):
    """Go to the backward frame ``number`` and play it to the end (it opens before its first event)."""
    frame = backward_frames(window)[number]
    window.controller.go_to(frame.index)
    tools(window).animator.last()
    return frame


def test_animation_visits_the_engine_events_in_order(window, qtbot):
    require_engine()
    open_source(window, TUTORIAL)
    frame = backward_frames(window)[0]
    window.controller.go_to(frame.index)
    animator = tools(window).animator
    assert animator.events == frame.events
    assert animator.event_index == 0   # a backward frame opens before its first event: no spoiler
    animator.last()
    view = window.graph_panel.view
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Home)
    assert animator.event_index == 0
    visited, lit = [], []
    for _ in frame.events:
        qtbot.keyClick(view, Qt.Key.Key_Right)
        visited.append(animator.state.current)
        lit.append(animator.state.lit)
    assert tuple(visited) == frame.events
    for event, nodes in zip(frame.events, lit):
        if event.kind in ("node_evaluated", "grad_summed"):
            assert nodes == {event.function}
        elif event.kind == "grad_accumulated":
            assert nodes == {event.tensor}
    qtbot.keyClick(view, Qt.Key.Key_Right)   # past the end: stays
    assert animator.event_index == len(frame.events)


def test_gradients_ride_the_edges_with_their_values(window):
    require_engine()
    open_source(window, TUTORIAL)
    frame = go_to_backward(window, 0)
    animator = tools(window).animator
    mean_runs = next(i for i, e in enumerate(frame.events) if e.kind == "node_evaluated") + 1
    animator.seek(mean_runs)
    fresh = overlay_items(window, "gradient")
    assert [badge.text for badge in fresh] == ["0.25", "0.25"]
    assert "0.25, 0.25" in fresh[0].toolTip()
    scene = window.graph_panel.scene
    mean_id = frame.events[mean_runs - 1].function
    assert scene.drawing.nodes[mean_id]._highlight == "#e8710a"
    assert {scene.drawing.edges[b.edge].pen().color().name() for b in fresh} == {"#e8710a"}


def test_two_gradients_sum_at_the_shared_input_before_the_node_runs(window):
    require_engine()
    open_source(window, TUTORIAL)
    frame = go_to_backward(window, 0)
    animator = tools(window).animator
    summed = next(i for i, e in enumerate(frame.events) if e.kind == "grad_summed")
    assert frame.events[summed + 1].kind == "node_evaluated"
    assert frame.events[summed + 1].function == frame.events[summed].function   # runs once, after
    animator.seek(summed + 1)
    assert texts(window, "sum") == ["Σ 0.75 + 0.75 = 1.5"]
    y_id = frame.snapshot.variables["y"]
    assert overlay_items(window, "sum")[0].beside == y_id
    assert "0.75 + 0.75" in texts(window, "gradient_old")


def test_leaf_grad_before_and_after_across_the_tutorial(window):
    require_engine()
    open_source(window, TUTORIAL)
    go_to_backward(window, 0)
    assert ".grad None → 3" in texts(window, "leaf_grad")
    second = go_to_backward(window, 1)
    assert ".grad 3 → 4" in texts(window, "leaf_grad")
    window.controller.go_to(second.index + 1)     # x.grad.data.zero_()
    assert ".grad 4 → 0" in texts(window, "leaf_grad")
    go_to_backward(window, 2)
    assert ".grad 0 → 1" in texts(window, "leaf_grad")


def test_step_back_restores_exactly_the_state_stepping_forward_showed(window):
    require_engine()
    open_source(window, TUTORIAL)
    frame = go_to_backward(window, 0)
    animator = tools(window).animator
    animator.first()
    forward = [scene_picture(window)]
    for _ in frame.events:
        animator.step_forward()
        forward.append(scene_picture(window))
    for k in range(len(frame.events), 0, -1):
        assert scene_picture(window) == forward[k]
        animator.step_back()
    assert scene_picture(window) == forward[0]
    assert not overlay_items(window, "gradient")


def test_visual_state_is_a_function_of_the_events_prefix(window):
    require_engine()
    open_source(window, TUTORIAL)
    frame = go_to_backward(window, 0)
    events = frame.events
    for k in range(len(events) + 1):
        assert visual_state(events, k) == visual_state(events, k)
        assert visual_state(events, k).index == k
    assert visual_state(events, 99).index == len(events)
    assert visual_state(events, len(events)).finished


def test_play_pause_speed_and_scrub(window, qtbot):
    require_engine()
    open_source(window, TUTORIAL)
    frame = go_to_backward(window, 0)
    animator = tools(window).animator
    controls = tools(window).controls
    assert controls.isVisible() and controls.slider.maximum() == len(frame.events)
    controls.slider.setValue(3)
    assert animator.event_index == 3
    assert controls.position.text() == f"backward event 3 / {len(frame.events)}"
    animator.set_speed(50)
    controls.buttons["play"].click()
    assert animator.playing
    qtbot.waitUntil(lambda: animator.event_index == len(frame.events), timeout=5000)
    qtbot.waitUntil(lambda: not animator.playing, timeout=2000)
    assert "backward() finished" in controls.caption.text()
    animator.play()        # from the end, playing starts again at the first event
    assert animator.event_index == 0 or animator.playing
    window.graph_panel.view.setFocus()
    qtbot.keyClick(window.graph_panel.view, Qt.Key.Key_Space)
    assert not animator.playing


def test_chain_rule_labels_plug_in_the_saved_values(window):
    require_engine()
    open_source(window, TUTORIAL)
    go_to_backward(window, 0)
    tools(window).controls.chain_rule.setChecked(True)
    labels = texts(window, "chain_rule")
    assert "∂y/∂x = 2·x = 2\n1.5 × 2 = 3" in labels
    assert any(label.startswith("∂z/∂") and "0.25 × 3 = 0.75" in label for label in labels)
    assert any(label.startswith("∂out/∂z = 1/4 = 0.25") for label in labels)
    tools(window).controls.chain_rule.setChecked(False)
    assert not texts(window, "chain_rule")


def test_frames_without_backward_hide_the_controls(window):
    require_engine()
    open_source(window, TUTORIAL)
    window.controller.go_to(1)
    assert tools(window).animator.events == ()
    assert not tools(window).controls.isVisible()
    assert not overlay_items(window, "gradient")
