"""What the students' pages are shown, handed from the teacher's thread to the server's loop.

The teacher's side publishes *messages* (the current frame, event, narration,
code, question) and *drawings* (one frame's graph, fetched by key). The hub
numbers each message, keeps the latest for pages that connect later, and puts
it on every open stream's queue through the loop's thread-safe call, so the
teacher never waits for a student. A stream that falls ``STREAM_QUEUE`` messages
behind is ended (its page reconnects and starts from the latest message).
"""
from __future__ import annotations

import asyncio
import json
import threading
from collections import OrderedDict

from .limits import MAX_FRAMES, MAX_STREAMS, STREAM_QUEUE

END = None   # put on a stream's queue: the stream closes


def encode(value) -> bytes:
    # "<" escaped so no text can close a script element if a page ever inlines a message.
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c").encode()


class Hub:
    def __init__(self):
        self.loop: asyncio.AbstractEventLoop | None = None
        self._lock = threading.Lock()
        self._sequence = 0
        self._latest: bytes | None = None
        self._page: bytes = b""
        self._message: dict | None = None
        self._drawings: OrderedDict[str, bytes] = OrderedDict()
        self._streams: set[asyncio.Queue] = set()   # touched on the loop's thread only

    # ------------------------------------------------------------------ the teacher's thread
    def publish(self, message: dict) -> dict:
        """Send ``message`` to every stream; it is returned with its sequence number ``seq`` (from 1)."""
        with self._lock:
            self._sequence += 1
            message = dict(message, seq=self._sequence)
            data = encode(message)
            self._latest, self._message = data, message
            loop = self.loop
        if loop is not None and not loop.is_closed():
            try:
                loop.call_soon_threadsafe(self._deliver, data)
            except RuntimeError:   # the loop closed between the check and the call
                pass
        return message

    def set_page(self, page: bytes):
        with self._lock:
            self._page = page

    def add_drawing(self, key: str, drawing: dict):
        with self._lock:
            self._drawings[key] = encode(drawing)
            self._drawings.move_to_end(key)
            while len(self._drawings) > MAX_FRAMES:
                self._drawings.popitem(last=False)

    def has_drawing(self, key: str) -> bool:
        with self._lock:
            return key in self._drawings

    @property
    def message(self) -> dict | None:
        """The latest message published (for the teacher's side and tests)."""
        with self._lock:
            return self._message

    # ------------------------------------------------------------------ the server's loop
    def drawing(self, key: str) -> bytes | None:
        with self._lock:
            return self._drawings.get(key)

    def page(self) -> bytes:
        with self._lock:
            return self._page

    def latest(self) -> bytes | None:
        with self._lock:
            return self._latest

    def open_stream(self) -> asyncio.Queue | None:
        """A queue of this stream's messages, or None when ``MAX_STREAMS`` are open."""
        if len(self._streams) >= MAX_STREAMS:
            return None
        queue = asyncio.Queue(STREAM_QUEUE)
        self._streams.add(queue)
        return queue

    def close_stream(self, queue: asyncio.Queue):
        self._streams.discard(queue)

    @property
    def stream_count(self) -> int:
        return len(self._streams)

    def end_streams(self):
        for queue in list(self._streams):
            self._end(queue)

    def _deliver(self, data: bytes):
        for queue in list(self._streams):
            try:
                queue.put_nowait(data)
            except asyncio.QueueFull:
                self._end(queue)

    def _end(self, queue: asyncio.Queue):
        self._streams.discard(queue)
        while not queue.empty():
            queue.get_nowait()
        queue.put_nowait(END)
