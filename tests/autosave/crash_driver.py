"""The app as a user runs it, plus one edit typed into the code pane; the test kills it.

Run as ``python crash_driver.py SOURCE_FILE``: opens the app with the default
program, then types the contents of SOURCE_FILE into the code pane.
"""
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from explorer.cli import create_window


def main():
    source = Path(sys.argv[1]).read_text(encoding="utf-8")
    app = QApplication(sys.argv[:1])
    window = create_window()
    window.show()

    def type_program():
        window.code_pane.set_text(source)
        window.code_pane.parse_now()
        print("edited", flush=True)

    QTimer.singleShot(0, type_program)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
