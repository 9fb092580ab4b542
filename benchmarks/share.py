"""Benchmark of "Share with class": how long a teacher's step takes to reach the class.

    python benchmarks/share.py [--students 30 100] [--steps 40]

Lesson 5 is shared on 127.0.0.1 and ``--students`` stream clients connect (aiohttp, on
one loop in a thread of their own). The teacher steps back and forth through the backward
pass's events ``--steps`` times; each step's delay is the time from ``show()`` being called
to the last student having its message. Also timed: a step to a frame not drawn yet (the
drawing is made on the teacher's thread first), and a reference in the same run: the same
clients reading one byte over plain loopback TCP, the floor the server cannot beat.
Prints medians and maxima in milliseconds and each against the 300 ms bound of the issue.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BOUND_MS = 300.0
LESSON = ROOT / "assets" / "lessons" / "05-backward-scalar.agx.json"


def wait_all(students, seq):
    while not all(student.seen and student.seen[-1][0] >= seq for student in students):
        time.sleep(0.0002)


async def loopback_reference(count: int, rounds: int) -> list[float]:
    """Delays of one byte written to ``count`` loopback connections, until all have read it."""
    readers = []

    async def accept(reader, writer):
        readers.append((reader, writer))
    server = await asyncio.start_server(accept, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    clients = [await asyncio.open_connection("127.0.0.1", port) for _ in range(count)]
    while len(readers) < count:
        await asyncio.sleep(0.001)
    delays = []
    for _ in range(rounds):
        started = time.perf_counter()
        for _reader, writer in readers:
            writer.write(b"x")
        await asyncio.gather(*(reader.readexactly(1) for reader, _writer in clients))
        delays.append((time.perf_counter() - started) * 1000)
    for _reader, writer in clients + readers:
        writer.close()
    server.close()
    return delays


def measure(students_count: int, steps: int):
    from explorer.export.pipeline import load, run
    from explorer.export.scene import ensure_application
    from explorer.share.session import ClassShare
    from tests.share.clients import ClientLoop, StreamStudent

    ensure_application()
    document = load(LESSON)
    timeline = run(document)
    backward = next(frame.index for frame in timeline.frames if frame.ran_backward)
    events = len(timeline.frames[backward].events)
    share = ClassShare(host="127.0.0.1")
    clients = ClientLoop()
    url = share.start()
    try:
        share.show_run(document, timeline)
        share.show(0)
        students = [StreamStudent(url) for _ in range(students_count)]
        clients.run_all([student.connect() for student in students])
        wait_all(students, share.hub.message["seq"])
        started = time.perf_counter()
        wait_all(students, share.show(backward, -1)["seq"])
        new_frame = (time.perf_counter() - started) * 1000
        delays = []
        for number in range(steps):
            event = number % events
            started = time.perf_counter()
            seq = share.show(backward, event)["seq"]
            wait_all(students, seq)
            delays.append((time.perf_counter() - started) * 1000)
        reference = clients.run(loopback_reference(students_count, steps))
        clients.run_all([student.close() for student in students])
    finally:
        share.stop()
        clients.close()
    return delays, new_frame, reference


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, nargs="+", default=[30, 100])
    parser.add_argument("--steps", type=int, default=40)
    options = parser.parse_args()
    for count in options.students:
        delays, new_frame, reference = measure(count, options.steps)
        median, worst, floor = statistics.median(delays), max(delays), statistics.median(reference)
        print(f"{count} students, an animation step: median {median:.1f} ms, max {worst:.1f} ms "
              f"({worst / BOUND_MS:.2f} of the {BOUND_MS:.0f} ms bound); loopback TCP alone: median "
              f"{floor:.2f} ms (step / loopback {median / floor:.1f}x)")
        print(f"{count} students, a step to a frame not drawn yet: {new_frame:.1f} ms "
              f"({new_frame / BOUND_MS:.2f} of the bound)")


if __name__ == "__main__":
    main()
