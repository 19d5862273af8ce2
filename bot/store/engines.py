"""SQLAlchemy engines for a `Location`, with each backend's settings in one place.

SQLite: WAL (readers never wait for the writer: `authbot report` may read while the bot writes), a
5 s busy timeout, foreign keys on, and explicit transactions. Python's sqlite3 opens transactions
lazily and never before DDL, so the driver's own handling is switched off and SQLAlchemy's `begin`
emits BEGIN itself; write transactions use BEGIN IMMEDIATE, which takes the write lock up front. A
deferred transaction that reads and then writes (record_vote does) can otherwise fail at once with
SQLITE_BUSY when another process wrote in between: the busy timeout does not cover that upgrade.

PostgreSQL: psycopg 3, `pool_pre_ping` so a pool survives a server restart (the outage test restarts it),
a 5 s connect timeout, and the same busy timeout as SQLite's as `lock_timeout`: a write waits that long
for a row another transaction holds (an operator's psql session left open, a stuck process), then fails
like SQLite's "database is locked" and the write queue keeps it, instead of waiting forever unnoticed.
`statement_timeout` (STATEMENT_TIMEOUT_MS) ends any query that runs far longer than the bot's ever do.
Migrations lift both for their own transaction (bot/store/migrate.py): they must wait for each other.

Both: `hide_parameters` and bot.store.errors' hook, so no error message carries a row's values.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from bot.store.errors import keep_rows_out
from bot.store.location import Location

BUSY_TIMEOUT_MS = 5000
STATEMENT_TIMEOUT_MS = 30_000  # the bot's queries are index lookups and one aggregate: milliseconds
CONNECT_TIMEOUT_S = 5
WRITE = {"authbot_write": True}  # execution option: this transaction writes (BEGIN IMMEDIATE on SQLite)


def _prepare_sqlite(engine: Engine, *, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: object) -> None:
        dbapi_connection.isolation_level = None  # we say BEGIN ourselves (see the module's docstring)
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")  # WAL + NORMAL: durable across crashes, not power loss
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("authbot_write") else "BEGIN")


def _options(location: Location, *, busy_timeout_ms: int, pool_size: int) -> dict[str, Any]:
    """create_engine's keyword arguments for either side; `pool_size` matters to PostgreSQL only."""
    if location.backend == "sqlite":
        return {"hide_parameters": True}
    options = f"-c lock_timeout={int(busy_timeout_ms)} -c statement_timeout={STATEMENT_TIMEOUT_MS}"
    return {
        "hide_parameters": True,
        "pool_pre_ping": True,
        "pool_size": pool_size,
        "max_overflow": pool_size,
        "connect_args": {"connect_timeout": CONNECT_TIMEOUT_S, "options": options},
    }


def _prepare(engine: Engine, location: Location, *, busy_timeout_ms: int) -> None:
    if location.backend == "sqlite":
        _prepare_sqlite(engine, busy_timeout_ms=busy_timeout_ms)
    keep_rows_out(engine)


def _prepare_folder(location: Location) -> None:
    if location.path is not None:
        location.path.parent.mkdir(parents=True, exist_ok=True)


def make_sync_engine(location: Location, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> Engine:
    _prepare_folder(location)
    engine = create_engine(location.sync_url, **_options(location, busy_timeout_ms=busy_timeout_ms, pool_size=2))
    _prepare(engine, location, busy_timeout_ms=busy_timeout_ms)
    return engine


def make_async_engine(location: Location, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> AsyncEngine:
    _prepare_folder(location)
    # PostgreSQL: a few connections per process, the bot's reads plus the recorder's one writer; the
    # server's default of 100 connections then serves dozens of shard processes.
    options = _options(location, busy_timeout_ms=busy_timeout_ms, pool_size=4)
    engine = create_async_engine(location.async_url, **options)
    _prepare(engine.sync_engine, location, busy_timeout_ms=busy_timeout_ms)
    return engine
