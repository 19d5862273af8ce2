"""Database writes off the reply path: the user's answer is sent first, the bookkeeping after.

Usage counts, stored diagnoses and "answered" marks are for moderators' stats; none of them is worth a
user's answer. Before, they were written synchronously before the reply, so a locked or read-only
database turned a good answer into an apology, and SQLite's 5-second busy wait froze every other reply
on the event loop meanwhile.

`record(fn, *args)` runs `fn(store, *args)` in a worker thread (SQLite is built thread-safe, mode 3, and
the connection allows other threads) and returns at once. A failing write is logged with the function's
name and the error — never the row, which holds user text — and never reaches the user. `flush()` waits
for the writes still running, so a clean shutdown loses none of them.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Callable
from typing import Any

from bot.store.db import Store

log = logging.getLogger(__name__)


class Recorder:
    def __init__(self, store: Store) -> None:
        self.store = store
        self._pending: set[asyncio.Task[None]] = set()

    def record(self, write: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        task = asyncio.get_running_loop().create_task(self._run(write, args, kwargs), name="authbot: record")
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def _run(self, write: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        name = getattr(write, "__name__", "write")
        try:
            await asyncio.to_thread(write, self.store, *args, **kwargs)
        except sqlite3.Error as error:
            log.warning("database write %s failed (the user was answered anyway): %s", name, error)
        except Exception:  # a bug in the write itself: still not the user's problem
            log.exception("database write %s failed", name)

    async def flush(self) -> None:
        while self._pending:
            await asyncio.gather(*self._pending, return_exceptions=True)
