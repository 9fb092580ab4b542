"""Students for the tests: aiohttp clients reading the stream, and a real headless Chromium
driven over the DevTools protocol, all on one asyncio loop in a thread of their own (the
test's own thread plays the teacher)."""
from __future__ import annotations

import asyncio
import itertools
import json
import re
import shutil
import threading
import time

import aiohttp
import pytest

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-extensions", "--remote-debugging-port=0", "--hide-scrollbars"]


def chromium_program() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("no Chromium on this machine")


class ClientLoop:
    """An asyncio loop on a background thread; ``run`` waits for a coroutine's result."""

    def __init__(self):
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def run(self, coroutine, timeout: float = 30.0):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def run_all(self, coroutines, timeout: float = 30.0):
        async def together():
            return await asyncio.gather(*coroutines)
        return self.run(together(), timeout)

    def submit(self, coroutine):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop)

    def close(self):
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()


class StreamStudent:
    """Reads the stream; ``seen`` holds (seq, frame, event, perf_counter time) per message."""

    def __init__(self, url: str):
        self.url = url
        self.seen = []
        self.session = None
        self.response = None
        self.task = None

    async def connect(self):
        self.session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=None, sock_read=None))
        self.response = response = await self.session.get(self.url + "stream")
        assert response.status == 200, response.status
        self.task = asyncio.get_running_loop().create_task(self._read(response))

    async def _read(self, response):
        async for line in response.content:
            if line.startswith(b"data: "):
                message = json.loads(line[6:])
                self.seen.append((message["seq"], message["frame"], message["event"], time.perf_counter()))

    async def close(self):
        if self.task is not None:
            self.task.cancel()
            await asyncio.gather(self.task, return_exceptions=True)
        if self.response is not None:
            self.response.close()
        if self.session is not None:
            await self.session.close()


class Chromium:
    """One headless Chromium with one page, driven over the DevTools protocol."""

    def __init__(self, profile):
        self.profile = profile
        self.process = None
        self.http = None
        self.socket = None
        self._ids = itertools.count(1)

    async def launch(self, width: int = 1366, height: int = 768):
        self.process = await asyncio.create_subprocess_exec(
            chromium_program(), *CHROMIUM_FLAGS, f"--user-data-dir={self.profile}",
            f"--window-size={width},{height}", "about:blank",
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)
        port = None
        async with asyncio.timeout(60):
            while port is None:
                line = (await self.process.stderr.readline()).decode(errors="replace")
                if not line:
                    raise RuntimeError("Chromium ended before it listened for DevTools")
                found = re.search(r"DevTools listening on ws://[^:]+:(\d+)/", line)
                port = found and int(found.group(1))
        asyncio.get_running_loop().create_task(self._drain())
        self.http = aiohttp.ClientSession()
        async with self.http.get(f"http://127.0.0.1:{port}/json/list") as response:
            targets = await response.json()
        page = next(target for target in targets if target["type"] == "page")
        self.socket = await self.http.ws_connect(page["webSocketDebuggerUrl"], max_msg_size=64 * 2 ** 20)
        await self.call("Emulation.setDeviceMetricsOverride",
                        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600})

    async def _drain(self):
        while await self.process.stderr.readline():
            pass

    async def call(self, method: str, params: dict | None = None) -> dict:
        number = next(self._ids)
        await self.socket.send_json({"id": number, "method": method, "params": params or {}})
        async with asyncio.timeout(60):
            while True:
                reply = await self.socket.receive_json()
                if reply.get("id") == number:
                    if "error" in reply:
                        raise RuntimeError(f"{method}: {reply['error']}")
                    return reply.get("result", {})

    async def evaluate(self, expression: str):
        result = await self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                      "awaitPromise": True})
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    async def open(self, url: str):
        await self.call("Page.navigate", {"url": url})
        await self.wait_for("document.readyState === 'complete' && !!window.shareLog")

    async def wait_for(self, condition: str, timeout: float = 20.0):
        async with asyncio.timeout(timeout):
            while not await self.evaluate(f"!!({condition})"):
                await asyncio.sleep(0.02)

    async def click(self, x: float, y: float):
        """A real mouse click at (x, y) in the page's CSS pixels."""
        for kind in ("mousePressed", "mouseReleased"):
            await self.call("Input.dispatchMouseEvent", {"type": kind, "x": x, "y": y, "button": "left",
                                                         "clickCount": 1})

    async def screenshot(self) -> bytes:
        import base64
        result = await self.call("Page.captureScreenshot", {"format": "png"})
        return base64.b64decode(result["data"])

    async def close(self):
        if self.socket is not None:
            await self.socket.close()
        if self.http is not None:
            await self.http.close()
        if self.process is not None and self.process.returncode is None:
            self.process.terminate()
            try:
                async with asyncio.timeout(10):
                    await self.process.wait()
            except TimeoutError:
                self.process.kill()
                await self.process.wait()
