"""Make the bot's real SQLite store refuse writes, and take it back: for the tests of what an unwritable
database costs (the stats for a while, never an answer)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

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
