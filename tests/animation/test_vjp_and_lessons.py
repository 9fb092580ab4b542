"""The VJP panel edits v through the program and checks vᵀJ; the lesson browser opens lessons."""
import numpy as np

from explorer.lessons import list_lessons, load_lesson
from tests.ui.conftest import require_engine

from .conftest import backward_frames, tools


def test_vjp_panel_shows_the_jacobian_and_edits_v_as_an_undoable_command(window):
    require_engine()
    tools(window).lesson_browser.open_lesson("jacobian-vector-product")
    frame = backward_frames(window)[0]
    window.controller.go_to(frame.index)
    panel = tools(window).vjp_panel
    assert panel.applies and tools(window).vjp_dock.isVisibleTo(window)
    assert panel.v_edit.text() == "0.1, 1, 0.0001"
    assert panel.table.rowCount() == 3 and panel.table.columnCount() == 3
    assert panel.table.item(0, 0).text() == "512" and panel.table.item(0, 1).text() == "0"
    assert "✓" in panel.verdict.text()
    panel.v_edit.setText("1, -2, 0.5")
    panel.v_edit.returnPressed.emit()
    assert window.document.undo_stack.count() == 1
    assert "v = torch.tensor([1.0, -2.0, 0.5], dtype=torch.float)" in window.code_pane.text()
    frame = backward_frames(window)[0]
    window.controller.go_to(frame.index)
    accumulated = [e.after for e in frame.events if e.kind == "grad_accumulated"][0]
    assert np.allclose(accumulated, [512, -1024, 256])
    assert "✓" in panel.verdict.text()
    window.document.undo_stack.undo()
    assert "v = torch.tensor([0.1, 1.0, 0.0001]" in window.code_pane.text()


def test_vjp_panel_says_when_it_does_not_apply(window):
    require_engine()
    tools(window).lesson_browser.open_lesson("backward-scalar")
    window.controller.last()
    assert not tools(window).vjp_panel.applies
    assert not tools(window).vjp_panel.v_edit.isEnabled()


def test_lesson_browser_lists_titles_in_the_current_language(window):
    browser = tools(window).lesson_browser
    lessons = list_lessons()
    assert browser.list.count() == len(lessons)
    browser.set_language("en")
    assert browser.list.item(0).text() == f"1. {lessons[0].title['en']}"
    browser.set_language("zh")
    assert browser.list.item(0).text() == f"1. {lessons[0].title['zh']}"
    browser.set_language("en")


def test_opening_a_lesson_narrates_steps_and_reveals_answers(window):
    require_engine()
    browser = tools(window).lesson_browser
    row = [browser.list.item(i).data(256) for i in range(browser.list.count())].index("data-edits")
    browser.list.setCurrentRow(row)
    browser.open_button.click()
    narration = load_lesson("data-edits").narration
    assert window.controller.index == 0
    assert browser.caption.text() == narration[0]["en"]
    asked = next(index for index, entry in enumerate(narration) if "question" in entry)
    question_data = narration[asked]["question"]
    step = next(f for f in window.controller.frames if f.path == (asked,))
    window.controller.go_to(step.index)
    assert browser.caption.text() == narration[asked]["en"]
    question = browser.question
    assert question.isVisibleTo(browser)
    assert question.prompt.text() == question_data["prompt"]["en"]
    buttons = question.choices.buttons()
    wrong = next(i for i in range(len(buttons)) if i != question_data["answer"])
    buttons[wrong].setChecked(True)
    question.reveal_button.click()
    assert question.answer.text() == "Not quite. " + question_data["explanation"]["en"]
    assert buttons[question_data["answer"]].text().startswith("✓")
    browser.set_language("zh")
    assert browser.caption.text() == narration[asked]["zh"]
    assert question.prompt.text() == question_data["prompt"]["zh"]
    browser.set_language("en")
