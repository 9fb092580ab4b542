"""What pages are told: no answer before Reveal, the app's language, and a stalled reader is
dropped instead of holding the teacher up."""
import asyncio
import json
import socket

import aiohttp

from explorer.share import limits

from .conftest import question_frame


async def first_message(url):
    async with aiohttp.ClientSession() as session, session.get(url + "stream") as response:
        return json.loads((await response.content.readline())[len(b"data: "):])


def test_no_page_is_told_the_answer_before_reveal(sharing, lesson_run, clients):
    document, timeline = lesson_run
    frame = timeline.frames[question_frame(timeline)]
    sharing.show(frame.index)
    secret = next(entry["question"] for entry in document.narration
                  if isinstance(entry, dict) and "question" in entry and
                  entry["question"]["prompt"]["en"] == sharing.hub.message["question"]["prompt"])
    message = clients.run(first_message(sharing.url))
    assert message["question"]["answer"] is None and message["question"]["explanation"] == ""
    assert secret["explanation"]["en"] not in json.dumps(message)
    sharing.show(frame.index, revealed=True)
    message = clients.run(first_message(sharing.url))
    assert message["question"]["answer"] == secret["answer"]
    assert message["question"]["explanation"] == secret["explanation"]["en"]


def test_the_page_and_the_messages_follow_the_apps_language(sharing, lesson_run, clients):
    sharing.set_language("zh")

    async def page():
        async with aiohttp.ClientSession() as session, session.get(sharing.url) as response:
            return await response.text()
    text = clients.run(page())
    assert 'lang="zh-CN"' in text and "跟随老师" in text
    message = clients.run(first_message(sharing.url))
    assert message["language"] == "zh" and message["title"] == lesson_run[0].title["zh"]
    assert message["drawing"].split("-")[1] == "zh"   # captions are drawn in Chinese too


def test_a_page_that_stops_reading_is_dropped(sharing, clients):
    reader = socket.create_connection(("127.0.0.1", sharing.server.port))
    reader.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    reader.sendall(f"GET /{sharing.server.token}/stream HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    try:
        clients.run(wait_for_streams(sharing.hub, 1))
        # The page never reads: its queue fills behind the blocked socket and it is ended.
        big = {"narration": "x" * 8000}
        for _ in range(limits.STREAM_QUEUE * 4):
            sharing.hub.publish(big)
        clients.run(wait_for_streams(sharing.hub, 0), 15)
    finally:
        reader.close()


async def wait_for_streams(hub, count):
    while hub.stream_count != count:
        await asyncio.sleep(0.01)


def test_the_page_loads_nothing_from_elsewhere_and_leaks_no_address(sharing, clients):
    async def heads():
        async with aiohttp.ClientSession() as session:
            found = {}
            for path in ("", "stream", "drawing/" + sharing.hub.message["drawing"]):
                async with session.get(sharing.url + path) as response:
                    found[path] = dict(response.headers)
            return found
    headers = clients.run(heads())
    policy = headers[""]["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "connect-src 'self'" in policy and "http" not in policy
    for found in headers.values():
        assert found["X-Content-Type-Options"] == "nosniff"
        assert found["Referrer-Policy"] == "no-referrer"   # the token never leaves in a Referer
        assert found["Cache-Control"] == "no-store"
