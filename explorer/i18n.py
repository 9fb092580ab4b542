"""Which language the interface speaks, and the Qt translators that make it speak it.

The app and the export command share ``install_translator(app, lang)``. Languages
are "en" (the source texts, no translation file) and "zh" (Simplified Chinese,
``assets/translations/autograd_explorer_zh_CN.qm`` plus Qt's own ``qtbase_zh_CN``
for standard buttons and dialogs). A missing ``.qm`` is compiled from the ``.ts``
at load time when ``pyside6-lrelease`` is at hand, so a checkout works before anyone
has run the release step.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

LANGUAGES = ("en", "zh")
LANGUAGE_NAMES = {"en": "English", "zh": "简体中文"}
QT_LOCALES = {"en": "en_US", "zh": "zh_CN"}
CATALOG = "autograd_explorer"

_HERE = Path(__file__).resolve().parent
TRANSLATION_FOLDERS = (_HERE / "assets" / "translations", _HERE.parent / "assets" / "translations")

# Translators currently installed, per application, so a switch can remove them again.
_installed: dict[int, list[QTranslator]] = {}


def normalise_language(lang: str | None) -> str | None:
    """"zh", "zh_CN", "zh-Hans" -> "zh"; "en_GB" -> "en"; anything else -> None."""
    if not lang:
        return None
    base = lang.replace("-", "_").split("_")[0].lower()
    return base if base in LANGUAGES else None


def system_language() -> str:
    """The language of the system locale when we have it, else English."""
    locale = QLocale.system()
    for name in [locale.name()] + list(locale.uiLanguages()):
        found = normalise_language(name)
        if found:
            return found
    return "en"


def translation_source(lang: str) -> Path | None:
    """The ``.ts`` file of ``lang`` (None for English, the source language)."""
    return _find(f"{CATALOG}_{QT_LOCALES[lang]}.ts") if lang != "en" else None


def translation_file(lang: str) -> Path | None:
    """The compiled ``.qm`` of ``lang``, compiling it first when it is missing or older than the ``.ts``."""
    if lang == "en":
        return None
    name = f"{CATALOG}_{QT_LOCALES[lang]}"
    compiled = _find(f"{name}.qm")
    source = _find(f"{name}.ts")
    if source is not None and (compiled is None or _older(compiled, source)):
        compiled = compile_translation(source) or compiled
    return compiled


def lrelease_program() -> str | None:
    """``pyside6-lrelease`` next to the running Python, else on PATH."""
    beside = Path(sys.executable).parent / "pyside6-lrelease"
    if beside.exists():
        return str(beside)
    return shutil.which("pyside6-lrelease")


def compile_translation(source: Path, target: Path | None = None) -> Path | None:
    """Run lrelease on ``source``; the ``.qm`` path, or None when lrelease is missing or fails."""
    program = lrelease_program()
    target = target or source.with_suffix(".qm")
    if program is None or not os.access(target.parent, os.W_OK):
        return None
    result = subprocess.run([program, "-silent", str(source), "-qm", str(target)],
                            capture_output=True, text=True, timeout=60, check=False)
    return target if result.returncode == 0 and target.exists() else None


def install_translator(app: QCoreApplication, lang: str | None) -> str:
    """Make ``app`` speak ``lang`` ("en", "zh"; None means the system's language).

    Replaces translators installed by an earlier call, so it doubles as the run-time
    switch; Qt then sends every widget a LanguageChange event. Returns the language
    in effect, which is English when the translation file cannot be found.
    """
    lang = normalise_language(lang) or system_language()
    for translator in _installed.pop(id(app), []):
        app.removeTranslator(translator)
    translators = []
    if lang != "en":
        ours = _load(translation_file(lang))
        if ours is None:
            lang = "en"
        else:
            translators.append(ours)
            qt_folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
            standard = QTranslator(app)
            if standard.load(f"qtbase_{QT_LOCALES[lang]}", qt_folder):
                translators.append(standard)
    for translator in translators:
        translator.setParent(app)
        app.installTranslator(translator)
    _installed[id(app)] = translators
    return lang


def in_language(texts: dict, language: str) -> str:
    """The text for ``language`` ("zh-CN" falls back to "zh"), else English, else any."""
    if not texts:
        return ""
    primary = language.split("-")[0]
    for key in (language, primary, "en"):
        if texts.get(key):
            return texts[key]
    return next(iter(texts.values()))


def current_language(app: QCoreApplication | None = None) -> str:
    app = app or QCoreApplication.instance()
    return "zh" if app is not None and _installed.get(id(app)) else "en"


def _load(path: Path | None) -> QTranslator | None:
    if path is None:
        return None
    translator = QTranslator()
    return translator if translator.load(str(path)) else None


def _find(name: str) -> Path | None:
    for folder in TRANSLATION_FOLDERS:
        if (folder / name).exists():
            return folder / name
    return None


def _older(first: Path, second: Path) -> bool:
    return first.stat().st_mtime < second.stat().st_mtime
