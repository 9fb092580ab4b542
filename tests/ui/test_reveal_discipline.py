"""Predict, then reveal: a backward frame opens before its first event, and captions
speak of what users see (variable and PyTorch node names, never internal ids)."""
import re

from explorer.graph.backward_captions import caption
from explorer.lessons import list_lessons, load_lesson
from explorer.ui.program_bridge import parse_program, run_program

from .conftest import require_engine

TUTORIAL = ("x = torch.ones(2, 2, requires_grad=True)\nx.sum().backward()\n"
            "y = x * 2\nz = y.mean()\nz.backward()\n")
INTERNAL_ID = re.compile(r"\b[ft]\d+\b")


def test_backward_frame_opens_with_its_animation_finished_no_more(window):
    require_engine()
    window.open_program(parse_program(TUTORIAL))
    assert window.controller.wait(30)
    backward = next(frame for frame in window.controller.frames if frame.events)
    window.controller.go_to(backward.index)
    animator = window.backward_tools.animator
    assert animator.events and animator.event_index == 0
    caption_text = window.backward_tools.controls.caption.text()
    assert "Press Play" in caption_text


def test_backward_captions_name_internal_ids_like_f5_no_more():
    require_engine()
    programs = [parse_program(TUTORIAL)] + [load_lesson(lesson.id).program for lesson in list_lessons()]
    for program in programs:
        for frame in run_program(program).frames:
            for event in frame.events or ():
                for language in ("en", "zh"):
                    text = caption(event, frame.snapshot, language)
                    assert not INTERNAL_ID.search(text), text


def test_chain_rule_shows_the_previous_graphs_formula_no_more(window):
    from explorer.drawing.overlay_items import BadgeItem
    require_engine()
    window.open_program(parse_program("x = torch.ones(2, 2, requires_grad=True)\ny = x ** 2\n"
                                      "out = y.mean()\nout.backward()\nout2 = x.sum()\nout2.backward()\n"))
    assert window.controller.wait(30)
    tools = window.backward_tools
    tools.controls.chain_rule.setChecked(True)
    second = [frame for frame in window.controller.frames if frame.events][1]
    window.controller.go_to(second.index)
    tools.animator.last()
    labels = [item.text for item in window.graph_panel.scene.items()
              if isinstance(item, BadgeItem) and item.kind == "chain_rule"]
    assert labels == ["∂out2/∂x = 1\n1 × 1 = 1"]


def test_saved_freed_shown_before_backward_has_run_no_more(window):
    require_engine()
    window.open_program(parse_program(TUTORIAL))
    assert window.controller.wait(30)
    backward = [frame for frame in window.controller.frames if frame.events][1]
    window.controller.go_to(backward.index)
    scene = window.graph_panel.scene

    def details():
        return sorted(text for item in scene.drawing.nodes.values() for text, font in item._lines
                      if font == "detail" and text.startswith("saved"))

    assert "saved: freed" not in details()
    window.backward_tools.animator.last()
    assert "saved: freed" in details()
