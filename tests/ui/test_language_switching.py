"""Switching language and back shows exactly the texts the window started with.

"Step back" and "One step back" share a Chinese translation (后退一步): going back to
English from the shown text alone renamed the Step back button "One step back".
"""
from PySide6.QtWidgets import QApplication

from tests.i18n.walk import shown_texts


def _texts(window):
    skip = [window.block_list, window.code_pane, window.console]
    return sorted((text, type(where).__name__, getattr(where, "objectName", lambda: "")())
                  for text, where in shown_texts(window, skip) if text)


def test_language_switching_english_chinese_english_renames_nothing(window):
    before = _texts(window)
    try:
        for language in ("zh", "en", "zh"):
            window.view_options.set_language(language)
            QApplication.processEvents()
    finally:
        window.view_options.set_language("en")
        QApplication.processEvents()
    after = _texts(window)
    assert [entry for entry in after if entry not in before] == []


def test_temporary_and_saved_freed_stay_english_in_chinese_no_more(qapp):
    from explorer.drawing.graph_items import translated
    from explorer.graph.build import FUNCTION
    from explorer.graph.node_text import node_lines
    from explorer.i18n import install_translator

    tensor = {"kind": "tensor", "label": "", "alive": False, "detail": "(2,) float32"}
    function = {"kind": FUNCTION, "label": "MulBackward0", "detail": "saved: freed"}
    try:
        install_translator(qapp, "zh")
        assert node_lines(tensor, translate=translated)[0][0] == "（临时）"
        assert node_lines(function, translate=translated)[1][0] == "已保存：已释放"
        assert node_lines(dict(function, detail="saved: 2"), translate=translated)[1][0] == "已保存：2"
    finally:
        install_translator(qapp, "en")
    assert node_lines(tensor, translate=translated)[0][0] == "(temporary)"
    assert node_lines(function, translate=translated)[1][0] == "saved: freed"
