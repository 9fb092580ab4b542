"""Graph data is exported where Qt cannot be imported; a picture then fails in one line.

The command runs in a fresh process in which ``import PySide6`` and ``import pyqtgraph``
fail, as on a server without them.
"""
import json
import subprocess
import sys

import networkx as nx

from .helpers import FUNCTION_NAMES, REPOSITORY, headless_environment, write_tutorial

WITHOUT_QT = ("import sys; sys.modules['PySide6'] = sys.modules['pyqtgraph'] = None; "
              "from explorer.cli import main; sys.exit(main(sys.argv[1:]))")


def export_without_qt(*arguments) -> subprocess.CompletedProcess:
    """``autograd-explorer export ARGUMENTS`` with PySide6 and pyqtgraph impossible to import."""
    command = [sys.executable, "-c", WITHOUT_QT, "export", *map(str, arguments)]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=REPOSITORY,
                          env=headless_environment())


def test_json_dot_and_graphml_are_written_without_qt(tmp_path):
    from explorer.export.cli import main

    source = write_tutorial(tmp_path)
    for suffix in (".json", ".dot", ".graphml"):
        result = export_without_qt(source, "-o", tmp_path / f"plain{suffix}")
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == str(tmp_path / f"plain{suffix}")
        assert "Traceback" not in result.stderr
        assert "PySide6 is not installed: the boxes' sizes are estimated from their text" in result.stderr
        assert main([str(source), "-o", str(tmp_path / f"drawn{suffix}")]) == 0

    # DOT has no coordinates: it is the very file the app's fonts give.
    assert (tmp_path / "plain.dot").read_text(encoding="utf-8") == (tmp_path / "drawn.dot").read_text(
        encoding="utf-8")
    assert all(name in (tmp_path / "plain.dot").read_text(encoding="utf-8") for name in FUNCTION_NAMES)

    # JSON: the same nodes, edges and attributes; only the boxes are estimated.
    plain = json.loads((tmp_path / "plain.json").read_text(encoding="utf-8"))
    drawn = json.loads((tmp_path / "drawn.json").read_text(encoding="utf-8"))
    boxes = ("x", "y", "width", "height")
    assert _without(plain["nodes"], boxes) == _without(drawn["nodes"], boxes)
    assert _without(plain["edges"], ("points",)) == _without(drawn["edges"], ("points",))
    for node in plain["nodes"]:
        assert node["width"] > 0 and node["height"] > 0
        assert set(boxes) <= set(node)
    # Each estimated width within half of the measured one: the layout keeps boxes apart alike.
    measured = {node["id"]: node["width"] for node in drawn["nodes"]}
    assert all(0.5 < node["width"] / measured[node["id"]] < 1.5 for node in plain["nodes"])

    graphml = nx.read_graphml(tmp_path / "plain.graphml")
    assert sorted(graphml.nodes) == sorted(node["id"] for node in plain["nodes"])
    assert graphml.number_of_edges() == len(plain["edges"])


def test_a_picture_without_qt_is_refused_in_one_line(tmp_path):
    source = write_tutorial(tmp_path)
    result = export_without_qt(source, "-o", tmp_path / "graph.png")
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert ".png is drawn with Qt, and PySide6 cannot be imported" in result.stderr
    assert ".json" in result.stderr
    assert not (tmp_path / "graph.png").exists()


def _without(entries: list, keys: tuple) -> list:
    return [{key: value for key, value in entry.items() if key not in keys} for entry in entries]
