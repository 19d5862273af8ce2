"""The bot's store: every call awaits the database without blocking the event loop (aiosqlite runs
SQLite in its own thread; psycopg 3 speaks to PostgreSQL asynchronously).

Reads that decide a reply (is this question answered? this member's previous vote?) and the few writes
a reply depends on are awaited here. Bookkeeping that follows a reply goes through
`bot.store.recorder.Recorder` instead, queued and batched. Migrations are not run here: `prepare()`
runs them before the event loop starts (bot/app.py), or in a worker thread.

Every call has a client-side deadline (`_within`): a database that hangs without refusing (a frozen
server, a cut network) raises StoreUnavailable after STORE_TIMEOUT seconds instead of holding a command
at "thinking…" forever. The server's own timeouts cannot help there: nothing reaches the server.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.store import queries
from bot.store.engines import WRITE, make_async_engine, make_sync_engine
from bot.store.errors import StoreUnavailable, lost_a_race
from bot.store.location import Location
from bot.store.migrate import upgrade
from bot.store.models import LabelledExample, Stats, UnansweredQuestion, Vote, VoteRef

T = TypeVar("T")
#: Tries of a batch that keeps losing races with other processes before it counts as a failure.
RACE_TRIES = 5
#: Seconds an awaited call may take before it is StoreUnavailable. The bot's queries take milliseconds and a
#: fresh PostgreSQL connection at most CONNECT_TIMEOUT_S (5 s), so 10 s is a database in trouble. A deferred
#: interaction could wait 15 minutes, but a moderator who typed /kb stats should hear back in seconds.
STORE_TIMEOUT = 10.0
#: The same for the write queue's batches, which nobody waits on: long enough that PostgreSQL's own
#: lock_timeout (5 s) and statement_timeout (30 s) end a slow but alive server's statements first (a batch
#: given up client-side while its COMMIT is on the way could land and then be written again), short enough
#: that a hung server is logged as an outage within a minute rather than never.
WRITER_TIMEOUT = 60.0
#: A queued write: `function(connection, *args, **kwargs)`, one of bot.store.queries' writes or a composition.
Write = tuple[Callable[..., Any], tuple[Any, ...], dict[str, Any]]


async def _directly(awaitable: Awaitable[T]) -> T:
    return await awaitable


def prepare(location: Location) -> str:
    """Create or upgrade the schema (blocking; under the cross-process migration lock)."""
    engine = make_sync_engine(location)
    try:
        return upgrade(engine)
    finally:
        engine.dispose()


class AsyncStore:
    def __init__(
        self,
        location: Location,
        *,
        engine: AsyncEngine | None = None,
        timeout: float = STORE_TIMEOUT,
        writer_timeout: float = WRITER_TIMEOUT,
    ) -> None:
        self.location = location
        self.engine = engine or make_async_engine(location)  # connects lazily, on the first query
        self.timeout = timeout
        self.writer_timeout = writer_timeout
        self.closed = False
        self._abandoned: set[asyncio.Task[Any]] = set()  # calls given up at their deadline, still unwinding
        #: How a call awaits the database: directly. A test harness that waits for the bot's work to finish
        #: (simcord) swaps in its "external input" marker, as for the Recorder's writes.
        self.outside: Callable[[Awaitable[Any]], Awaitable[Any]] = _directly

    async def run(
        self, query: Callable[..., T], *args: Any, write: bool = False, deadline: float | None = None, **kwargs: Any
    ) -> T:
        """`query(connection, *args, **kwargs)` in one transaction (a write transaction when `write`), within
        `deadline` seconds (default: `self.timeout`), else StoreUnavailable."""
        if self.closed:
            raise RuntimeError("the store is closed")
        return await self._within(
            self.timeout if deadline is None else deadline, self._transaction(query, args, kwargs, write)
        )

    async def _transaction(
        self, query: Callable[..., T], args: tuple[Any, ...], kwargs: dict[str, Any], write: bool
    ) -> T:
        async with self.engine.connect() as conn:
            if write:
                conn = await conn.execution_options(**WRITE)
            async with conn.begin():
                return await conn.run_sync(query, *args, **kwargs)

    async def _within(self, seconds: float, call: Awaitable[T]) -> T:
        """The one deadline of every awaited call. Not `asyncio.wait_for`: that waits for the cancelled call
        to end, and psycopg, cancelled mid-query, first asks the server to cancel it and waits up to 10 s
        more for an answer a frozen server never sends. The call is cancelled and left to unwind on its own;
        the transaction it held is rolled back (never committed) with its connection."""
        task = asyncio.ensure_future(self.outside(call))
        try:
            done, _ = await asyncio.wait({task}, timeout=seconds)
        except asyncio.CancelledError:
            task.cancel()  # our caller gave up (shutdown, its own timeout): so does the call
            raise
        if task in done:
            return task.result()
        task.cancel()
        self._abandoned.add(task)
        task.add_done_callback(self._forget)
        raise StoreUnavailable(f"the database did not answer within {seconds:g} s")

    def _forget(self, task: asyncio.Task[Any]) -> None:
        self._abandoned.discard(task)
        if not task.cancelled():
            task.exception()  # already reported as StoreUnavailable; don't let asyncio log it again

    async def run_batch(self, writes: Sequence[Write]) -> None:
        """Several queued writes in one transaction: all land or none does.

        Shard processes bump the same usage counters in whatever order their replies came, so two batches
        can deadlock on PostgreSQL, which then aborts one. That batch is run again at once (it was rolled
        back whole): a lost race is not an outage, and reporting it as one raised false alarms."""
        for attempt in range(1, RACE_TRIES + 1):
            try:
                if self.closed:
                    raise RuntimeError("the store is closed")
                await self._writer_within(self._transaction(_apply_all, (list(writes),), {}, True))
                return
            except DBAPIError as error:
                if attempt == RACE_TRIES or not lost_a_race(error):
                    raise

    async def _writer_within(self, call: Awaitable[None]) -> None:
        """The write queue's deadline, in the writer's own task: nobody waits on it, so it may wait out
        psycopg's cancellation, and a test harness that treats the writer as outside input (simcord)
        sees no other task."""
        try:
            async with asyncio.timeout(self.writer_timeout):
                await call
        except TimeoutError as error:
            raise StoreUnavailable(f"the database did not take a batch within {self.writer_timeout:g} s") from error

    async def close(self) -> None:
        """Close every connection; the store is not used after this (a second close is harmless)."""
        self.closed = True
        for task in list(self._abandoned):
            task.cancel()  # a second cancel: psycopg stops waiting for its cancel request and closes at once
        if self._abandoned:
            await asyncio.wait(set(self._abandoned), timeout=1.0)
        await self.engine.dispose()

    # -- reads -------------------------------------------------------------------------------------

    async def stats(self, *, top: int = 10, recent: int = 5) -> Stats:
        return await self.run(queries.stats, top=top, recent=recent)

    async def unanswered(self, limit: int = 1000) -> list[UnansweredQuestion]:
        return await self.run(queries.unanswered, limit)

    async def is_answered(self, target_id: int, *, deadline: float | None = None) -> bool:
        return await self.run(queries.is_answered, target_id, deadline=deadline)

    async def vote_of(self, message_id: int, user_id: int, *, deadline: float | None = None) -> bool | None:
        return await self.run(queries.vote_of, message_id, user_id, deadline=deadline)

    async def usage(self, kind: str) -> dict[str, int]:
        return await self.run(queries.usage_counts, kind)

    async def get_meta(self, key: str) -> str | None:
        return await self.run(queries.get_meta, key)

    async def examples(self, since: datetime | None = None) -> list[LabelledExample]:
        return await self.run(queries.examples, since)

    # -- writes a reply waits for ------------------------------------------------------------------

    async def record_vote(
        self,
        *,
        message_id: int,
        user_id: int,
        entry_id: str,
        solved: bool,
        guild_id: int | None,
        deadline: float | None = None,
    ) -> Vote:
        return await self.run(
            queries.record_vote,
            message_id=message_id,
            user_id=user_id,
            entry_id=entry_id,
            solved=solved,
            guild_id=guild_id,
            write=True,
            deadline=deadline,
        )

    async def set_meta(self, key: str, value: str) -> None:
        await self.run(queries.set_meta, key, value, write=True)

    async def record_example(
        self,
        *,
        guild_id: int | None,
        channel_id: int,
        message_id: int,
        text: str,
        chosen_entry: str,
        bot_entry: str | None,
        bot_confidence: float,
        bot_abstained: bool,
        labelled_by: int,
        source: str,
        linked_vote: VoteRef | None = None,
    ) -> int:
        """A moderator's label; `text` is redacted on the way in. Returns the example's id."""
        return await self.run(
            queries.record_example,
            guild_id=guild_id,
            channel_id=channel_id,
            message_id=message_id,
            text=text,
            chosen_entry=chosen_entry,
            bot_entry=bot_entry,
            bot_confidence=bot_confidence,
            bot_abstained=bot_abstained,
            labelled_by=labelled_by,
            source=source,
            linked_vote=linked_vote,
            write=True,
        )

    async def delete_example(self, example_id: int) -> bool:
        return await self.run(queries.delete_example, example_id, write=True)

    async def link_vote_to_example(self, example_id: int, vote: VoteRef) -> bool:
        return await self.run(queries.link_vote_to_example, example_id, vote, write=True)


def _apply_all(conn: Connection, writes: list[Write]) -> None:
    for function, args, kwargs in writes:
        function(conn, *args, **kwargs)
