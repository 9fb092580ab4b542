"""View ▸ Share with Class in the window: the teacher's steps reach a student, answers show as
a bar chart until Reveal, and unchecking frees the port."""
import socket

import aiohttp
import pytest
from PySide6.QtCore import QCoreApplication, QEvent

from .clients import StreamStudent

TEST_ORGANISATION = "autograd-explorer-tests"


@pytest.fixture
def window(qtbot, settings_folder):
    from explorer.ui.main_window import MainWindow

    main_window = MainWindow(TEST_ORGANISATION)
    main_window.files.ask_save_changes = lambda: "discard"
    main_window.show()
    qtbot.waitExposed(main_window)
    main_window.backward_tools.lesson_browser.open_lesson("backward-scalar")
    controller = main_window.controller
    qtbot.waitUntil(lambda: controller.timeline is not None and not controller.running)
    yield main_window
    main_window.share.stop()
    main_window.close()
    main_window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def latest(student):
    return student.seen[-1] if student.seen else (0, -1, -1, 0)


async def answer(url, question, choice, client):
    async with aiohttp.ClientSession() as session:
        body = {"question": question, "choice": choice, "client": client}
        async with session.post(url + "answer", json=body) as response:
            return response.status


def test_sharing_sends_the_teachers_steps_and_shows_the_tally(qtbot, window, clients):
    panel = window.share
    panel.host = "127.0.0.1"
    panel.action.trigger()
    assert panel.active and panel.action.isChecked()
    url = panel.share.url
    assert url in panel.address.text() and url in panel.card.address.text()
    assert panel.card.isVisible() and not panel.card.code.pixmap().isNull()
    assert panel.dock.isVisible()
    # Presenting hides the docks and the graph's buttons; the address stays for the room.
    window.presentation.enter()
    qtbot.waitUntil(lambda: window.isFullScreen())
    assert panel.card.isVisible() and not panel.dock.isVisible()
    window.presentation.leave()
    qtbot.waitUntil(lambda: not window.isFullScreen())
    assert panel.dock.isVisible()

    student = StreamStudent(url)
    clients.run(student.connect())
    try:
        qtbot.waitUntil(lambda: latest(student)[1] == 0)
        window.controller.step_forward()
        qtbot.waitUntil(lambda: latest(student)[1] == 1)

        # The question before backward: two students answer, the chart counts them.
        frames = window.controller.frames
        backward = next(frame.index for frame in frames if frame.ran_backward)
        window.controller.go_to(backward - 1)
        qtbot.waitUntil(lambda: latest(student)[1] == backward - 1)
        question, _ = panel.share.answer_counts()
        assert question is not None
        assert clients.run(answer(url, question["id"], 0, "first-student")) == 200
        assert clients.run(answer(url, question["id"], 2, "second-student")) == 200
        qtbot.waitUntil(lambda: panel.chart.counts == [1, 0, 1])
        assert panel.chart.isVisible()

        # Reveal in the lesson panel: students get the answer, the chart goes.
        window.backward_tools.lesson_browser.question.reveal_button.click()
        qtbot.waitUntil(lambda: (panel.share.hub.message["question"] or {}).get("answer") == 0)
        qtbot.waitUntil(lambda: not panel.chart.isVisible())

        # The backward frame opens before its first event; stepping the animator is sent too.
        window.controller.go_to(backward)
        qtbot.waitUntil(lambda: latest(student)[1:3] == (backward, -1))
        window.backward_tools.animator.step_forward()
        qtbot.waitUntil(lambda: latest(student)[1:3] == (backward, 0))
        message = panel.share.hub.message
        assert message["question"]["answer"] is None   # a new question: predict first
        assert message["code"].splitlines()[message["line"] - 1].strip() == "out.backward()"
    finally:
        clients.run(student.close())

    port = panel.share.server.port
    panel.action.trigger()
    assert not panel.active and not panel.card.isVisible() and not panel.dock.isVisible()
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()


def test_closing_the_window_stops_sharing(qtbot, window):
    panel = window.share
    panel.host = "127.0.0.1"
    panel.action.trigger()
    port = panel.share.server.port
    window.close()
    qtbot.waitUntil(lambda: not panel.active)
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()


def test_the_class_follows_the_apps_language(qtbot, window, clients):
    panel = window.share
    panel.host = "127.0.0.1"
    panel.action.trigger()

    def language():
        return (panel.share.hub.message or {}).get("language")
    qtbot.waitUntil(lambda: language() == "en")
    try:
        window.view_options.set_language("zh")
        qtbot.waitUntil(lambda: language() == "zh")
        message = panel.share.hub.message
        assert message["title"] == "从标量反向传播：d(out)/dx"
        assert panel.share.hub.page().decode().count('data-language="zh"') == 1
    finally:
        window.view_options.set_language("en")
        qtbot.waitUntil(lambda: language() == "en")
