"""Make the bot's real SQLite store refuse writes, and take it back: for the tests of what an unwritable
database costs (the stats for a while, never an answer)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from psycopg import connection_async as psycopg_async
from sqlalchemy import event


def _read_only(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA query_only = ON")
    cursor.close()


async def refuse_writes(world) -> Callable[[], Awaitable[None]]:
    """Every connection of the bot's store becomes read-only (SQLite's query_only): each write fails at once
    with "attempt to write a readonly database", as on a read-only file or a full disk. Returns the
    coroutine function that makes it writable again."""
    engine = world.bot.store.engine
    event.listen(engine.sync_engine, "connect", _read_only)
    await engine.dispose()  # the pooled connections were opened before
    world.database_is_outside()

    async def allow_writes() -> None:
        event.remove(engine.sync_engine, "connect", _read_only)
        await engine.dispose()

    return allow_writes


async def hang(world, url: str) -> Callable[[], Awaitable[None]]:
    """Point the running bot's store at `url`, a server that accepts connections and never answers: every
    call a reply awaits meets that server. Returns the coroutine function that gives the store back its own
    SQLite database.

    The store's calls are marked as simcord's outside input: a command waiting on them is parked, and the
    deadline's timer moves with `env.advance_time`, so a test lets the deadline pass without waiting it
    out. The write queue keeps the bot's own engine meanwhile: against a hung server it would retry for
    as long as the test lasts (tests/store/test_deadline.py covers the queue through a hung database)."""
    return await _point_at(world, url, outside=True)


async def refuse(world, url: str) -> Callable[[], Awaitable[None]]:
    """As `hang`, for a server that refuses connections: the calls fail at once, nothing is parked."""
    return await _point_at(world, url, outside=False)


async def _point_at(world, url: str, *, outside: bool) -> Callable[[], Awaitable[None]]:
    from sqlalchemy.ext.asyncio import create_async_engine

    from bot.store import AsyncStore
    from bot.store.db import as_location
    from bot.store.engines import make_async_engine

    store, recorder = world.bot.store, world.bot.recorder
    own, own_outside = store.engine, store.outside
    recorder.store = AsyncStore(store.location, engine=own)
    if outside:
        # A plain engine without psycopg's connect timeout: its 5 s run on the real clock and would end a fresh
        # connection's wait before the store's deadline passes on simcord's virtual one. (In production the
        # deadline is what ends a wait on a connection that was open when the server froze.)
        store.engine = create_async_engine(as_location(url).async_url, connect_args={"connect_timeout": 600})
    else:
        store.engine = make_async_engine(as_location(url))
    if outside:
        store.outside = lambda awaitable: world.env.external_wait(awaitable, reason="database")
        # psycopg's async connect wakes every 0.1 s to look for interrupts. Under simcord each wake-up is a
        # timer that moves the virtual clock, so a command waiting on the hung server never looked settled:
        # its actor returned only when simcord's 5 s ran out, and failed when that instant fell inside one
        # of those moves ("bot did not settle while advancing time", seen under CI load). With one wake-up
        # an hour the wait is a single far timer, parked like any outside input.
        polling, psycopg_async._WAIT_INTERVAL = psycopg_async._WAIT_INTERVAL, 3600.0

    async def answer_again() -> None:
        if outside:
            psycopg_async._WAIT_INTERVAL = polling
        hung, store.engine, store.outside = store.engine, own, own_outside
        recorder.store = store
        await hung.dispose()

    return answer_again
