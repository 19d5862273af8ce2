"""The write queue: batched writes land; an outage of a real PostgreSQL server (stopped, then started)
keeps the bot's writes queued and catches up when it returns; a full queue reports what it dropped."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bot.store import AsyncStore, queries
from bot.store.async_store import prepare
from bot.store.db import as_location
from bot.store.recorder import Recorder


async def test_queued_writes_land_in_batches(astore):
    recorder = Recorder(astore, batch_size=50)
    batches: list[int] = []
    original = astore.run_batch

    async def counting(writes):
        batches.append(len(writes))
        await original(writes)

    astore.run_batch = counting
    for _ in range(120):
        recorder.record(queries.count, "command", "diagnose")
    assert await recorder.flush(timeout=30)
    assert await astore.usage("command") == {"diagnose": 120}
    assert batches == [50, 50, 20] and recorder.written == 120 and recorder.queued == 0


async def test_a_write_refused_on_its_own_is_dropped_alone(astore, caplog):
    recorder = Recorder(astore)
    recorder.record(queries.count, "command", "before")
    recorder.record(queries.record_example, text="x", **{**BAD_EXAMPLE})  # violates NOT NULL channel_id
    recorder.record(queries.count, "command", "after")
    with caplog.at_level(logging.WARNING, logger="bot"):
        assert await recorder.flush(timeout=30)
    assert await astore.usage("command") == {"before": 1, "after": 1}
    assert (recorder.written, recorder.failed, recorder.lost) == (2, 1, 0)
    assert "database write record_example failed" in caplog.text


BAD_EXAMPLE = dict(
    guild_id=1, channel_id=None, message_id=1, chosen_entry="e", bot_entry=None, bot_confidence=0.0,
    bot_abstained=False, labelled_by=1, source="slash",
)


@pytest.mark.postgres
async def test_a_postgresql_outage_queues_the_writes_and_catches_up(postgres_server, caplog):
    location = as_location(postgres_server.fresh_database())
    prepare(location)
    store = AsyncStore(location)
    recorder = Recorder(store)
    try:
        recorder.record(queries.count, "command", "diagnose")
        assert await recorder.flush(timeout=30)

        postgres_server.stop()
        try:
            with caplog.at_level(logging.WARNING, logger="bot"):
                for _ in range(25):
                    recorder.record(queries.count, "command", "diagnose")
                assert not await recorder.flush(timeout=2)  # nothing can be written, nothing is dropped
            assert recorder.queued == 25 and recorder.down_since is not None
            assert "database unavailable; 25 write(s) queued" in caplog.text
        finally:
            postgres_server.start()

        with caplog.at_level(logging.WARNING, logger="bot"):
            assert await recorder.flush(timeout=60)  # the next retry finds the server back
        assert "database back after" in caplog.text
        assert await store.usage("command") == {"diagnose": 26}
        assert (recorder.lost, recorder.failed, recorder.down_since) == (0, 0, None)
    finally:
        await recorder.close()
        await store.close()


@pytest.mark.postgres
async def test_an_outage_longer_than_the_queue_reports_the_loss(postgres_server, caplog):
    location = as_location(postgres_server.fresh_database())
    prepare(location)
    store = AsyncStore(location)
    recorder = Recorder(store, max_queued=10)
    postgres_server.stop()
    try:
        for _ in range(15):
            recorder.record(queries.count, "command", "diagnose")
        await asyncio.sleep(0.2)
    finally:
        postgres_server.start()
    with caplog.at_level(logging.WARNING, logger="bot"):
        assert await recorder.flush(timeout=60)
    assert recorder.lost == 5 and await store.usage("command") == {"diagnose": 10}
    assert "5 write(s) lost to the full queue so far" in caplog.text
    await recorder.close()
    await store.close()


async def test_at_shutdown_writes_the_database_cannot_take_are_counted_as_lost(tmp_path, caplog):
    location = as_location(f"sqlite:///{tmp_path / 'a.sqlite3'}")
    prepare(location)
    store = AsyncStore(location)
    recorder = Recorder(store)
    await store.run(lambda conn: conn.exec_driver_sql("PRAGMA query_only = ON"))  # the pooled connection
    recorder.record(queries.count, "command", "diagnose")
    with caplog.at_level(logging.ERROR, logger="bot"):
        await recorder.close(timeout=1)
    assert recorder.lost == 1 and recorder.queued == 0
    assert "1 queued write(s) lost" in caplog.text
    await store.close()
