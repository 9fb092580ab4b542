"""A built-in lesson shared headless on 127.0.0.1, and a loop for the students' clients."""
from pathlib import Path

import pytest

LESSONS = Path(__file__).resolve().parents[2] / "assets" / "lessons"
# Lesson 5: a question before backward, then a backward pass of nine events.
LESSON = LESSONS / "05-backward-scalar.agx.json"


@pytest.fixture(scope="module")
def lesson_run():
    from explorer.export.pipeline import load, run
    from explorer.export.scene import ensure_application

    ensure_application()
    document = load(LESSON)
    return document, run(document)


@pytest.fixture
def sharing(lesson_run):
    from explorer.share.session import ClassShare

    share = ClassShare(host="127.0.0.1")
    share.start()
    share.show_run(*lesson_run)
    share.show(0)
    yield share
    share.stop()


@pytest.fixture
def clients():
    from .clients import ClientLoop

    loop = ClientLoop()
    yield loop
    loop.close()


def question_frame(timeline) -> int:
    """The frame before backward, whose step asks a question."""
    return next(frame.index for frame in timeline.frames if frame.ran_backward) - 1


def backward_frame(timeline) -> int:
    return next(frame.index for frame in timeline.frames if frame.ran_backward)
