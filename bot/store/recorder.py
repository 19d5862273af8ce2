"""Database writes off the reply path: the user's answer is sent first, the bookkeeping after.

Usage counts, stored diagnoses and "answered" marks are for moderators' stats; none of them is worth a
user's answer. `record(write, *args)` queues `write(connection, *args)` and returns at once; one writer
task drains the queue in batches (up to BATCH_SIZE writes per transaction), so a burst of answers costs a
few commits, not one each.

An outage (the database does not answer, or cannot write: locked, read-only, full) degrades to logging:
the queue keeps the writes, the writer retries with backoff, and when the database takes them again the
recovery is logged. The queue is bounded (MAX_QUEUED); past that the oldest writes are dropped and
counted, and the loss is reported on recovery and at shutdown. A write the database refuses for its own
sake (a constraint, a bug) is dropped alone: its batch is replayed one write at a time. Failures are
logged with the write's name and the error's first line, never the row, which holds user text
(bot/store/errors.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy.exc import InterfaceError, OperationalError

from bot import metrics
from bot.store.async_store import AsyncStore, Write
from bot.store.errors import describe

log = logging.getLogger(__name__)

BATCH_SIZE = 200
MAX_QUEUED = 50_000  # ~50 MB at worst; hours of a busy server's bookkeeping
RETRY_SECONDS = (0.5, 1.0, 2.0, 5.0, 10.0, 30.0)
# The database is down, unreachable, locked past its busy timeout, read-only or out of space: the writes
# themselves are fine, so they wait in the queue. Anything else (a constraint, a bug) is that write's fault.
UNAVAILABLE = (OperationalError, InterfaceError, OSError, TimeoutError)


async def _directly(awaitable: Awaitable[Any]) -> Any:
    return await awaitable


def _name(write: Write) -> str:
    return getattr(write[0], "__name__", "write")


class Recorder:
    def __init__(self, store: AsyncStore, *, max_queued: int = MAX_QUEUED, batch_size: int = BATCH_SIZE) -> None:
        self.store = store
        self.max_queued = max_queued
        self.batch_size = batch_size
        self._queue: deque[Write] = deque()
        self._backing_off = False
        self._closing = False
        self._idle = asyncio.Event()
        self._idle.set()
        self._writer: asyncio.Task[None] | None = None
        #: How the writer awaits the database and its backoff: directly. A test harness that waits for the
        #: bot's work to finish (simcord) swaps in its "external input" marker, as for any outside I/O.
        self.outside: Callable[[Awaitable[Any]], Awaitable[Any]] = _directly
        self.down_since: float | None = None  # monotonic time the outage began; None while writes land
        self.written = 0
        self.failed = 0  # refused one by one while the database answered
        self.lost = 0  # dropped from a full queue, or still queued at shutdown

    @property
    def queued(self) -> int:
        return len(self._queue)

    def record(self, write: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        if len(self._queue) >= self.max_queued:
            self._queue.popleft()
            self.lost += 1
            metrics.STORE_LOST_WRITES.inc()
        self._queue.append((write, args, kwargs))
        metrics.STORE_QUEUE_DEPTH.set(len(self._queue))
        self._idle.clear()
        if self._writer is None or self._writer.done():
            self._start_writer()

    def _start_writer(self) -> None:
        self._writer = asyncio.get_running_loop().create_task(self._drain(), name="authbot: store writer")

    async def _drain(self) -> None:
        """Write until the queue is empty, then end (an idle task would hold up test harnesses that wait
        for the bot's tasks to finish; `record` starts a new one)."""
        failures = 0
        while self._queue:
            batch = [self._queue[i] for i in range(min(self.batch_size, len(self._queue)))]
            try:
                try:
                    await self.outside(self.store.run_batch(batch))
                    self._done(len(batch))
                except UNAVAILABLE:
                    raise
                except Exception:  # the database answered but refused something in the batch
                    await self._one_by_one(batch)
            except UNAVAILABLE as error:
                failures += 1
                self._outage(error)
                if self._closing:
                    break  # close() counts what is left
                self._backing_off = True  # close() may cancel the task here: nothing is half-written
                try:
                    await self.outside(asyncio.sleep(RETRY_SECONDS[min(failures, len(RETRY_SECONDS)) - 1]))
                finally:
                    self._backing_off = False
                continue
            failures = 0
            self._recovered()
        self._idle.set()

    async def _one_by_one(self, batch: list[Write]) -> None:
        """Replay a refused batch write by write, dropping only the writes refused on their own."""
        for write in batch:
            try:
                await self.store.run_batch([write])
            except UNAVAILABLE:
                raise
            except Exception as error:
                metrics.STORE_FAILED_WRITES.inc()
                log.warning(
                    "database write %s failed (the user was answered anyway): %s", _name(write), describe(error)
                )
                self._done(1, written=False)
                self.failed += 1
            else:
                self._done(1)

    def _done(self, count: int, *, written: bool = True) -> None:
        for _ in range(count):
            self._queue.popleft()
        if written:
            self.written += count
        metrics.STORE_QUEUE_DEPTH.set(len(self._queue))

    def _outage(self, error: Exception) -> None:
        metrics.STORE_FAILED_WRITES.inc()
        if self.down_since is None:
            self.down_since = time.monotonic()
            log.warning(
                "database unavailable; %d write(s) queued, retrying (the bot keeps answering): %s",
                len(self._queue),
                describe(error),
            )

    def _recovered(self) -> None:
        if self.down_since is None or self._queue:
            return
        seconds = time.monotonic() - self.down_since
        self.down_since = None
        lost = f"; {self.lost} write(s) lost to the full queue so far" if self.lost else ""
        log.warning("database back after %.0f s; every queued write is written%s", seconds, lost)

    async def flush(self, timeout: float | None = None) -> bool:
        """Wait until every queued write is written (or dropped); False when `timeout` ran out first."""
        try:
            await asyncio.wait_for(self._idle.wait(), timeout)
        except TimeoutError:
            return False
        return True

    async def close(self, timeout: float = 5.0) -> None:
        """At shutdown: one more try at once, `timeout` seconds at most, then report what was not written."""
        self._closing = True
        if self._writer is not None and self._backing_off:  # don't wait out the backoff: retry now, once
            self._writer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._writer
            self._start_writer()
        if not await self.flush(timeout) and self._writer is not None:
            self._writer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._writer
        if self._queue:
            self.lost += len(self._queue)
            metrics.STORE_LOST_WRITES.inc(len(self._queue))
            log.error("database unavailable at shutdown: %d queued write(s) lost", len(self._queue))
            self._queue.clear()
            metrics.STORE_QUEUE_DEPTH.set(0)
        self._idle.set()
