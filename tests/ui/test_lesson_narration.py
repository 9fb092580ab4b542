"""Opening a lesson shows its narration beside the graph, step by step."""
from explorer.lessons import list_lessons, load_lesson


def test_opening_a_lesson_shows_the_narration_of_the_current_step(window, qtbot):
    lesson = list_lessons()[2]
    assert window.files.load(str(lesson.path))
    tools = window.backward_tools
    qtbot.waitUntil(lambda: tools.lessons_dock.isVisible())
    window.controller.go_to(0)
    expected = load_lesson(lesson.id).narration[0]["en"]
    assert tools.lesson_browser.caption.text() == expected


def test_a_plain_program_does_not_open_the_lessons_panel(window):
    from explorer.ui.program_bridge import parse_program
    window.open_program(parse_program("x = torch.ones(2)\n"))
    assert not window.backward_tools.lessons_dock.isVisible()
