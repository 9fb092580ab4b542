"""The layers' one-way dependencies (see README, "How it is built").

The arrows live in ``.importlinter`` (engine imports neither Qt nor networkx nor the
app; explorer.program, explorer.graph and explorer.sources import no Qt and nothing
above them), checked by import-linter with relative imports included; no module of
the app ever calls eval or exec.
"""
import ast
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def python_files(folder):
    return sorted((ROOT / folder).rglob("*.py"))


def test_the_layer_contracts_hold():
    """``.importlinter`` states the arrows (relative imports included); lint-imports checks them."""
    importlinter = pytest.importorskip("importlinter.cli")
    previous = os.getcwd()
    os.chdir(ROOT)
    try:
        status = importlinter.lint_imports(config_filename=str(ROOT / ".importlinter"),
                                           no_cache=True, no_logo=True)
    finally:
        os.chdir(previous)
    assert status == importlinter.EXIT_STATUS_SUCCESS


def test_no_eval_or_exec_in_the_app():
    offenders = []
    for folder in ("engine", "explorer"):
        for path in python_files(folder):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                        and node.func.id in ("eval", "exec", "compile")):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.func.id}")
    assert offenders == []
