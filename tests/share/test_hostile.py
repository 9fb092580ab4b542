"""Hostile clients: after each attack the server still answers a good client at once, serves
nothing it should not, and the teacher's program is untouched."""
import asyncio
import json
import socket
import time

import aiohttp
import pytest

from explorer.share import limits
from explorer.share.limits import AnswerRate

from .conftest import question_frame

GOOD_CLIENT_S = 2.0


async def raw(port: int, data: bytes, read: bool = True, timeout: float = 5.0) -> bytes:
    """Send ``data`` on a fresh connection; what came back until the server closed or went quiet."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(data)
        await writer.drain()
        if not read:
            return b""
        received = b""
        try:
            async with asyncio.timeout(timeout):
                while True:
                    chunk = await reader.read(65536)
                    if not chunk:
                        break
                    received += chunk
                    if b"\r\n\r\n" in received and not received.startswith(b"HTTP/1.1 200"):
                        break
        except TimeoutError:
            pass
        return received
    finally:
        writer.close()


def status_of(reply: bytes) -> int:
    return int(reply.split(b" ", 2)[1]) if reply.startswith(b"HTTP/") else 0


async def good_client(url: str, drawing: str = "") -> float:
    """Seconds a good student takes to load the page, its stream's first message and the drawing
    (without a stream when ``drawing`` is given)."""
    started = time.perf_counter()
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=GOOD_CLIENT_S)) as session:
        async with session.get(url) as response:
            assert response.status == 200
            assert b"EventSource" in await response.read()
        if not drawing:
            async with session.get(url + "stream") as response:
                assert response.status == 200
                line = await response.content.readline()
                drawing = json.loads(line[len(b"data: "):])["drawing"]
        async with session.get(url + "drawing/" + drawing) as response:
            assert response.status == 200
            assert "<svg" in (await response.json())["svg"]
    return time.perf_counter() - started


@pytest.fixture
def check(sharing, clients):
    """After an attack: the good client is served promptly and the program is as it was."""
    document, timeline, message = sharing.document, sharing.timeline, sharing.hub.message

    def after_attack():
        assert clients.run(good_client(sharing.url)) < GOOD_CLIENT_S
        assert sharing.document is document and sharing.timeline is timeline
        assert {key: value for key, value in sharing.hub.message.items() if key != "seq"} == \
            {key: value for key, value in message.items() if key != "seq"}
    return after_attack


def request(path: str, method: str = "GET", headers: str = "", body: bytes = b"") -> bytes:
    return (f"{method} {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n{headers}\r\n").encode() + body


def test_wrong_or_missing_tokens_are_not_found(sharing, clients, check):
    token, port = sharing.server.token, sharing.server.port
    wrong = ["/", "/index.html", f"/{token}", f"/{token[:-1]}/", f"/{token}x/", f"/{token.upper()}/",
             f"/x{token}/stream", f"/{token[1:]}/stream", "/stream", f"/{token}/nothing",
             f"/{token}/drawing/", f"/{token}/drawing/r1-en-0x", f"/{token}/answer", f"/{token}//stream",
             f"/{token}/stream/"]
    for path in wrong:
        reply = clients.run(raw(port, request(path)))
        assert status_of(reply) == 404, (path, reply[:80])
    for method in ("POST", "PUT", "DELETE", "OPTIONS", "TRACE"):
        reply = clients.run(raw(port, request(f"/{token}/", method, "Content-Length: 0\r\n")))
        assert status_of(reply) == 404, method
    check()


@pytest.mark.parametrize("path", [
    "/{token}/../../../../etc/passwd", "/{token}/%2e%2e/%2e%2e/etc/passwd", "/{token}/..%2f..%2fetc%2fpasswd",
    "/{token}/drawing/..%2f..%2f..%2fetc%2fpasswd", "/{token}/drawing/%2e%2e", "/../{token}/",
    "/{token}/%2e%2e%2f%2e%2e%2fpyproject.toml", "/{token}/..\\..\\pyproject.toml", "//etc/passwd",
    "/{token}/drawing/r1-en-0/../../../../etc/passwd", "/{token}/%00", "/{token}/explorer/share/server.py",
])
def test_path_traversal_serves_nothing_of_the_file_system(sharing, clients, check, path):
    reply = clients.run(raw(sharing.server.port, request(path.format(token=sharing.server.token))))
    assert status_of(reply) in (400, 404), reply[:120]
    assert b"root:" not in reply and b"[project]" not in reply and b"import" not in reply
    check()


def test_huge_request_lines_headers_and_bodies_are_refused(sharing, clients, check):
    token, port = sharing.server.token, sharing.server.port
    cases = {
        "long path": request(f"/{token}/" + "a" * 100_000),
        "long header": request(f"/{token}/", headers="X-Big: " + "b" * 100_000 + "\r\n"),
        "many headers": request(f"/{token}/", headers="".join(f"X-{n}: {n}\r\n" for n in range(2000))),
        "huge body": request(f"/{token}/answer", "POST", "Content-Length: 50000000\r\n"
                             "Content-Type: application/json\r\n", b"{" * 100_000),
        "huge chunked body": request(f"/{token}/answer", "POST", "Transfer-Encoding: chunked\r\n",
                                     b"".join(b"4000\r\n" + b"x" * 0x4000 + b"\r\n" for _ in range(8))),
    }
    for name, data in cases.items():
        reply = clients.run(raw(port, data))
        assert status_of(reply) in (400, 413, 414, 431) or reply == b"", (name, reply[:120])
    check()


def test_slow_senders_are_cut_off_and_others_still_served(sharing, clients, check, monkeypatch):
    monkeypatch.setattr(limits, "REQUEST_TIMEOUT_S", 0.5)
    port = sharing.server.port

    async def slowloris(count: int):
        connections = [await asyncio.open_connection("127.0.0.1", port) for _ in range(count)]
        for _reader, writer in connections:
            writer.write(f"GET /{sharing.server.token}/ HTTP/1.1\r\nHost: x\r\n".encode())
        # Still sending headers, a byte now and then; a good client is served meanwhile.
        served_in = await good_client(sharing.url)
        for _ in range(4):
            await asyncio.sleep(0.2)
            for _reader, writer in connections:
                if not writer.is_closing():
                    writer.write(b"X")
        closed = []
        async with asyncio.timeout(5):
            for reader, writer in connections:
                closed.append(await reader.read() == b"")
                writer.close()
        return served_in, closed

    served_in, closed = clients.run(slowloris(50))
    assert served_in < GOOD_CLIENT_S
    assert all(closed)
    check()


def test_a_slow_answer_body_times_out(sharing, clients, check, monkeypatch):
    monkeypatch.setattr(limits, "REQUEST_TIMEOUT_S", 0.5)
    head = request(f"/{sharing.server.token}/answer", "POST", "Content-Length: 60\r\n"
                   "Content-Type: application/json\r\n")
    reply = clients.run(raw(sharing.server.port, head + b'{"question"'))
    assert status_of(reply) == 408
    check()


def test_five_hundred_connections_are_bounded(sharing, clients, check):
    url = sharing.url

    async def crowd():
        session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0),
                                        timeout=aiohttp.ClientTimeout(total=20))
        try:
            responses = await asyncio.gather(*(session.get(url + "stream") for _ in range(500)))
            # Every stream a class may have is taken; the page and the drawings are still served.
            served_in = await good_client(url, sharing.hub.message["drawing"])
            for response in responses:
                response.close()
            return [response.status for response in responses], served_in
        finally:
            await session.close()

    statuses, served_in = clients.run(crowd(), 60)
    assert statuses.count(200) == limits.MAX_STREAMS and statuses.count(503) == 500 - limits.MAX_STREAMS
    assert served_in < GOOD_CLIENT_S
    deadline = time.perf_counter() + 5
    while sharing.hub.stream_count and time.perf_counter() < deadline:
        time.sleep(0.05)
    assert sharing.hub.stream_count == 0
    check()


MALFORMED = [
    b"", b"not json", b"[]", b"null", b"1", b'"answer"', b"{}", b'{"choice": 0}',
    b'{"question": "%(q)s", "choice": "1", "client": "abcdefgh12"}',
    b'{"question": "%(q)s", "choice": 1.0, "client": "abcdefgh12"}',
    b'{"question": "%(q)s", "choice": true, "client": "abcdefgh12"}',
    b'{"question": "%(q)s", "choice": null, "client": "abcdefgh12"}',
    b'{"question": "%(q)s", "choice": [0], "client": "abcdefgh12"}',
    b'{"question": "%(q)s", "choice": -1, "client": "abcdefgh12"}',
    b'{"question": "%(q)s", "choice": 3, "client": "abcdefgh12"}',
    b'{"question": "%(q)s", "choice": 99999999999999999999999999999, "client": "abcdefgh12"}',
    b'{"question": "%(q)s", "choice": 0, "client": "short"}',
    b'{"question": "%(q)s", "choice": 0, "client": "../../etc/passwd"}',
    b'{"question": "%(q)s", "choice": 0, "client": "' + b"a" * 200 + b'"}',
    b'{"question": "%(q)s", "choice": 0, "client": 12345678}',
    b'{"question": "other", "choice": 0, "client": "abcdefgh12"}',
    b'{"question": ["%(q)s"], "choice": 0, "client": "abcdefgh12"}',
    b'{"question": "%(q)s", "choice": 0, "client": "abcdefgh12", "admin": true}',
    b"[" * 500 + b"]" * 500,
    b"\xff\xfe\x00garbage",
]


def test_malformed_answers_are_refused_and_count_nothing(sharing, lesson_run, clients, check):
    sharing.show(question_frame(lesson_run[1]))
    question, _ = sharing.answer_counts()
    sharing.server.rate = AnswerRate(burst=1000)   # this test is about the answers' shape

    async def send(body: bytes):
        async with aiohttp.ClientSession() as session:
            async with session.post(sharing.url + "answer", data=body,
                                    headers={"Content-Type": "application/json"}) as response:
                return response.status
    for body in MALFORMED:
        body = body.replace(b"%(q)s", question["id"].encode())
        assert clients.run(send(body)) in (400, 409), body[:60]
    assert sharing.answer_counts()[1] == [0] * len(question["choices"])
    check_before = sharing.hub.message
    sharing.show(question_frame(lesson_run[1]))   # the check compares with the message before the attack
    assert check_before["question"] == sharing.hub.message["question"]


def test_answers_faster_than_a_person_are_refused(sharing, lesson_run, clients):
    sharing.show(question_frame(lesson_run[1]))
    question, _ = sharing.answer_counts()

    async def burst(count: int):
        async with aiohttp.ClientSession() as session:
            statuses = []
            for number in range(count):
                body = {"question": question["id"], "choice": number % 3, "client": f"client-{number:04d}"}
                async with session.post(sharing.url + "answer", json=body) as response:
                    statuses.append(response.status)
            return statuses
    statuses = clients.run(burst(40))
    assert statuses[:limits.ANSWER_BURST] == [200] * limits.ANSWER_BURST
    assert statuses.count(429) >= 40 - limits.ANSWER_BURST - 2
    assert sum(sharing.answer_counts()[1]) == statuses.count(200)
    assert clients.run(good_client(sharing.url)) < GOOD_CLIENT_S


def test_stopping_frees_the_port_and_closes_the_streams(lesson_run, clients):
    from explorer.share.session import ClassShare

    share = ClassShare(host="127.0.0.1")
    url = share.start()
    share.show_run(*lesson_run)
    share.show(0)
    port = share.server.port

    async def open_stream():
        session = aiohttp.ClientSession()
        response = await session.get(url + "stream")
        await response.content.readline()
        return session, response
    session, response = clients.run(open_stream())
    share.stop()

    async def ended():
        try:
            async with asyncio.timeout(5):
                while await response.content.readline():
                    pass
        finally:
            response.close()
            await session.close()
    clients.run(ended())
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    with socket.socket() as again:
        # Free for a new listener (closed connections may linger in TIME_WAIT, as after any server).
        again.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        again.bind(("127.0.0.1", port))
        again.listen()
    assert not share.running


def test_a_slow_second_request_on_a_kept_alive_connection_is_cut_off(lesson_run, clients, monkeypatch):
    from explorer.share.session import ClassShare

    monkeypatch.setattr(limits, "KEEPALIVE_S", 0.5)
    share = ClassShare(host="127.0.0.1")
    share.start()
    share.show_run(*lesson_run)
    share.show(0)

    async def trickle():
        reader, writer = await asyncio.open_connection("127.0.0.1", share.server.port)
        try:
            writer.write(f"GET /{share.server.token}/drawing/nothing HTTP/1.1\r\nHost: x\r\n\r\n".encode())
            head = await reader.readuntil(b"\r\n\r\n")
            length = int(next(line.split(b":")[1] for line in head.split(b"\r\n")
                              if line.lower().startswith(b"content-length")))
            await reader.readexactly(length)
            started = time.perf_counter()
            # A second request whose head never ends.
            writer.write(f"GET /{share.server.token}/ HTTP/1.1\r\nHost: x\r\nX-Slow: ".encode())
            async with asyncio.timeout(5):
                while True:
                    writer.write(b"a")
                    await asyncio.sleep(0.1)
                    if reader.at_eof() or await _closed(reader):
                        return time.perf_counter() - started
        finally:
            writer.close()
    try:
        assert clients.run(trickle()) < 3
    finally:
        share.stop()


async def _closed(reader) -> bool:
    try:
        async with asyncio.timeout(0.01):
            return await reader.read(1) == b""
    except TimeoutError:
        return False
