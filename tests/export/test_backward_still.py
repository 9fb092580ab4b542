"""``--grads`` and ``--event N``: a still of the backward pass, its labels clear of every node."""
import re
from xml.etree import ElementTree

import numpy as np
import pytest

from explorer.drawing.graph_items import NodeItem
from explorer.drawing.overlay_items import BadgeItem
from explorer.export.backward_still import show_backward
from explorer.export.cli import main
from explorer.export.formats import animated_frame_number
from explorer.export.pipeline import prepare_frames
from explorer.export.scene import compose_scene
from explorer.export.themes import drawn_look

from .helpers import TUTORIAL, write_tutorial

# Two backward() calls into one leaf: its .grad accumulates to [18, -8, 19].
ACCUMULATION = """\
w = torch.tensor([4.0, -1.0, 5.0], requires_grad=True)
x = torch.tensor([10.0, -6.0, 9.0])
loss1 = (w * x).sum()
loss1.backward()
loss2 = (w * w).sum()
loss2.backward()
"""
SVG = "{http://www.w3.org/2000/svg}"


def svg_texts(path) -> list[str]:
    root = ElementTree.parse(path).getroot()
    return [" ".join("".join(element.itertext()).split()) for element in root.iter(f"{SVG}text")]


@pytest.fixture
def accumulation(tmp_path, qapp):
    path = tmp_path / "accumulation.py"
    path.write_text(ACCUMULATION, encoding="utf-8")
    return path


def test_the_accumulation_demo_shows_w_grad_18_minus_8_19(accumulation):
    target = accumulation.with_name("grads.svg")
    assert main([str(accumulation), "-o", str(target), "--grads"]) == 0
    texts = svg_texts(target)
    assert ".grad [10., -6., 9.] → [18., -8., 19.]" in texts
    # The gradient that reached w from both of w * w's inputs, summed before AccumulateGrad ran.
    assert any(text.startswith("Σ") and text.endswith("= [ 8., -2., 10.]") for text in texts)
    png = accumulation.with_name("grads.png")
    assert main([str(accumulation), "-o", str(png), "--grads"]) == 0


def test_pytorch_accumulates_the_same_gradient():
    torch = pytest.importorskip("torch")
    w = torch.tensor([4.0, -1.0, 5.0], requires_grad=True)
    (w * torch.tensor([10.0, -6.0, 9.0])).sum().backward()
    (w * w).sum().backward()
    assert w.grad.tolist() == [18.0, -8.0, 19.0]


def test_event_n_shows_the_pass_as_it_stood_then(tmp_path, qapp):
    tutorial = write_tutorial(tmp_path)
    first = tmp_path / "first.svg"
    assert main([str(tutorial), "-o", str(first), "--event", "2"]) == 0
    texts = svg_texts(first)
    assert "grad 1" in texts                      # the seed backward started with
    assert not any(text.startswith(".grad") for text in texts)   # x.grad comes later
    last = tmp_path / "last.svg"
    assert main([str(tutorial), "-o", str(last), "--grads"]) == 0
    assert ".grad None → 3" in svg_texts(last)   # every element of x.grad is 3


@pytest.mark.parametrize("arguments, message", [
    (["--event", "99"], "--event 99: the backward() call of frame 5 has events 1 to 9"),
    (["--event", "0"], "--event 0"),
    (["--grads", "--all-steps"], "--grads and --event draw one picture"),
])
def test_a_wrong_event_stops_with_one_line(tmp_path, qapp, capsys, arguments, message):
    tutorial = write_tutorial(tmp_path)
    assert main([str(tutorial), "-o", str(tmp_path / "out.png"), *arguments]) == 1
    error = capsys.readouterr().err.strip()
    assert len(error.splitlines()) == 1 and message in error


def test_grads_are_refused_for_animations(tmp_path, qapp, capsys):
    assert main([str(write_tutorial(tmp_path)), "-o", str(tmp_path / "out.gif"), "--grads"]) == 1
    assert ".gif and .html animate every event" in capsys.readouterr().err


@pytest.mark.parametrize("program", [ACCUMULATION, TUTORIAL], ids=["accumulation", "tutorial"])
def test_no_label_covers_a_node_at_any_event(tmp_path, qapp, program):
    source = tmp_path / "program.py"
    source.write_text(program, encoding="utf-8")
    prepared = prepare_frames(source, ["last"], drawn_look())[0]
    prepared = prepare_frames(source, [animated_frame_number(prepared)], drawn_look())[0]
    events = prepared.frame.events
    for shown in range(1, len(events) + 1):
        exported = compose_scene(prepared.graph, prepared.layout, prepared.theme, prepared.fonts,
                                 prepared.sizes)
        show_backward(exported, prepared.frame, prepared.graph, shown)
        items = exported.scene.items()
        badges = [item for item in items if isinstance(item, BadgeItem)]
        nodes = [item for item in items if isinstance(item, NodeItem)]
        assert badges or shown == 1
        for badge in badges:
            rect = badge.sceneBoundingRect().adjusted(1, 1, -1, -1)
            covered = [node.attributes["label"] for node in nodes
                       if rect.intersects(node.sceneBoundingRect())]
            assert covered == [], (shown, badge.text)
            assert exported.rect.contains(badge.sceneBoundingRect())
            others = [other.text for other in badges
                      if other is not badge and rect.intersects(other.sceneBoundingRect())]
            assert others == [], (shown, badge.text)


def test_the_leaf_badge_reads_the_recorded_gradient(accumulation):
    prepared = prepare_frames(accumulation, ["last"], drawn_look())[0]
    frame = prepared.frame
    accumulated = [event for event in frame.events if event.kind == "grad_accumulated"]
    assert np.array_equal(accumulated[-1].after, [18.0, -8.0, 19.0])
    assert re.search(r"loss2\.backward", "\n".join(ACCUMULATION.splitlines()[frame.line - 1:frame.line]))


def test_the_gifs_frames_draw_the_same_overlay_and_its_last_holds_every_gradient(accumulation):
    from explorer.export.animation import animation_frames
    from explorer.export.animation_scene import AnimatedScene

    prepared = prepare_frames(accumulation, ["last"], drawn_look())[0]
    frames = animation_frames(prepared.frame, prepared.graph)
    exported = compose_scene(prepared.graph, prepared.layout, prepared.theme, prepared.fonts,
                             prepared.sizes)
    animated = AnimatedScene(exported, prepared.frame, prepared.graph)
    for frame in frames:
        animated.show(frame)
        items = exported.scene.items()
        nodes = [item for item in items if isinstance(item, NodeItem)]
        for badge in (item for item in items if isinstance(item, BadgeItem)):
            rect = badge.sceneBoundingRect().adjusted(1, 1, -1, -1)
            assert not any(rect.intersects(node.sceneBoundingRect()) for node in nodes), badge.text
    texts = [item.text for item in exported.scene.items() if isinstance(item, BadgeItem)]
    assert ".grad [10., -6.,  9.] → [18., -8., 19.]" in texts   # the held last frame
    animated.clear()
    assert not [item for item in exported.scene.items() if isinstance(item, BadgeItem)]


def test_a_badge_moved_away_to_find_room_is_led_back(accumulation):
    from explorer.drawing.overlay_items import LeaderLine

    prepared = prepare_frames(accumulation, ["last"], drawn_look())[0]
    exported = compose_scene(prepared.graph, prepared.layout, prepared.theme, prepared.fonts,
                             prepared.sizes)
    show_backward(exported, prepared.frame, prepared.graph, len(prepared.frame.events))
    items = exported.scene.items()
    leaders = [item for item in items if isinstance(item, LeaderLine)]
    centres = [item.scenePos() for item in items if isinstance(item, BadgeItem)]
    # Two gradients summed for w's AccumulateGrad: its Σ badge has no room beside it.
    assert leaders
    for leader in leaders:
        assert any((leader._start - centre).manhattanLength() < 0.5 for centre in centres)
