"""The store on both backends (tests/store/conftest.py): votes, diagnoses (redacted only), usage, answered
marks, meta, stats, labelled examples, CSV; and the schema Alembic builds is the one the code declares."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from bot.store import MAX_STORED_TEXT, Store, Vote, VoteRef, queries
from bot.store.export import unanswered_csv
from bot.store.migrate import SchemaTooNew, head_revision
from bot.store.schema import metadata

FAKE_TOKEN = "dal:FAKE_test_token_000000000000"


def test_a_new_database_is_at_head_and_matches_the_declared_schema(store):
    assert store.schema_revision == head_revision()
    with store.engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), metadata)
    assert differences == []


def test_reopening_keeps_data_and_migrates_nothing(database_url):
    first = Store.open(database_url)
    first.run(queries.count, "command", "faq", write=True)
    first.close()
    second = Store.open(database_url)
    try:
        assert second.run(queries.usage_counts, "command") == {"faq": 1}
        assert second.run(lambda c: c.execute(text("SELECT COUNT(*) FROM alembic_version")).scalar()) == 1
    finally:
        second.close()


def test_a_database_from_a_newer_build_is_refused(database_url):
    Store.open(database_url).close()
    store = Store.open(database_url)
    store.run(lambda c: c.execute(text("UPDATE alembic_version SET version_num = '9999_future'")), write=True)
    store.close()
    with pytest.raises(SchemaTooNew, match="9999_future"):
        Store.open(database_url)


def test_votes_one_per_user_per_answer_and_changeable(store):
    def vote(**values):
        return store.run(queries.record_vote, **{"message_id": 1, "entry_id": "pat-create", "guild_id": 7, **values}, write=True)

    assert vote(user_id=10, solved=True) is Vote.new
    assert vote(user_id=10, solved=True) is Vote.same
    assert vote(user_id=10, solved=False) is Vote.changed
    assert vote(user_id=11, solved=True) is Vote.new
    assert vote(user_id=10, solved=True, message_id=2) is Vote.new
    stats = store.stats()
    assert stats.votes == 3
    (entry,) = stats.top_entries
    assert (entry.solved, entry.not_solved, entry.solved_ratio) == (2, 1, 2 / 3)
    assert store.run(queries.vote_of, 1, 10) is False and store.run(queries.vote_of, 1, 99) is None


def test_discord_ids_use_all_64_bits(store):
    big = 2**63 - 1  # snowflakes grow past 2**32; a 32-bit column would overflow on PostgreSQL
    store.run(queries.record_vote, message_id=big, user_id=big, entry_id="x", solved=True, guild_id=big, write=True)
    store.run(queries.mark_answered, big, by="bot", write=True)
    assert store.run(queries.vote_of, big, big) is True and store.run(queries.is_answered, big)


def dump(store: Store) -> str:
    tables = [t.name for t in metadata.sorted_tables]
    return repr([store.run(lambda c, t=t: c.execute(text(f"SELECT * FROM {t}")).all()) for t in tables])


def test_only_redacted_text_is_stored(store, engine):
    diagnosis = engine.diagnose(f"my token {FAKE_TOKEN} says invalid access token")
    store.record_diagnosis(diagnosis, source="diagnose", guild_id=1)
    assert FAKE_TOKEN not in dump(store)
    assert "[agent-access-token" in dump(store)


def test_stats_and_unanswered(store, engine):
    for question in ("hello, any pizza places nearby?", "what's the weather like", "invalid_request error"):
        store.record_diagnosis(engine.diagnose(question), source="diagnose", guild_id=None)
    for name in ("invalid-request", "invalid-request", "pat-create"):
        store.run(queries.count, "entry", name, write=True)

    stats = store.stats(top=1, recent=1)

    assert (stats.diagnoses, stats.abstained) == (3, 2)
    assert [(e.entry_id, e.uses, e.solved_ratio) for e in stats.top_entries] == [("invalid-request", 2, None)]
    assert [q.text for q in stats.recent_unanswered] == ["what's the weather like"]  # newest first
    assert [q.text for q in store.unanswered()] == ["what's the weather like", "hello, any pizza places nearby?"]
    assert stats.median_latency_ms is not None
    assert datetime.fromisoformat(stats.recent_unanswered[0].created_at) <= datetime.now(UTC)


def test_answered_marks_and_meta(store):
    assert not store.run(queries.is_answered, 5)
    store.run(queries.mark_answered, 5, by="moderator", write=True)
    store.run(queries.mark_answered, 5, by="bot", write=True)  # the first answer wins; no error
    assert store.run(queries.is_answered, 5)
    store.run(queries.unmark_answered, 5, write=True)
    assert not store.run(queries.is_answered, 5)
    assert store.run(queries.get_meta, "k") is None
    store.run(queries.set_meta, "k", "one", write=True)
    store.run(queries.set_meta, "k", "two", write=True)
    assert store.run(queries.get_meta, "k") == "two"


def test_csv_export_neutralises_formulas(store, engine):
    store.record_diagnosis(engine.diagnose("=HYPERLINK('http://evil') weather?"), source="diagnose", guild_id=None)
    data = unanswered_csv(store.unanswered()).decode()
    header, row = data.splitlines()[:2]
    assert header == "created_at,guild_id,source,best_guess,confidence,text"
    assert row.endswith(",'=HYPERLINK('http://evil') weather?")


# -- labelled examples (issue 15's learning loop) ---------------------------------------------------

EXAMPLE = dict(
    guild_id=1,
    channel_id=2,
    message_id=3,
    chosen_entry="pat-auth-fails",
    bot_entry="invalid-access-token",
    bot_confidence=0.42,
    bot_abstained=True,
    labelled_by=4,
    source="slash",
)


async def test_labelled_examples_round_trip_redacted(astore):
    before = datetime.now(UTC) - timedelta(seconds=1)
    first = await astore.record_example(text=f"my PAT {FAKE_TOKEN} gives 401" + "x" * 3000, **EXAMPLE)
    second = await astore.record_example(text="why 401?", **{**EXAMPLE, "source": "context_menu", "bot_entry": None})

    found = await astore.examples()
    assert [e.id for e in found] == [first, second]
    example = found[0]
    assert FAKE_TOKEN not in example.text and "[personal-access-token" in example.text
    assert len(example.text) == MAX_STORED_TEXT
    assert (example.chosen_entry, example.bot_entry, example.bot_confidence, example.bot_abstained) == (
        "pat-auth-fails",
        "invalid-access-token",
        0.42,
        True,
    )
    assert (example.guild_id, example.channel_id, example.message_id, example.labelled_by) == (1, 2, 3, 4)
    assert example.created_at.tzinfo is not None and before <= example.created_at <= datetime.now(UTC)
    assert found[1].bot_entry is None and found[1].source == "context_menu" and found[1].linked_vote is None
    assert [e.id for e in await astore.examples(since=found[1].created_at)] == [second]
    assert await astore.examples(since=datetime.now(UTC) + timedelta(minutes=1)) == []

    assert await astore.delete_example(first) is True
    assert await astore.delete_example(first) is False
    assert [e.id for e in await astore.examples()] == [second]


async def test_an_example_links_to_a_not_solved_vote(astore):
    example_id = await astore.record_example(text="401 again", **EXAMPLE)
    await astore.record_vote(message_id=9, user_id=8, entry_id="invalid-access-token", solved=False, guild_id=1)
    await astore.record_vote(message_id=9, user_id=7, entry_id="invalid-access-token", solved=True, guild_id=1)

    assert await astore.link_vote_to_example(example_id, VoteRef(9, 8)) is True
    assert (await astore.examples())[0].linked_vote == VoteRef(9, 8)
    with pytest.raises(ValueError, match="Not solved"):
        await astore.link_vote_to_example(example_id, VoteRef(9, 7))  # a "Solved" vote
    with pytest.raises(ValueError, match="Not solved"):
        await astore.link_vote_to_example(example_id, VoteRef(1, 1))  # no such vote
    assert await astore.link_vote_to_example(example_id + 100, VoteRef(9, 8)) is False


async def test_an_example_source_is_checked_in_code_and_in_the_schema(astore):
    with pytest.raises(ValueError, match="source"):
        await astore.record_example(text="x", **{**EXAMPLE, "source": "dm"})
    insert = "INSERT INTO labelled_examples (created_at, channel_id, message_id, text, chosen_entry, bot_confidence,"
    insert += " bot_abstained, labelled_by, source) VALUES ('2026-01-01', 1, 1, 't', 'e', 0, false, 1, 'dm')"
    with pytest.raises(IntegrityError):
        await astore.run(lambda c: c.execute(text(insert)), write=True)
