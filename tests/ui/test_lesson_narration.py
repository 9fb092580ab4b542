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


def test_a_lesson_opened_from_a_file_starts_on_its_first_frame(window):
    from explorer.lessons import lessons_folder
    path = sorted(lessons_folder().glob("*.agx.json"))[0]
    assert window.files.load(str(path))
    assert window.controller.wait(30)
    assert window.controller.index == 0
    assert len(window.controller.frames) > 1


def test_a_lesson_opened_during_a_background_run_starts_on_its_first_frame(window):
    from explorer.lessons import lessons_folder
    window.controller.sync_budget_s = 0.0
    path = sorted(lessons_folder().glob("*.agx.json"))[2]
    assert window.files.load(str(path))
    assert window.controller.wait(30)
    assert window.controller.index == 0
