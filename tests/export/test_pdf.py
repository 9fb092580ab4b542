"""PDF pages readers accept, and text that extracts as it was written."""
import re
import shutil
import subprocess

import pytest
from PySide6.QtCore import QRectF

from explorer.drawing.fonts import installed_cjk_family
from explorer.export.cli import main
from explorer.export.pdf import MAX_PAGE_POINTS, plan_pages
from explorer.export.pdf_text import unify_radicals

from .helpers import chain_program, pdf_text_lines, write_tutorial


def page_sizes(data: bytes) -> list[tuple[float, float]]:
    return [(float(width), float(height))
            for width, height in re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", data)]


def export_pdf(tmp_path, program: str, *options) -> bytes:
    source = tmp_path / "program.py"
    source.write_text(program, encoding="utf-8")
    target = tmp_path / "program.pdf"
    assert main([str(source), "-o", str(target), *options]) == 0
    return target.read_bytes()


def test_a_drawing_over_the_page_limit_is_shrunk_onto_one_page_while_legible(tmp_path, qapp):
    # The 100-op chain was one page of 16,598 pt; shrunk by 0.87 its text stays readable.
    data = export_pdf(tmp_path, chain_program(100))
    sizes = page_sizes(data)
    assert len(sizes) == 1
    assert max(sizes[0]) == pytest.approx(MAX_PAGE_POINTS, abs=1)


def test_a_drawing_too_long_to_shrink_is_cut_into_pages_between_nodes(tmp_path, qapp):
    data = export_pdf(tmp_path, chain_program(250))
    sizes = page_sizes(data)
    assert len(sizes) > 1
    assert all(max(size) <= MAX_PAGE_POINTS for size in sizes)
    lines = {line.strip() for line in pdf_text_lines(data)}
    # Every node's name is written whole on some page.
    assert {f"h{number}" for number in range(250)} <= lines
    assert {"x", "MulBackward0", "SumBackward0"} <= lines


def test_page_cuts_go_between_the_boxes_kept_whole():
    rect = QRectF(0, 0, 300, 50_000)
    boxes = [QRectF(100, top, 80, 40) for top in range(20, 50_000, 100)]
    plan = plan_pages(rect, boxes)
    assert plan.scale == 1 and len(plan.parts) >= 3
    limit = MAX_PAGE_POINTS * 96 / 72
    for part in plan.parts:
        assert part.height() <= limit
        for box in boxes:
            assert not box.top() < part.top() < box.bottom()
    assert plan.parts[0].top() == 0 and plan.parts[-1].bottom() == 50_000


def test_a_drawing_within_the_limit_is_one_page_of_its_size():
    plan = plan_pages(QRectF(0, 0, 800, 600), [])
    assert plan.scale == 1 and plan.parts == [QRectF(0, 0, 800, 600)]


def test_radicals_in_a_tounicode_map_become_the_ideographs():
    cmap = (b"begincmap\n2 beginbfchar\n<0003> <2F26>\n<2F26> <0041>\nendbfchar\n"
            b"1 beginbfrange\n<0010> <0012> [ <0078> <2F26> <2FAE> ]\n<0020> <0021> <0061>\n"
            b"endbfrange\nendcmap")
    fixed = unify_radicals(cmap)
    assert len(fixed) == len(cmap)  # nothing in the file moves
    # 子 and 非 (U+5B50, U+975E) had been named as radicals U+2F26 and U+2FAE;
    # a glyph code that happens to read 2F26 is no text and stays.
    assert b"<0003> <5B50>" in fixed and b"<2F26> <0041>" in fixed
    assert b"[ <0078> <5B50> <975E> ]" in fixed and b"<0020> <0021> <0061>" in fixed


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler's pdftotext is not installed")
def test_chinese_text_extracts_as_the_characters_written(tmp_path, qapp):
    if installed_cjk_family() is None:
        pytest.skip("no Chinese font is installed")
    target = tmp_path / "zh.pdf"
    assert main([str(write_tutorial(tmp_path)), "-o", str(target), "--lang", "zh"]) == 0
    text = subprocess.run(["pdftotext", str(target), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "非叶子张量" in text and "叶子张量" in text
    assert not re.search("[\u2e80-\u2fdf]", text)
