"""A class follows live: 30 stream clients and one real Chromium see every step of a backward
animation in order, each within 300 ms of the teacher's step; answers reach the tally."""
import time

import aiohttp

from .clients import Chromium, StreamStudent, chromium_program
from .conftest import backward_frame, question_frame

STUDENTS = 30
BOUND_S = 0.300


def wait_until(condition, timeout: float = 5.0):
    deadline = time.perf_counter() + timeout
    while not condition():
        assert time.perf_counter() < deadline, "timed out"
        time.sleep(0.005)


async def post_answer(url, question, choice, client):
    async with aiohttp.ClientSession() as session:
        async with session.post(url + "answer", json={"question": question, "choice": choice,
                                                      "client": client}) as response:
            return response.status


def test_thirty_students_and_a_browser_see_every_event_in_order(sharing, lesson_run, clients, tmp_path):
    chromium_program()
    _document, timeline = lesson_run
    url = sharing.url
    students = [StreamStudent(url) for _ in range(STUDENTS)]
    browser = Chromium(tmp_path / "profile")
    try:
        clients.run_all([student.connect() for student in students])
        clients.run(browser.launch(), 90)
        clients.run(browser.open(url))
        first = sharing.hub.message["seq"]
        wait_until(lambda: all(student.seen for student in students))
        clients.run(browser.wait_for(f"document.body.getAttribute('data-seq') === '{first}'"))

        # The teacher: the question's frame, then backward event by event.
        frame = backward_frame(timeline)
        steps = [(question_frame(timeline), -1)] + [(frame, event) for event in
                                                     range(-1, len(timeline.frames[frame].events))]
        sent = []
        for frame_index, event_index in steps:
            started_wall, started = time.time(), time.perf_counter()
            seq = sharing.show(frame_index, event_index)["seq"]
            sent.append((seq, frame_index, event_index, started, started_wall))
            wait_until(lambda seq=seq: all(student.seen[-1][0] >= seq for student in students))
            clients.run(browser.wait_for(f"Number(document.body.getAttribute('data-seq')) >= {seq}"))
        shown = clients.run(browser.evaluate("window.shareLog"))
        errors = clients.run(browser.evaluate("document.getElementById('errors').textContent"))
    finally:
        clients.run(browser.close())
        clients.run_all([student.close() for student in students])

    expected = [(seq, frame_index, event_index) for seq, frame_index, event_index, _, _ in sent]
    for number, student in enumerate(students):
        received = [entry for entry in student.seen if entry[0] >= sent[0][0]]
        assert [entry[:3] for entry in received] == expected, f"student {number}"
        for (seq, _, _, started, _), entry in zip(sent, received):
            delay = entry[3] - started
            assert delay < BOUND_S, f"student {number}: seq {seq} after {delay:.3f} s"
    in_browser = [entry for entry in shown if entry["seq"] >= sent[0][0]]
    assert [(entry["seq"], entry["frame"], entry["event"]) for entry in in_browser] == expected
    for (seq, _, _, _, started_wall), entry in zip(sent, in_browser):
        assert entry["t"] / 1000 - started_wall < BOUND_S, f"browser: seq {seq}"
    assert errors == ""


def test_an_answer_reaches_the_tally_once_per_page(sharing, lesson_run, clients, tmp_path):
    chromium_program()
    _document, timeline = lesson_run
    sharing.show(question_frame(timeline))
    question, counts = sharing.answer_counts()
    assert question is not None and question["answer"] is None and counts == [0] * len(question["choices"])
    url = sharing.url
    assert clients.run(post_answer(url, question["id"], 1, "student-one-aaaa")) == 200
    # The same page changes its mind: still one answer.
    assert clients.run(post_answer(url, question["id"], 0, "student-one-aaaa")) == 200
    assert sharing.answer_counts()[1] == [1, 0, 0]
    browser = Chromium(tmp_path / "profile")
    try:
        clients.run(browser.launch(390, 844), 90)
        clients.run(browser.open(url))
        clients.run(browser.wait_for("document.querySelectorAll('#choices button').length === 3"))
        clients.run(browser.evaluate("document.querySelectorAll('#choices button')[2].click()"))
        clients.run(browser.wait_for("document.querySelector('#choices button.picked')"))
        assert sharing.answer_counts()[1] == [1, 0, 1]
        # Reveal: the page shows the answer, and no more answers are counted.
        sharing.show(question_frame(timeline), revealed=True)
        clients.run(browser.wait_for("document.querySelector('#choices button.answer')"))
        assert clients.run(browser.evaluate("document.querySelector('#choices button.answer').textContent"))\
            .startswith("A. None")
    finally:
        clients.run(browser.close())
    assert clients.run(post_answer(url, question["id"], 2, "student-two-bbbb")) == 409
    assert sharing.answer_counts()[1] == [1, 0, 1]


def test_a_student_scrubs_back_privately_and_follows_again(sharing, lesson_run, clients, tmp_path):
    chromium_program()
    _document, timeline = lesson_run
    frame = backward_frame(timeline)
    browser = Chromium(tmp_path / "profile")
    try:
        clients.run(browser.launch(), 90)
        clients.run(browser.open(sharing.url))
        for event in range(3):
            seq = sharing.show(frame, event)["seq"]
            clients.run(browser.wait_for(f"document.body.getAttribute('data-seq') === '{seq}'"))
        clients.run(browser.evaluate("document.getElementById('back').click()"))
        clients.run(browser.wait_for("document.body.getAttribute('data-event') === '1'"))
        assert clients.run(browser.evaluate("document.body.getAttribute('data-following')")) == "0"
        latest = sharing.show(frame, 3)["seq"]
        # Paused: the new step is kept but not shown until Follow.
        clients.run(browser.wait_for("!document.getElementById('follow').hidden && "
                                     "document.getElementById('follow').textContent.indexOf('2') >= 0"))
        assert clients.run(browser.evaluate("document.body.getAttribute('data-event')")) == "1"
        # A tap on a node shows what the snapshot holds about it.
        x, y = clients.run(browser.evaluate(
            "(function () { var box = document.querySelector('[data-node].current').getBoundingClientRect();"
            " return [box.left + box.width / 2, box.top + box.height / 2]; })()"))
        clients.run(browser.click(x, y))
        inspected = clients.run(browser.evaluate("document.getElementById('node').textContent"))
        assert "Backward" in inspected, inspected
        clients.run(browser.evaluate("document.getElementById('follow').click()"))
        clients.run(browser.wait_for(f"document.body.getAttribute('data-seq') === '{latest}'"))
        assert clients.run(browser.evaluate("document.body.getAttribute('data-following')")) == "1"
    finally:
        clients.run(browser.close())
