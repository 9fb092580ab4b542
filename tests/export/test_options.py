"""Options of the export command, run in this process (the offscreen platform is already set)."""
import os

import pytest
from PySide6.QtGui import QImage

from explorer.export.cli import main

from .helpers import TUTORIAL, TUTORIAL_FRAMES, write_tutorial


@pytest.fixture
def tutorial(tmp_path, qapp):
    return write_tutorial(tmp_path)


def export_image(source, name, *options) -> QImage:
    target = source.with_name(name)
    assert main([str(source), "-o", str(target), *options]) == 0
    image = QImage(str(target))
    assert not image.isNull()
    return image.convertToFormat(QImage.Format.Format_RGB32)


def test_themes_and_languages_change_the_pixels(tutorial):
    light = export_image(tutorial, "light.png")
    dark = export_image(tutorial, "dark.png", "--theme", "dark")
    projector = export_image(tutorial, "projector.png", "--theme", "projector")
    chinese = export_image(tutorial, "zh.png", "--lang", "zh")
    assert light != dark and light != projector and light != chinese and dark != projector
    # Dark really is dark: the corner shows the theme's background.
    assert dark.pixelColor(2, 2).lightness() < 60 < light.pixelColor(2, 2).lightness()
    # The projector theme draws a 1920 x 1080 slide, the graph scaled up to fill it.
    assert (projector.width(), projector.height()) == (1920, 1080)
    assert projector.height() > light.height()


def test_scale_two_doubles_the_png(tutorial):
    single = export_image(tutorial, "single.png")
    double = export_image(tutorial, "double.png", "--scale", "2")
    assert 2 * single.width() - double.width() in (0, 1)
    assert 2 * single.height() - double.height() in (0, 1)


def test_a_scale_too_small_for_labels_is_drawn_with_a_note(tutorial, capsys):
    small = export_image(tutorial, "small.png", "--scale", "0.3")
    assert small.width() < 300
    assert "--scale 0.3 the labels are too small to read" in capsys.readouterr().err


def test_all_steps_writes_one_picture_per_frame(tutorial, capsys):
    target = tutorial.with_name("steps.svg")
    assert main([str(tutorial), "-o", str(target), "--all-steps"]) == 0
    expected = [f"steps-{number:02d}.svg" for number in range(1, TUTORIAL_FRAMES + 1)]
    assert sorted(name for name in os.listdir(tutorial.parent) if name.startswith("steps")) == expected
    assert capsys.readouterr().out.split() == [str(tutorial.with_name(name)) for name in expected]
    first = tutorial.with_name(expected[0]).read_text(encoding="utf-8")
    last = tutorial.with_name(expected[-1]).read_text(encoding="utf-8")
    assert "PowBackward0" not in first and "MeanBackward0" in last


def test_step_picks_a_frame(tutorial):
    import json

    target = tutorial.with_name("two.json")
    assert main([str(tutorial), "-o", str(target), "--step", "2"]) == 0
    labels = sorted(node["label"] for node in json.loads(target.read_text())["nodes"])
    assert labels == ["AccumulateGrad", "PowBackward0", "x", "y"]
    assert json.loads(target.read_text())["frame"] == 2


def test_autograd_view_draws_the_grad_fn_graph(tutorial):
    import json

    target = tutorial.with_name("autograd.json")
    assert main([str(tutorial), "-o", str(target), "--view", "autograd"]) == 0
    document = json.loads(target.read_text())
    assert document["view"] == "grad_fn"
    assert {"next", "variable", "result"} <= {edge["kind"] for edge in document["edges"]}


@pytest.mark.parametrize(("options", "message"), [
    (["--step", "99"], "the run has 5 frame(s)"),
    (["--step", "0"], "from 1"),
    (["--step", "two"], "frame number"),
    (["--scale", "0"], "--scale"),
])
def test_bad_options_are_one_line_errors(tutorial, capsys, options, message):
    assert main([str(tutorial), "-o", str(tutorial.with_name("out.png")), *options]) == 1
    error = capsys.readouterr().err
    assert message in error and len(error.strip().splitlines()) == 1
    assert not tutorial.with_name("out.png").exists()


def test_all_steps_does_not_apply_to_animations(tutorial, capsys):
    assert main([str(tutorial), "-o", str(tutorial.with_name("out.gif")), "--all-steps"]) == 1
    assert "--all-steps" in capsys.readouterr().err


def test_animation_needs_a_backward_call(tutorial, capsys):
    assert main([str(tutorial), "-o", str(tutorial.with_name("early.gif")), "--step", "3"]) == 1
    assert "no backward() ran" in capsys.readouterr().err


def test_animation_of_a_later_frame_shows_the_backward_before_it(tmp_path, qapp):
    source = tmp_path / "printed.py"
    source.write_text(TUTORIAL + "print(x.grad)\n", encoding="utf-8")
    target = tmp_path / "printed.html"
    assert main([str(source), "-o", str(target)]) == 0
    assert 'data-count="9"' in target.read_text(encoding="utf-8")


def test_a_program_that_raises_is_drawn_up_to_the_error(tmp_path, qapp, capsys):
    source = tmp_path / "twice.py"
    source.write_text(TUTORIAL + "out.backward()\n", encoding="utf-8")
    assert main([str(source), "-o", str(tmp_path / "twice.png")]) == 0
    assert "note: the program stopped at frame 6" in capsys.readouterr().err
    assert (tmp_path / "twice.png").exists()


def test_lesson_json_files_are_read(tmp_path, qapp):
    from explorer.program.files import Document, save_document
    from explorer.program.parser import parse_program

    lesson = tmp_path / "lesson.agx.json"
    save_document(Document(program=parse_program(TUTORIAL), title={"en": "Tutorial", "zh": "教程"}), lesson)
    target = tmp_path / "lesson.svg"
    assert main([str(lesson), "-o", str(target), "--lang", "zh"]) == 0
    assert "<title>教程</title>" in target.read_text(encoding="utf-8")


def test_rankdir_lr_lays_the_graph_out_left_to_right(tutorial):
    import json

    placed = {}
    for direction in ("TB", "LR"):
        target = tutorial.with_name(f"{direction}.json")
        assert main([str(tutorial), "-o", str(target), "--rankdir", direction]) == 0
        placed[direction] = json.loads(target.read_text())
    for direction, along in (("TB", "y"), ("LR", "x")):
        boxes = {node["id"]: node for node in placed[direction]["nodes"]}
        flows = [edge for edge in placed[direction]["edges"] if edge["kind"] in ("input", "output")]
        assert flows and all(boxes[edge["head"]][along] > boxes[edge["tail"]][along] for edge in flows)
    wide = export_image(tutorial, "wide.png", "--rankdir", "LR")
    tall = export_image(tutorial, "tall.png")
    assert wide.width() > tall.width() and wide.height() < tall.height()
    dot = tutorial.with_name("wide.dot")
    assert main([str(tutorial), "-o", str(dot), "--rankdir", "LR"]) == 0
    assert "rankdir=LR" in dot.read_text()


def test_projector_slides_are_1920_by_1080_whatever_the_graph(tutorial, tmp_path):
    sharp = export_image(tutorial, "sharp.png", "--theme", "projector", "--scale", "2")
    assert (sharp.width(), sharp.height()) == (3840, 2160)
    wide = export_image(tutorial, "wide.png", "--theme", "projector", "--rankdir", "LR")
    assert (wide.width(), wide.height()) == (1920, 1080)


def test_a_graph_too_big_for_a_readable_slide_stops_with_one_line(tmp_path, qapp, capsys):
    from .helpers import chain_program

    source = tmp_path / "chain.py"
    source.write_text(chain_program(100), encoding="utf-8")
    assert main([str(source), "-o", str(tmp_path / "chain.png"), "--theme", "projector"]) == 1
    error = capsys.readouterr().err.strip()
    assert len(error.splitlines()) == 1 and "1920 × 1080 slide" in error and "--rankdir LR" in error
    assert not (tmp_path / "chain.png").exists()
