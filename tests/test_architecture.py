"""The layers' one-way dependencies (see README, "How it is built").

engine imports neither Qt nor networkx; explorer.program and explorer.graph
import no Qt at all; nothing below the UI imports explorer.ui; no module of
the app ever calls eval or exec.
"""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def imported_modules(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


def python_files(folder):
    return sorted((ROOT / folder).rglob("*.py"))


FORBIDDEN = [
    ("engine", ("PySide6", "networkx", "pyqtgraph", "explorer")),
    ("explorer/program", ("PySide6", "pyqtgraph", "networkx", "explorer.ui", "explorer.graph")),
    ("explorer/graph", ("PySide6", "pyqtgraph", "explorer.ui")),
    ("explorer/sources", ("PySide6", "pyqtgraph", "networkx", "explorer.ui", "explorer.graph",
                          "explorer.export")),
]


@pytest.mark.parametrize("folder,forbidden", FORBIDDEN, ids=[f for f, _ in FORBIDDEN])
def test_layer_imports(folder, forbidden):
    offenders = [
        f"{path.relative_to(ROOT)} imports {module}"
        for path in python_files(folder)
        for module in imported_modules(path)
        if any(module == name or module.startswith(name + ".") for name in forbidden)
    ]
    assert offenders == []


def test_no_eval_or_exec_in_the_app():
    offenders = []
    for folder in ("engine", "explorer"):
        for path in python_files(folder):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                        and node.func.id in ("eval", "exec", "compile")):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.func.id}")
    assert offenders == []
