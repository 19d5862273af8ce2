"""Several shard processes, one database: what one process wrote, every other one reads and builds on.
Two store instances stand for two processes here (each its own engine and pool); the benchmark test
(tests/store/test_store_bench.py) runs two real processes."""

from __future__ import annotations

import pytest

from bot.store import AsyncStore, Vote, queries
from bot.store.async_store import prepare
from bot.store.db import as_location
from bot.store.export import unanswered_csv
from bot.store.recorder import Recorder


@pytest.fixture
async def two_stores(database_url):
    location = as_location(database_url)
    prepare(location)
    first, second = AsyncStore(location), AsyncStore(location)
    yield first, second
    await first.close()
    await second.close()


async def test_a_vote_recorded_by_one_process_is_known_to_the_other(two_stores):
    first, second = two_stores
    vote = dict(message_id=10, user_id=20, entry_id="pat-create", guild_id=1)
    assert await first.record_vote(solved=True, **vote) is Vote.new
    assert await second.record_vote(solved=True, **vote) is Vote.same  # the click reached the other shard
    assert await second.record_vote(solved=False, **vote) is Vote.changed
    assert await first.vote_of(10, 20) is False


async def test_stats_unanswered_and_answered_marks_cover_every_process(two_stores, engine):
    first, second = two_stores
    writers = [Recorder(first), Recorder(second)]
    for number, recorder in enumerate(writers):
        recorder.record(queries.record_diagnosis, engine.diagnose(f"weather question {number}?"), source="diagnose", guild_id=number)
        recorder.record(queries.record_diagnosis, engine.diagnose("unauthorized_client error"), source="diagnose", guild_id=number)
        recorder.record(queries.count, "entry", "unauthorized-client")
        recorder.record(queries.mark_answered, 100 + number, by="bot")
    for recorder in writers:
        assert await recorder.flush(timeout=30)

    for store in (first, second):
        stats = await store.stats()
        assert (stats.diagnoses, stats.abstained) == (4, 2)
        assert [(e.entry_id, e.uses) for e in stats.top_entries] == [("unauthorized-client", 2)]
        assert await store.is_answered(100) and await store.is_answered(101)
        csv = unanswered_csv(await store.unanswered()).decode()
        assert "weather question 0?" in csv and "weather question 1?" in csv
