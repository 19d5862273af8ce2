"""The bot's store: every call awaits the database without blocking the event loop (aiosqlite runs
SQLite in its own thread; psycopg 3 speaks to PostgreSQL asynchronously).

Reads that decide a reply (is this question answered? this member's previous vote?) and the few writes
a reply depends on are awaited here. Bookkeeping that follows a reply goes through
`bot.store.recorder.Recorder` instead, queued and batched. Migrations are not run here: `prepare()`
runs them before the event loop starts (bot/app.py), or in a worker thread.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.store import queries
from bot.store.engines import WRITE, make_async_engine, make_sync_engine
from bot.store.errors import lost_a_race
from bot.store.location import Location
from bot.store.migrate import upgrade
from bot.store.models import LabelledExample, Stats, UnansweredQuestion, Vote, VoteRef

T = TypeVar("T")
#: Tries of a batch that keeps losing races with other processes before it counts as a failure.
RACE_TRIES = 5
#: A queued write: `function(connection, *args, **kwargs)`, one of bot.store.queries' writes or a composition.
Write = tuple[Callable[..., Any], tuple[Any, ...], dict[str, Any]]


def prepare(location: Location) -> str:
    """Create or upgrade the schema (blocking; under the cross-process migration lock)."""
    engine = make_sync_engine(location)
    try:
        return upgrade(engine)
    finally:
        engine.dispose()


class AsyncStore:
    def __init__(self, location: Location, *, engine: AsyncEngine | None = None) -> None:
        self.location = location
        self.engine = engine or make_async_engine(location)  # connects lazily, on the first query
        self.closed = False

    async def run(self, query: Callable[..., T], *args: Any, write: bool = False, **kwargs: Any) -> T:
        """`query(connection, *args, **kwargs)` in one transaction (a write transaction when `write`)."""
        if self.closed:
            raise RuntimeError("the store is closed")
        async with self.engine.connect() as conn:
            if write:
                conn = await conn.execution_options(**WRITE)
            async with conn.begin():
                return await conn.run_sync(query, *args, **kwargs)

    async def run_batch(self, writes: Sequence[Write]) -> None:
        """Several queued writes in one transaction: all land or none does.

        Shard processes bump the same usage counters in whatever order their replies came, so two batches
        can deadlock on PostgreSQL, which then aborts one. That batch is run again at once (it was rolled
        back whole): a lost race is not an outage, and reporting it as one raised false alarms."""
        for attempt in range(1, RACE_TRIES + 1):
            try:
                await self.run(_apply_all, list(writes), write=True)
                return
            except DBAPIError as error:
                if attempt == RACE_TRIES or not lost_a_race(error):
                    raise

    async def close(self) -> None:
        """Close every connection; the store is not used after this (a second close is harmless)."""
        self.closed = True
        await self.engine.dispose()

    # -- reads -------------------------------------------------------------------------------------

    async def stats(self, *, top: int = 10, recent: int = 5) -> Stats:
        return await self.run(queries.stats, top=top, recent=recent)

    async def unanswered(self, limit: int = 1000) -> list[UnansweredQuestion]:
        return await self.run(queries.unanswered, limit)

    async def is_answered(self, target_id: int) -> bool:
        return await self.run(queries.is_answered, target_id)

    async def vote_of(self, message_id: int, user_id: int) -> bool | None:
        return await self.run(queries.vote_of, message_id, user_id)

    async def usage(self, kind: str) -> dict[str, int]:
        return await self.run(queries.usage_counts, kind)

    async def get_meta(self, key: str) -> str | None:
        return await self.run(queries.get_meta, key)

    async def examples(self, since: datetime | None = None) -> list[LabelledExample]:
        return await self.run(queries.examples, since)

    # -- writes a reply waits for ------------------------------------------------------------------

    async def record_vote(
        self, *, message_id: int, user_id: int, entry_id: str, solved: bool, guild_id: int | None
    ) -> Vote:
        return await self.run(
            queries.record_vote,
            message_id=message_id,
            user_id=user_id,
            entry_id=entry_id,
            solved=solved,
            guild_id=guild_id,
            write=True,
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

