"""Every bound the classroom server keeps, in one place, and the per-client answer rate.

A class is tens of browsers on one local network; the numbers leave room for that
and refuse what no student page sends: long paths, big headers or bodies, many
streams, answers faster than a person clicks.
"""
from __future__ import annotations

import threading
import time
from collections import OrderedDict

# Open live streams at once; one more is refused with 503 until one closes.
MAX_STREAMS = 200
# Open connections at once (streams included); one more is closed as soon as it opens.
MAX_CONNECTIONS = 1000
# Bytes of a request body: an answer is a few dozen.
MAX_BODY = 1024
# aiohttp's parser limits: one request line, one header line, and the number of header fields.
MAX_LINE = 2048
MAX_FIELD_SIZE = 4096
MAX_HEADERS = 40
# Seconds a connection may take to send a whole request; a slow sender is dropped after this.
REQUEST_TIMEOUT_S = 5.0
# Seconds an idle kept-alive connection stays open.
KEEPALIVE_S = 15.0
# A stream sends a comment this often, so a dead connection is noticed and closed.
HEARTBEAT_S = 10.0
# Messages queued for one slow stream before it is dropped (its browser reconnects and catches up).
STREAM_QUEUE = 256
# Frames kept for students to fetch (each is one frame's drawing): the newest are kept.
MAX_FRAMES = 400
# Answers: a burst of this many, then one per ANSWER_INTERVAL_S, per client address.
ANSWER_BURST = 5
ANSWER_INTERVAL_S = 0.5
# Client addresses the rate limiter remembers (the oldest are forgotten first).
MAX_REMEMBERED_CLIENTS = 4096
# Students' answers per question (one per page), and the length of a page's client id.
MAX_ANSWERS = 2000
CLIENT_ID_CHARACTERS = 64


class AnswerRate:
    """A token bucket per client address: ``ANSWER_BURST`` answers, refilled one per interval."""

    def __init__(self, burst: int = ANSWER_BURST, interval_s: float = ANSWER_INTERVAL_S,
                 clock=time.monotonic):
        self.burst = burst
        self.interval_s = interval_s
        self.clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def allow(self, client: str) -> bool:
        now = self.clock()
        with self._lock:
            tokens, then = self._buckets.pop(client, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - then) / self.interval_s)
            allowed = tokens >= 1.0
            self._buckets[client] = (tokens - 1.0 if allowed else tokens, now)
            while len(self._buckets) > MAX_REMEMBERED_CLIENTS:
                self._buckets.popitem(last=False)
            return allowed
