"""The committed translation files match the code: every text listed, translated and compiled."""
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication

from explorer.i18n import (
    install_translator,
    lrelease_program,
    normalise_language,
    translation_file,
    translation_source,
)

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "assets" / "translations" / "autograd_explorer_zh_CN.ts"
QM = TS.with_suffix(".qm")
# Where the interface's texts are written (as in assets/translations/README.md).
TEXT_SOURCES = ("explorer/ui/*.py", "explorer/drawing/*.py", "explorer/graph/node_text.py")


def tool(name):
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed (it comes with PySide6-Essentials)")
    return found


def messages(path):
    """source -> (translation, finished) of every message in a .ts file."""
    found = {}
    for message in ElementTree.parse(path).iter("message"):
        translation = message.find("translation")
        finished = translation.get("type") not in ("unfinished", "vanished", "obsolete")
        found[message.find("source").text] = (translation.text or "", finished)
    return found


def test_every_entry_is_translated_and_keeps_its_placeholders():
    import re

    for source, (translation, finished) in messages(TS).items():
        assert finished and translation.strip(), f"untranslated: {source!r}"
        assert sorted(re.findall(r"{\w+}", source)) == sorted(re.findall(r"{\w+}", translation)), source


def test_catalogue_lists_exactly_the_texts_of_the_code(tmp_path):
    lupdate = tool("pyside6-lupdate")
    fresh = tmp_path / TS.name
    shutil.copy(TS, fresh)
    sources = sorted(str(path.relative_to(ROOT)) for pattern in TEXT_SOURCES for path in ROOT.glob(pattern))
    subprocess.run([lupdate, "-silent", "-tr-function-alias", "tr+=trf", "-no-obsolete", "-locations", "none",
                    *sources, "-ts", str(fresh)], cwd=ROOT, check=True, capture_output=True, timeout=120)
    missing = sorted(set(messages(fresh)) - set(messages(TS)))
    stale = sorted(set(messages(TS)) - set(messages(fresh)))
    assert not missing and not stale, (
        f"run the lupdate command of assets/translations/README.md; new texts: {missing}, gone: {stale}")


def test_compiled_file_is_up_to_date(tmp_path):
    lrelease = tool("pyside6-lrelease")
    compiled = tmp_path / QM.name
    subprocess.run([lrelease, "-silent", str(TS), "-qm", str(compiled)], check=True, capture_output=True,
                   timeout=60)
    assert QM.exists(), "commit the .qm: run the lrelease command of assets/translations/README.md"
    assert compiled.read_bytes() == QM.read_bytes(), "the .qm is older than the .ts: run lrelease"


def test_install_translator_switches_and_falls_back(qapp):
    try:
        assert install_translator(qapp, "zh") == "zh"
        assert QCoreApplication.translate("", "&File") == "文件(&F)"
        # Qt's own texts (standard buttons) come along.
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") != "Cancel"
    finally:
        assert install_translator(qapp, "en") == "en"
    assert QCoreApplication.translate("", "&File") == "&File"


def test_language_names_are_normalised():
    assert [normalise_language(name) for name in ("zh", "zh_CN", "zh-Hans", "en_GB", "fr", None)] == [
        "zh", "zh", "zh", "en", None, None]
    assert translation_source("en") is None and translation_file("en") is None
    assert translation_source("zh") == TS


def test_app_and_export_accept_a_language():
    from explorer.cli import build_parser

    assert build_parser().parse_args(["--lang", "zh"]).lang == "zh"
    assert build_parser().parse_args([]).lang is None


def test_lrelease_is_found_next_to_python():
    assert lrelease_program() is None or Path(lrelease_program()).name == "pyside6-lrelease"
