"""``autograd-explorer [FILE]`` opens the app; ``autograd-explorer export ...`` renders headless.

With no FILE the first built-in lesson opens (or the tutorial's first example when
no lesson is installed), so the first thing a newcomer sees is a graph.
"""
from __future__ import annotations

import argparse
import sys


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="autograd-explorer", description="See PyTorch's autograd work.",
        epilog="Headless export: autograd-explorer export FILE -o OUT.png|.svg|.pdf|.gif|.html "
               "(autograd-explorer export --help for the options).")
    parser.add_argument("file", nargs="?", help="a computation or lesson file (.json) to open")
    parser.add_argument("--lang", choices=("en", "zh"),
                        help="interface language (default: the last one chosen, else the system's)")
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "export":
        from explorer.export.cli import main as export_main

        return export_main(argv[1:])
    arguments = build_parser().parse_args(argv)
    from explorer.startup_check import startup_problem

    problem = startup_problem()
    if problem is not None:
        print(problem, file=sys.stderr)
        return 1
    return run_app(arguments.file, arguments.lang)


def create_window(path: str | None = None, organisation: str | None = None):
    """The main window with ``path`` (or the first lesson) open; needs a QApplication."""
    from explorer.ui.lessons import FIRST_EXAMPLE, first_lesson
    from explorer.ui.main_window import MainWindow
    from explorer.ui.program_bridge import parse_program
    from explorer.ui.settings import ORGANISATION

    window = MainWindow(organisation or ORGANISATION)
    lesson = path or first_lesson()
    if lesson is None or not window.files.load(str(lesson)):
        window.open_program(parse_program(FIRST_EXAMPLE))
    # After a crash, the work saved aside replaces what was just opened (when the user agrees).
    window.autosave.offer_restore()
    return window


def run_app(path: str | None = None, lang: str | None = None) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from explorer.i18n import install_translator
    from explorer.ui.settings import APPLICATION, ORGANISATION, Preferences
    from explorer.ui.view_options import saved_language

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    # Before any window exists, so every text is made in the chosen language.
    install_translator(app, lang or saved_language(Preferences()))
    window = create_window(path)
    window.show()
    # Once the window has painted: the full collection in settle_heap takes a moment.
    QTimer.singleShot(1000, settle_heap)
    return app.exec()


def settle_heap():
    """Move everything start-up made (Qt wrappers, numpy, networkx...) out of the
    cyclic collector's sight: later full collections then walk only what the
    app creates afterwards, instead of pausing the window for a tenth of a second."""
    import gc

    gc.collect()
    gc.freeze()


if __name__ == "__main__":
    sys.exit(main())
