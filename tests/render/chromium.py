"""A headless Chromium (Debian's package) driven over the DevTools protocol through a pipe.

No test dependency: `--remote-debugging-pipe` makes Chromium read protocol commands from fd 3 and write
replies and events to fd 4, as JSON messages ended by a NUL byte. One browser serves many pages; each
`load` opens a fresh tab, waits for its load event and reports what a person would notice is broken:
console errors and warnings, uncaught exceptions, browser log errors (a blocked request, a CSP violation,
a missing file) and images that did not decode.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import queue
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: The flags that make Chromium start headless as root on a machine without network (see the machine notes).
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--remote-debugging-pipe",
]
TIMEOUT = 30.0

IMAGES = "JSON.stringify([...document.images].map(i => ({id: i.id, complete: i.complete, width: i.naturalWidth})))"


def find_chromium() -> str | None:
    return next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None)


@dataclass
class Page:
    problems: list[str] = field(default_factory=list)  # console errors/warnings, exceptions, log errors
    images: list[dict[str, Any]] = field(default_factory=list)  # {id, complete, width} per <img>
    values: dict[str, Any] = field(default_factory=dict)  # what `load(..., evaluate=...)` asked for


class Chromium:
    def __init__(self, executable: str) -> None:
        self._profile = tempfile.TemporaryDirectory(prefix="authbot-chromium-")
        commands_read, self._commands = os.pipe()
        self._replies, replies_write = os.pipe()
        # The child must find the pipes at fds 3 and 4 exactly; first move them out of the way, above 9.
        high = (fcntl.fcntl(commands_read, fcntl.F_DUPFD, 10), fcntl.fcntl(replies_write, fcntl.F_DUPFD, 10))

        def at_3_and_4() -> None:
            os.dup2(high[0], 3)
            os.dup2(high[1], 4)

        self.process = subprocess.Popen(
            [executable, *FLAGS, f"--user-data-dir={self._profile.name}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            pass_fds=(3, 4), preexec_fn=at_3_and_4,  # before our reader thread starts
        )
        for fd in (commands_read, replies_write, *high):
            os.close(fd)
        self._inbox: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self._events: list[dict[str, Any]] = []
        self._next_id = 0
        threading.Thread(target=self._read, name="chromium-reader", daemon=True).start()

    def _read(self) -> None:
        buffer = b""
        with os.fdopen(self._replies, "rb", buffering=0) as replies:
            while chunk := replies.read(65536):
                buffer += chunk
                *messages, buffer = buffer.split(b"\0")
                for message in messages:
                    self._inbox.put(json.loads(message))
        self._inbox.put(None)  # the browser went away

    def send(self, method: str, params: dict[str, Any] | None = None, session: str | None = None) -> dict[str, Any]:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._commands, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._receive()
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self._events.append(reply)

    def _receive(self) -> dict[str, Any]:
        reply = self._inbox.get(timeout=TIMEOUT)
        if reply is None:
            raise RuntimeError("Chromium exited")
        return reply

    def _wait_for(self, method: str, session: str) -> None:
        while not any(e.get("method") == method and e.get("sessionId") == session for e in self._events):
            self._events.append(self._receive())

    def load(self, path: Path, evaluate: dict[str, str] | None = None) -> Page:
        """Open `path` in a new tab, wait for its load event, and report (then close the tab)."""
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Runtime", "Log", "Page"):
            self.send(f"{domain}.enable", session=session)
        self._events.clear()
        self.send("Page.navigate", {"url": path.resolve().as_uri()}, session=session)
        self._wait_for("Page.loadEventFired", session)
        page = Page()
        for name, expression in {"__images": IMAGES, **(evaluate or {})}.items():
            result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True}, session)
            value = result["result"].get("value")
            if name == "__images":
                page.images = json.loads(value)
            else:
                page.values[name] = value
        page.problems = [p for e in self._events if e.get("sessionId") == session for p in _problems(e)]
        self.send("Target.closeTarget", {"targetId": target})
        return page

    def close(self) -> None:
        with contextlib.suppress(RuntimeError, queue.Empty, OSError):
            self.send("Browser.close")
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._commands)
        self._profile.cleanup()


def _problems(event: dict[str, Any]) -> list[str]:
    method, params = event.get("method"), event.get("params", {})
    if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "warning", "assert"):
        return [f"console.{params['type']}: " + " ".join(str(a.get("value", a.get("description"))) for a in params["args"])]
    if method == "Runtime.exceptionThrown":
        details = params["exceptionDetails"]
        return [f"exception: {details.get('exception', {}).get('description') or details.get('text')}"]
    if method == "Log.entryAdded" and params["entry"]["level"] in ("error", "warning"):
        entry = params["entry"]
        return [f"log {entry['level']} ({entry['source']}): {entry['text']}"]
    return []
