"""Requests the command line must refuse: one line on stderr, non-zero exit, no file left behind."""
import os

import pytest

from .helpers import chain_program, run_export, write_tutorial


def leftovers(folder, keep):
    return sorted(name for name in os.listdir(folder) if name not in keep)


@pytest.mark.parametrize(("source_text", "source_name", "message"), [
    (None, "missing.py", "cannot read"),
    ("{not json", "broken.agx.json", "invalid JSON"),
    ('{"format": "autograd-explorer/1", "program": [], "extra": 1}', "odd.agx.json", "unknown key"),
    ("x = ().__class__.__bases__\n", "outside.py", "__bases__"),
    ("x = torch.ones(2)\ny = x +\n", "broken.py", "line 2"),
])
def test_a_bad_file_is_refused(tmp_path, source_text, source_name, message):
    source = tmp_path / source_name
    if source_text is not None:
        source.write_text(source_text, encoding="utf-8")
    result = run_export(source, "-o", tmp_path / "out.png")
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert message in result.stderr
    assert leftovers(tmp_path, {source_name}) == []


def test_an_unknown_format_is_refused(tmp_path):
    source = write_tutorial(tmp_path)
    result = run_export(source, "-o", tmp_path / "out.bmp")
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert "unknown format" in result.stderr
    assert leftovers(tmp_path, {source.name}) == []


@pytest.mark.parametrize("target", ["no-such-folder/out.svg", "a-folder.png", "a-file/out.png"])
def test_an_unwritable_output_is_refused(tmp_path, target):
    source = write_tutorial(tmp_path)
    (tmp_path / "a-folder.png").mkdir()
    (tmp_path / "a-file").write_text("not a folder")
    result = run_export(source, "-o", tmp_path / target)
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert leftovers(tmp_path, {source.name, "a-folder.png", "a-file"}) == []
    assert os.listdir(tmp_path / "a-folder.png") == []


def test_a_failed_write_leaves_neither_the_file_nor_a_temporary(tmp_path, monkeypatch):
    from explorer.export import writing
    from explorer.export.pipeline import ExportError

    def refuse(source, target):
        raise OSError(28, "No space left on device", target)

    monkeypatch.setattr(writing.os, "replace", refuse)
    with pytest.raises(ExportError, match="No space left"):
        writing.write_files([(str(tmp_path / "one.png"), b"1"), (str(tmp_path / "two.png"), b"2")])
    assert os.listdir(tmp_path) == []


def test_an_existing_file_is_replaced_whole(tmp_path):
    from explorer.export.writing import write_file

    target = tmp_path / "graph.svg"
    target.write_bytes(b"old")
    write_file(str(target), b"new contents")
    assert target.read_bytes() == b"new contents"
    assert os.listdir(tmp_path) == ["graph.svg"]


def test_a_gif_over_the_pixel_limit_stops_before_drawing_with_one_line(tmp_path):
    # The tensor view of a 100-op chain is about 1,600 × 22,000 pixels a frame.
    source = tmp_path / "chain.py"
    source.write_text(chain_program(100), encoding="utf-8")
    result = run_export(source, "-o", tmp_path / "chain.gif")
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert "megapixels; use --scale 0." in result.stderr and "--view autograd, or .html" in result.stderr
    assert leftovers(tmp_path, {"chain.py"}) == []


@pytest.mark.parametrize(("suffix", "language", "refused"), [
    (".png", "zh", True), (".pdf", "zh", True), (".gif", "zh", True),
    (".svg", "zh", False), (".html", "zh", False), (".png", "en", False),
])
def test_chinese_text_without_a_chinese_font_is_refused_for_drawn_formats(tmp_path, monkeypatch, capsys,
                                                                          suffix, language, refused):
    from explorer.drawing import fonts
    from explorer.export.cli import main

    # The same check as the app's notice: no CJK family installed.
    monkeypatch.setattr(fonts, "installed_cjk_family", lambda: None)
    target = tmp_path / f"out{suffix}"
    status = main([str(write_tutorial(tmp_path)), "-o", str(target), "--lang", language])
    error = capsys.readouterr().err
    assert status == (1 if refused else 0)
    assert ("no Chinese font is installed" in error) == refused
    assert target.exists() != refused


def test_chinese_in_a_variable_name_needs_the_font_in_any_language(tmp_path, monkeypatch, capsys):
    from explorer.drawing import fonts
    from explorer.export.cli import main

    monkeypatch.setattr(fonts, "installed_cjk_family", lambda: None)
    source = tmp_path / "named.py"
    source.write_text("权重 = torch.ones(2, requires_grad=True)\n", encoding="utf-8")
    assert main([str(source), "-o", str(tmp_path / "named.png")]) == 1
    assert "no Chinese font" in capsys.readouterr().err


def test_a_picture_that_would_shrink_past_legible_text_is_refused_with_what_to_do(tmp_path):
    # The tensor view of a 400-op chain fits the picture limits only at about a third of its size.
    source = tmp_path / "chain.py"
    source.write_text(chain_program(400), encoding="utf-8")
    result = run_export(source, "-o", tmp_path / "chain.png")
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert "labels cannot be read; use --view autograd, .svg, or an earlier --step" in result.stderr
    assert leftovers(tmp_path, {"chain.py"}) == []


def test_the_smallest_scale_allowed_still_draws_labels():
    from explorer.drawing.graph_items import TEXT_LEVEL_OF_DETAIL
    from explorer.export.raster import MIN_LEGIBLE_SCALE

    assert MIN_LEGIBLE_SCALE > TEXT_LEVEL_OF_DETAIL
