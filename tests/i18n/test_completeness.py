"""Every text the main window shows is Chinese once the Chinese translation is installed.

Texts that are not words of the interface are allowed as they are: Python source (block
titles, code), PyTorch's names, key names, the product's name and each language's own name.
"""
import re

from PySide6.QtWidgets import QApplication

from explorer.ui.block_catalog import BLOCKS

from .conftest import build_window
from .walk import shown_texts

CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]")
ALLOWED = {
    "Autograd Explorer", "English", "简体中文", "Function (grad_fn)", "AccumulateGrad",
    "requires_grad=False", "Ctrl+S", "F5", "v =",
}
# Python source shown as-is: the palette's block titles are the code each block adds.
ALLOWED |= {kind.title for kind in BLOCKS}
# PyTorch node names and numbers (a node count, a zoom percentage) read the same in any language.
TECHNICAL = re.compile(r"^([A-Z][A-Za-z]*Backward\d+|[\d\s.,%×/()+-]*)$")


def is_translated(text: str) -> bool:
    text = text.strip()
    return not text or bool(CJK.search(text)) or text in ALLOWED or bool(TECHNICAL.match(text))


def untranslated(window):
    skip = [window.block_list, window.code_pane, window.console]
    found = set()
    for text, where in shown_texts(window, skip):
        if not is_translated(text):
            name = where.objectName() if hasattr(where, "objectName") else ""
            found.add((text, type(where).__name__, name))
    return sorted(found)


def test_main_window_built_in_chinese_shows_no_english(qtbot, settings_folder, chinese):
    window = build_window(qtbot)
    assert untranslated(window) == []
    assert window.menuBar().actions()[0].text() == "文件(&F)"


def test_switching_language_at_run_time_retranslates_everything(qtbot, settings_folder):
    window = build_window(qtbot)
    assert window.menuBar().actions()[0].text() == "&File"
    window.view_options.set_language("zh")
    QApplication.processEvents()
    try:
        assert untranslated(window) == []
        assert window.timeline_bar.position.text().startswith("第 ")
        assert window.view_options.language_actions["zh"].isChecked()
    finally:
        window.view_options.set_language("en")
        QApplication.processEvents()
    assert window.menuBar().actions()[0].text() == "&File"
    assert window.timeline_bar.position.text().startswith("frame ")
    assert window.inspector.title.text() == "Inspector"


def test_language_choice_is_remembered(qtbot, settings_folder):
    from explorer.ui.view_options import saved_language

    window = build_window(qtbot)
    try:
        window.view_options.set_language("zh")
        assert saved_language(window.preferences) == "zh"
    finally:
        window.view_options.set_language("en")
        QApplication.processEvents()
    assert saved_language(window.preferences) == "en"


def test_undo_text_follows_the_language(qtbot, settings_folder):
    window = build_window(qtbot)
    window.code_pane.set_text("x = torch.ones(2, requires_grad=True)\n")
    window.code_pane.parse_now()
    assert window.undo_action.text() == "&Undo Edit Code"
    window.view_options.set_language("zh")
    QApplication.processEvents()
    try:
        assert window.undo_action.text().startswith("撤销")
    finally:
        window.view_options.set_language("en")
        QApplication.processEvents()
