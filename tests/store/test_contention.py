"""Shard processes writing the same rows at once on PostgreSQL: every process bumps the same usage
counters, in whatever order its replies came, so two batches can deadlock. PostgreSQL then aborts one
of them; that is a lost race, not an outage: the batch is retried at once and nothing is reported."""

from __future__ import annotations

import asyncio
import logging

import pytest
from sqlalchemy.exc import OperationalError

from bot.store import AsyncStore, Store, queries
from bot.store.async_store import prepare
from bot.store.db import as_location
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
