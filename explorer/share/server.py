"""The classroom's HTTP server: aiohttp on its own asyncio loop, on a background thread.

Everything lives under one unguessable path segment (``/<token>/``); any other
path is 404, and so is a wrong token. Four routes, none of which writes anything
the teacher's program reads:

- ``GET /<token>/``: the student page (``hub.page()``);
- ``GET /<token>/stream``: Server-Sent Events, one ``data:`` line per message;
- ``GET /<token>/drawing/<key>``: one frame's drawing as JSON;
- ``POST /<token>/answer``: ``{"question", "choice", "client"}``, counted in the tally.

Nothing of the file system is served: there is no static route. Bounds (see
``limits``): request line and header sizes, body size, open connections, live
streams, a deadline for a connection's first request (slow senders are cut off),
a deadline for each write to a stream (slow readers are dropped) and a per-address
rate for answers. ``start`` and ``stop`` are called from the caller's thread;
``stop`` closes every connection and frees the port.
"""
from __future__ import annotations

import asyncio
import json
import re
import secrets
import threading

from aiohttp import web

from . import limits
from .hub import END, Hub
from .tally import Tally

CLIENT_ID = re.compile(r"[A-Za-z0-9_-]{8,%d}" % limits.CLIENT_ID_CHARACTERS)
# The page may talk to this server only; it loads nothing else (no CDN: it works offline).
PAGE_POLICY = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
               "img-src data:; connect-src 'self'; base-uri 'none'; form-action 'none'; "
               "frame-ancestors 'none'")
COMMON_HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
                  "Cache-Control": "no-store", "X-Frame-Options": "DENY"}
START_TIMEOUT_S = 10.0
STOP_TIMEOUT_S = 5.0
WRITE_TIMEOUT_S = 5.0


class ShareServer:
    def __init__(self, hub: Hub, tally: Tally, host: str = "127.0.0.1", port: int = 0,
                 token: str | None = None):
        self.hub = hub
        self.tally = tally
        self.host = host
        self.requested_port = port
        self.token = token or secrets.token_urlsafe(18)
        self.port: int | None = None
        self.rate = limits.AnswerRate()
        self.connections = _Connections()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        self._listener = None

    # ------------------------------------------------------------------ the caller's thread
    @property
    def running(self) -> bool:
        return self._thread is not None

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/{self.token}/"

    def start(self) -> str:
        """Listen on ``host``:``port`` (0: any free port); the page's address. An ``OSError``
        when the address cannot be bound."""
        if self.running:
            return self.url
        loop = asyncio.new_event_loop()
        thread = threading.Thread(target=loop.run_forever, name="class-share", daemon=True)
        thread.start()
        try:
            asyncio.run_coroutine_threadsafe(self._open(loop), loop).result(START_TIMEOUT_S)
        except BaseException:
            loop.call_soon_threadsafe(loop.stop)
            thread.join(STOP_TIMEOUT_S)
            loop.close()
            raise
        self._loop, self._thread = loop, thread
        self.hub.loop = loop
        return self.url

    def stop(self):
        """Close every stream and connection and free the port; waits for the loop to end."""
        if not self.running:
            return
        loop, thread = self._loop, self._thread
        self.hub.loop = None
        try:
            asyncio.run_coroutine_threadsafe(self._close(), loop).result(STOP_TIMEOUT_S * 2)
        finally:
            loop.call_soon_threadsafe(loop.stop)
            thread.join(STOP_TIMEOUT_S)
            loop.close()
            self._loop = self._thread = None

    # ------------------------------------------------------------------ the server's loop
    async def _open(self, loop):
        app = web.Application(client_max_size=limits.MAX_BODY, middlewares=[self._guard])
        base = "/{token}/"
        app.router.add_get(base, self._page)
        app.router.add_get(base + "stream", self._stream)
        app.router.add_get(base + "drawing/{key:[0-9a-z-]{1,40}}", self._drawing)
        app.router.add_post(base + "answer", self._answer)
        # handler_cancellation: a stream whose student left ends at once, freeing its place.
        runner = web.AppRunner(app, handle_signals=False, access_log=None, shutdown_timeout=1.0,
                               handler_cancellation=True,
                               keepalive_timeout=limits.KEEPALIVE_S, max_line_size=limits.MAX_LINE,
                               max_field_size=limits.MAX_FIELD_SIZE, max_headers=limits.MAX_HEADERS)
        await runner.setup()
        self.connections.loop = loop
        try:
            self._listener = await loop.create_server(self.connections.factory(runner.server), self.host,
                                                      self.requested_port, backlog=512)
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        self.port = self._listener.sockets[0].getsockname()[1]

    async def _close(self):
        self.hub.end_streams()
        self._listener.close()
        await self._runner.cleanup()
        self.connections.close_all()
        try:
            await asyncio.wait_for(self._listener.wait_closed(), STOP_TIMEOUT_S)
        except TimeoutError:
            pass

    @web.middleware
    async def _guard(self, request, handler):
        self.connections.answered(request.transport)
        if not secrets.compare_digest(request.match_info.get("token", "").encode(), self.token.encode()):
            return _not_found()
        response = await handler(request)
        response.headers.update(COMMON_HEADERS)
        return response

    async def _page(self, request):
        return web.Response(body=self.hub.page(), content_type="text/html", charset="utf-8",
                            headers={"Content-Security-Policy": PAGE_POLICY})

    async def _drawing(self, request):
        data = self.hub.drawing(request.match_info["key"])
        if data is None:
            return _not_found()
        return web.Response(body=data, content_type="application/json")

    async def _stream(self, request):
        queue = self.hub.open_stream()
        if queue is None:
            return web.Response(status=503, text="too many students are connected")
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream", **COMMON_HEADERS})
        try:
            await response.prepare(request)
            # A late page starts from the latest message (its seq may come again from the queue).
            latest = self.hub.latest()
            if latest is not None:
                await _write(response, b"data: " + latest + b"\n\n")
            while True:
                try:
                    data = await asyncio.wait_for(queue.get(), limits.HEARTBEAT_S)
                except TimeoutError:
                    await _write(response, b": still here\n\n")
                    continue
                if data is END:
                    break
                await _write(response, b"data: " + data + b"\n\n")
        except (ConnectionError, TimeoutError):
            pass
        finally:
            self.hub.close_stream(queue)
        return response

    async def _answer(self, request):
        if not self.rate.allow(request.remote or ""):
            return web.Response(status=429, text="too many answers: wait a moment")
        try:
            async with asyncio.timeout(limits.REQUEST_TIMEOUT_S):
                body = await request.read()
        except TimeoutError:
            return web.Response(status=408, text="the answer came too slowly")
        answer, problem = parse_answer(body, self.hub.message)
        if problem:
            return web.Response(status=400 if problem != "closed" else 409, text=problem)
        if not self.tally.record(answer["question"], answer["client"], answer["choice"]):
            return web.Response(status=409, text="this question has all the answers it can count")
        return web.json_response({"counted": True})


def parse_answer(body: bytes, message: dict | None) -> tuple[dict | None, str]:
    """(the answer, "") when ``body`` answers the question ``message`` shows, else (None, why)."""
    try:
        answer = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None, "the answer is not JSON"
    if not isinstance(answer, dict) or set(answer) != {"question", "choice", "client"}:
        return None, "an answer is {question, choice, client}"
    question = (message or {}).get("question")
    choice, client = answer["choice"], answer["client"]
    if not isinstance(client, str) or not CLIENT_ID.fullmatch(client):
        return None, "the client id is not one a page makes"
    if type(choice) is not int:
        return None, "the choice is a number"
    if not question or question.get("answer") is not None or answer["question"] != question["id"]:
        return None, "closed"
    if not 0 <= choice < len(question["choices"]):
        return None, "no such choice"
    return answer, ""


async def _write(response, data: bytes):
    # A student whose browser stops reading is dropped instead of holding the stream open.
    await asyncio.wait_for(response.write(data), WRITE_TIMEOUT_S)


def _not_found():
    return web.Response(status=404, text="not found", headers=COMMON_HEADERS)


class _Connections:
    """Open connections, bounded; each must finish its first request's head within
    ``REQUEST_TIMEOUT_S`` of connecting or it is closed (later requests on a kept-alive
    connection fall under aiohttp's keep-alive timeout)."""

    def __init__(self, maximum: int = limits.MAX_CONNECTIONS):
        self.maximum = maximum
        self.loop = None
        self.open: set = set()
        self._waiting: set = set()

    def factory(self, server):
        return lambda: _Watched(server(), self)

    def opened(self, transport):
        if len(self.open) >= self.maximum:
            transport.close()
            return
        self.open.add(transport)
        self._waiting.add(transport)
        self.loop.call_later(limits.REQUEST_TIMEOUT_S, self._expire, transport)

    def lost(self, transport):
        self.open.discard(transport)
        self._waiting.discard(transport)

    def answered(self, transport):
        self._waiting.discard(transport)

    def _expire(self, transport):
        if transport in self._waiting:
            self._waiting.discard(transport)
            transport.close()

    def close_all(self):
        for transport in list(self.open):
            transport.close()
        self.open.clear()
        self._waiting.clear()


class _Watched(asyncio.Protocol):
    """aiohttp's protocol for one connection, with the connection counted and timed."""

    def __init__(self, handler, connections: _Connections):
        self.handler = handler
        self.connections = connections
        self.transport = None

    def connection_made(self, transport):
        self.transport = transport
        self.handler.connection_made(transport)
        self.connections.opened(transport)

    def connection_lost(self, error):
        self.connections.lost(self.transport)
        self.handler.connection_lost(error)

    def data_received(self, data):
        self.handler.data_received(data)

    def eof_received(self):
        return self.handler.eof_received()

    def pause_writing(self):
        self.handler.pause_writing()

    def resume_writing(self):
        self.handler.resume_writing()
