"""Shard processes writing the same rows at once on PostgreSQL: every process bumps the same usage
counters, in whatever order its replies came, so two batches can deadlock. PostgreSQL then aborts one
of them; that is a lost race, not an outage: the batch is retried at once and nothing is reported."""

from __future__ import annotations

import asyncio
import logging
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from bot.store import AsyncStore, Store, queries
from bot.store.async_store import prepare
from bot.store.db import as_location
from bot.store.engines import make_async_engine, make_sync_engine
from bot.store.migrate import ADVISORY_LOCK, head_revision, upgrade
from bot.store.recorder import Recorder

pytestmark = pytest.mark.postgres


async def _waiting_on_a_lock(store: AsyncStore) -> None:
    """Until some session of this database waits for a row lock (a sync point, not a timing)."""
    waiting = "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
    for _ in range(3000):
        if await store.run(lambda conn: conn.exec_driver_sql(waiting).scalar()):
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the batch never waited for the other process's lock")


async def test_a_deadlock_with_another_process_is_retried_not_reported_as_an_outage(postgres_server, caplog):
    url = postgres_server.fresh_database()
    location = as_location(url)
    prepare(location)
    store = AsyncStore(location)
    recorder = Recorder(store)
    other = Store.open(url)  # another shard process
    for name in ("a", "b"):
        other.run(queries.count, "command", name, write=True)
    conn = other.engine.connect()
    transaction = conn.begin()
    try:
        queries.count(conn, "command", "a")  # the other process's batch holds "a" …
        with caplog.at_level(logging.WARNING, logger="bot"):
            recorder.record(queries.count, "command", "b")  # … this one takes "b", then waits for "a"
            recorder.record(queries.count, "command", "a")
            await _waiting_on_a_lock(store)

            def other_wants_b() -> bool:  # … and the other now waits for "b": a deadlock
                try:
                    queries.count(conn, "command", "b")
                except OperationalError:  # PostgreSQL chose the other process's batch to abort
                    transaction.rollback()
                    return False
                transaction.commit()
                return True

            other_committed = await asyncio.to_thread(other_wants_b)
            assert await recorder.flush(timeout=30)
        both = 1 + (1 if other_committed else 0) + 1
        assert await store.usage("command") == {"a": both, "b": both}
        assert "database unavailable" not in caplog.text
        assert (recorder.failed, recorder.lost, recorder.down_since) == (0, 0, None)
    finally:
        conn.close()
        other.close()
        await recorder.close()
        await store.close()


async def _until(condition, what: str) -> None:
    for _ in range(1000):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"never: {what}")


async def test_a_row_another_process_keeps_locked_is_an_outage_after_the_busy_timeout(postgres_server, caplog):
    """As on SQLite (busy timeout): a write waits for another transaction's lock only so long, then the
    queue keeps it and says so, instead of hanging silently behind a transaction that never ends."""
    url = postgres_server.fresh_database()
    location = as_location(url)
    prepare(location)
    store = AsyncStore(location, engine=make_async_engine(location, busy_timeout_ms=100))
    recorder = Recorder(store)
    other = Store.open(url)
    other.run(queries.count, "command", "diagnose", write=True)
    conn = other.engine.connect()
    transaction = conn.begin()
    try:
        queries.count(conn, "command", "diagnose")  # held by a transaction left open (an operator's psql)
        with caplog.at_level(logging.WARNING, logger="bot"):
            recorder.record(queries.count, "command", "diagnose")
            await _until(lambda: recorder.down_since is not None, "the locked write was reported")
        assert "database unavailable; 1 write(s) queued" in caplog.text and "lock" in caplog.text
        transaction.commit()
        assert await recorder.flush(timeout=30)
        assert await store.usage("command") == {"diagnose": 3}
    finally:
        conn.close()
        other.close()
        await recorder.close()
        await store.close()


def test_a_migration_waits_for_another_process_migrating_however_long(postgres_server):
    """The busy timeout is not for the migration lock: the second process must wait the first one out."""
    url = postgres_server.fresh_database()
    location = as_location(url)
    prepare(location)
    holder = Store.open(url)
    conn = holder.engine.connect()
    transaction = conn.begin()
    conn.execute(select(func.pg_advisory_xact_lock(ADVISORY_LOCK)))  # "another process is migrating"
    engine = make_sync_engine(location, busy_timeout_ms=100)
    try:
        with ThreadPoolExecutor(1) as pool:
            upgrading = pool.submit(upgrade, engine)
            waiting = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
            for _ in range(3000):
                if upgrading.done() or conn.exec_driver_sql(waiting).scalar():
                    break
                time.sleep(0.01)
            time.sleep(0.3)  # past the busy timeout: a migration subject to it would fail here
            transaction.commit()
            assert upgrading.result(timeout=30) == head_revision()
    finally:
        conn.close()
        holder.close()
        engine.dispose()
