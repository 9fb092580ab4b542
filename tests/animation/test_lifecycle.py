"""no_grad scopes, .data edits, detach() and version errors, freed graphs: drawn on the scene."""
from explorer.ui.program_bridge import parse_program
from tests.ui.conftest import require_engine

from .conftest import backward_frames, open_source, overlay_items, texts, tools

FREED_TEXT = "Trying to backward through the graph a second time"
VERSION_TEXT = "is at version 1; expected version 0 instead"


# The programs of the no_grad, .data/detach and retain_graph lessons, fixed here so that
# editing a lesson's wording does not move these checks.
NO_GRAD = """\
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
with torch.no_grad():
    y = x ** 2
z = x ** 2
"""
DETACH = """\
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x ** 2
x.data.mul_(10)
print(x._version)
y.sum().backward()
print(x.grad)
z = x ** 2
x.detach().mul_(10)
print(x._version)
z.sum().backward()
"""
RETAIN_GRAPH = """\
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = (x ** 3).sum()
y.backward(retain_graph=True)
y.backward()
y.backward()
"""


def node_of(window, frame, name):
    return window.graph_panel.scene.drawing.nodes[frame.snapshot.variables[name]]


def test_no_grad_tensors_sit_untracked_inside_a_no_grad_region(window):
    require_engine()
    frames = open_source(window, NO_GRAD)
    window.controller.last()
    frame = frames[-1]
    y_item = node_of(window, frame, "y")
    assert y_item.attributes["role"] == "no_grad" and not y_item.attributes["requires_grad"]
    regions = overlay_items(window, "no_grad")
    assert len(regions) == 1
    assert regions[0].text == "with torch.no_grad():"
    assert regions[0].sceneBoundingRect().contains(y_item.sceneBoundingRect())
    for tracked in ("x", "z"):
        tracked_rect = node_of(window, frame, tracked).sceneBoundingRect()
        assert not regions[0].sceneBoundingRect().contains(tracked_rect)
    assert regions[0].zValue() < y_item.zValue()   # behind the nodes


def test_data_edit_changes_the_value_and_flags_the_saved_tensor(window):
    require_engine()
    frames = open_source(window, DETACH)
    edit = next(f for f in frames if f.line == 3)           # x.data.mul_(10)
    window.controller.go_to(edit.index - 1)
    assert not texts(window, "stale")
    before = node_of(window, frames[edit.index - 1], "x").attributes
    window.controller.go_to(edit.index)
    after = node_of(window, edit, "x").attributes
    assert "10." in after["preview"] and "10." not in before["preview"]
    assert after["version"] == before["version"] == 0        # nothing else changed
    assert texts(window, "stale") == ["saved x changed behind autograd's back"]
    stale = overlay_items(window, "stale")[0]
    assert stale.beside == edit.snapshot.tensors[edit.snapshot.variables["y"]].grad_fn
    assert not texts(window, "error")


def test_detach_edit_bumps_the_version_and_the_error_lands_on_that_node(window):
    require_engine()
    frames = open_source(window, DETACH)
    bump = next(f for f in frames if f.line == 8)            # x.detach().mul_(10)
    window.controller.go_to(bump.index)
    assert "saved x: version 0 → 1" in texts(window, "bumped")
    window.controller.last()
    failing = frames[-1]
    assert VERSION_TEXT in failing.error.message
    callouts = [item.text for item in overlay_items(window, "error") if not getattr(item, "anchor", False)]
    assert len(callouts) == 1
    assert callouts[0].startswith("RuntimeError: one of the variables needed")   # verbatim
    assert "_version" in callouts[0] and "clone()" in callouts[0]               # explained
    z_grad_fn = failing.snapshot.tensors[failing.snapshot.variables["z"]].grad_fn
    marker = [item for item in overlay_items(window, "error") if getattr(item, "anchor", False)]
    assert [item.node for item in marker] == [z_grad_fn]


def test_graph_freed_after_backward_and_second_backward_fails_at_the_node(window):
    require_engine()
    open_source(window, RETAIN_GRAPH)
    first, second, third = backward_frames(window)
    window.controller.go_to(first.index)                     # retain_graph=True
    assert not texts(window, "freed")
    window.controller.go_to(second.index)
    assert not texts(window, "freed")                        # opens before its first event
    tools(window).animator.last()
    assert texts(window, "freed") == ["saved x: freed"]
    tools(window).animator.first()                           # mid-animation: not freed yet
    assert not texts(window, "freed")
    tools(window).animator.last()
    assert texts(window, "freed") == ["saved x: freed"]
    window.controller.go_to(third.index)
    assert FREED_TEXT in third.error.message
    callout = texts(window, "error")[0]
    assert FREED_TEXT in callout and "retain_graph=True" in callout.split("\n\n", 1)[1]
    marker = [item for item in overlay_items(window, "error") if getattr(item, "anchor", False)]
    pow_node = window.graph_panel.scene.drawing.nodes[marker[0].node]
    assert pow_node.attributes["label"] == "PowBackward0"


def test_in_place_edit_of_a_leaf_fails_at_once_with_pytorch_message(window):
    require_engine()
    frames = open_source(window, "x = torch.ones(2, requires_grad=True)\nx.add_(1)\nprint(x)\n")
    assert len(frames) == 2 and frames[-1].error is not None
    window.controller.last()
    callout = texts(window, "error")[0]
    assert callout.startswith("RuntimeError: a leaf Variable that requires grad is being used in "
                              "an in-place operation.")
    marker = [item for item in overlay_items(window, "error") if getattr(item, "anchor", False)]
    assert marker[0].node == frames[-1].snapshot.variables["x"]


def test_error_explanations_follow_the_language(window):
    require_engine()
    window.open_program(parse_program("x = torch.ones(2, requires_grad=True)\nx.backward()\n"))
    window.controller.last()
    assert "vector–Jacobian" in texts(window, "error")[0]
    tools(window).set_language("zh")
    assert "向量–雅可比积" in texts(window, "error")[0]
    assert texts(window, "error")[0].startswith("RuntimeError: grad can be implicitly created")
    tools(window).set_language("en")
