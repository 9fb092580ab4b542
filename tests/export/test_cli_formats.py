"""Every output format of ``autograd-explorer export``, each written by a fresh process with no display."""
import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ElementTree

import networkx as nx
import pytest
from PySide6.QtGui import QImage, QImageReader

from .helpers import (
    FUNCTION_NAMES,
    TUTORIAL_BACKWARD_EVENTS,
    gif_frame_count,
    pdf_text_lines,
    run_export,
    write_tutorial,
)

SUFFIXES = (".png", ".svg", ".pdf", ".gif", ".html", ".dot", ".graphml", ".json")
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """suffix -> path of the tutorial exported in that format."""
    folder = tmp_path_factory.mktemp("formats")
    source = write_tutorial(folder)
    paths = {}
    for suffix in SUFFIXES:
        target = folder / f"tutorial{suffix}"
        result = run_export(source, "-o", target)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == str(target)
        paths[suffix] = target
    return paths


def test_png_decodes_with_the_size_of_the_drawing(exported, qapp):
    from explorer.export.pipeline import prepare
    from explorer.export.raster import image_size
    from explorer.export.scene import compose_scene
    from explorer.export.themes import drawn_look

    image = QImage(str(exported[".png"]))
    assert not image.isNull()
    prepared = prepare(exported[".png"].with_name("tutorial.py"), drawn_look())
    scene = compose_scene(prepared.graph, prepared.layout, prepared.theme, prepared.fonts, prepared.sizes)
    assert (image.width(), image.height()) == image_size(scene.rect, 1.0)


def test_svg_is_xml_with_function_names_as_text(exported):
    root = ElementTree.parse(exported[".svg"]).getroot()
    assert root.tag == f"{SVG}svg"
    texts = {" ".join("".join(element.itertext()).split()) for element in root.iter(f"{SVG}text")}
    for name in FUNCTION_NAMES:
        assert name in texts
    assert "(2, 2) float32" in texts


def test_pdf_keeps_labels_as_extractable_text(exported):
    data = exported[".pdf"].read_bytes()
    assert data.startswith(b"%PDF")
    lines = {" ".join(line.split()) for line in pdf_text_lines(data)}
    for name in FUNCTION_NAMES:
        assert name in lines
    assert "(2, 2) float32" in lines


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler's pdftotext is not installed")
def test_pdf_text_as_a_pdf_reader_sees_it(exported):
    text = subprocess.run(["pdftotext", str(exported[".pdf"]), "-"], capture_output=True, text=True,
                          check=True).stdout
    for name in FUNCTION_NAMES:
        assert name in text


def test_gif_has_one_frame_per_backward_event(exported, qapp):
    data = exported[".gif"].read_bytes()
    assert gif_frame_count(data) == TUTORIAL_BACKWARD_EVENTS
    reader = QImageReader(str(exported[".gif"]))
    assert reader.imageCount() == TUTORIAL_BACKWARD_EVENTS
    sizes = set()
    while reader.canRead():
        image = reader.read()
        assert not image.isNull()
        sizes.add((image.width(), image.height()))
    assert len(sizes) == 1


def test_html_is_one_self_contained_page(exported):
    page = exported[".html"].read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    # One drawing of the graph; each event is a few indices and a caption.
    assert page.count("<svg") == 1
    animation = json.loads(re.search(r'<script type="application/json" id="animation">(.*?)</script>',
                                     page, re.DOTALL).group(1))
    assert len(animation["events"]) == TUTORIAL_BACKWARD_EVENTS
    assert len(animation["boxes"]) == page.count("<g data-node=")
    without_namespaces = page.replace('xmlns="http://www.w3.org/2000/svg"', "").replace(
        'xmlns:xlink="http://www.w3.org/1999/xlink"', "")
    assert "http://" not in without_namespaces and "https://" not in without_namespaces
    assert " src=" not in page and "<link" not in page
    assert "Content-Security-Policy" in page


def test_graph_data_formats_agree(exported):
    document = json.loads(exported[".json"].read_text(encoding="utf-8"))
    labels = sorted(node["label"] for node in document["nodes"])
    graph = nx.read_graphml(exported[".graphml"])
    assert sorted(label for _node, label in graph.nodes(data="label")) == labels
    assert graph.number_of_edges() == len(document["edges"])
    assert all({"x", "y", "width", "height"} <= set(node) for node in document["nodes"])
    dot = exported[".dot"].read_text(encoding="utf-8")
    assert dot.startswith("digraph")
    for name in FUNCTION_NAMES:
        assert f'label="{name}' in dot


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")
def test_dot_file_is_accepted_by_graphviz(exported):
    result = subprocess.run(["dot", "-Tplain", str(exported[".dot"])], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("graph")


def test_the_app_command_dispatches_export(tmp_path):
    source = write_tutorial(tmp_path)
    target = tmp_path / "through-app.svg"
    result = run_export("export", source, "-o", target, module="explorer")
    assert result.returncode == 0, result.stderr
    assert "MulBackward0" in target.read_text(encoding="utf-8")
