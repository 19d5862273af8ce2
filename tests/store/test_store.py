"""The SQLite store: migrations, votes, diagnoses (redacted only), usage, stats."""

from __future__ import annotations

import sqlite3

import pytest

from bot.store import Store, Vote
from bot.store.export import unanswered_csv
from bot.store.migrations import MIGRATIONS, Migration, SchemaTooNew, current_version, migrate

FAKE_TOKEN = "dal:FAKE_test_token_000000000000"


@pytest.fixture
def store():
    store = Store.open(":memory:")
    yield store
    store.close()


def test_a_new_database_is_at_the_latest_version(store):
    assert store.schema_version == MIGRATIONS[-1].version == current_version(store.conn)
    tables = {row[0] for row in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"schema_version", "diagnoses", "votes", "usage", "answered"} <= tables


def test_reopening_keeps_data_and_does_not_migrate_twice(tmp_path):
    path = tmp_path / "sub" / "bot.sqlite3"
    first = Store.open(path)
    first.count("command", "faq")
    first.close()
    second = Store.open(path)
    assert second.usage("command") == {"faq": 1}
    assert second.conn.execute("SELECT COUNT(*) FROM schema_version").fetchone() == (1,)
    second.close()


def test_a_later_migration_upgrades_an_existing_database(tmp_path):
    path = tmp_path / "bot.sqlite3"
    Store.open(path).close()
    extra = Migration(MIGRATIONS[-1].version + 1, "add a column", "ALTER TABLE votes ADD COLUMN comment TEXT;")
    conn = sqlite3.connect(path, isolation_level=None)
    assert migrate(conn, [*MIGRATIONS, extra]) == extra.version
    assert "comment" in {row[1] for row in conn.execute("PRAGMA table_info(votes)")}
    conn.close()


def test_a_failing_migration_rolls_back_completely(tmp_path):
    conn = sqlite3.connect(tmp_path / "bot.sqlite3", isolation_level=None)
    migrate(conn)
    broken = Migration(MIGRATIONS[-1].version + 1, "broken", "CREATE TABLE half (x INTEGER); SELECT * FROM nope;")
    with pytest.raises(sqlite3.OperationalError):
        migrate(conn, [*MIGRATIONS, broken])
    assert current_version(conn) == MIGRATIONS[-1].version
    assert conn.execute("SELECT name FROM sqlite_master WHERE name = 'half'").fetchone() is None
    conn.close()


def test_a_newer_database_is_refused(tmp_path):
    path = tmp_path / "bot.sqlite3"
    Store.open(path).close()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("UPDATE schema_version SET version = 999")
    conn.close()
    with pytest.raises(SchemaTooNew):
        Store.open(path)


def test_votes_one_per_user_per_answer_and_changeable(store):
    vote = dict(message_id=1, entry_id="pat-create", guild_id=7)
    assert store.record_vote(user_id=10, solved=True, **vote) is Vote.new
    assert store.record_vote(user_id=10, solved=True, **vote) is Vote.same
    assert store.record_vote(user_id=10, solved=False, **vote) is Vote.changed
    assert store.record_vote(user_id=11, solved=True, **vote) is Vote.new
    assert store.record_vote(user_id=10, solved=True, message_id=2, entry_id="pat-create", guild_id=7) is Vote.new
    stats = store.stats()
    assert stats.votes == 3
    (entry,) = stats.top_entries
    assert (entry.solved, entry.not_solved, entry.solved_ratio) == (2, 1, 2 / 3)


def test_only_redacted_text_is_stored(store, engine):
    diagnosis = engine.diagnose(f"my token {FAKE_TOKEN} says invalid access token")
    store.record_diagnosis(diagnosis, source="diagnose", guild_id=1)
    dump = "\n".join(store.conn.iterdump())
    assert FAKE_TOKEN not in dump
    assert "[agent-access-token" in dump


def test_stats_and_unanswered(store, engine):
    for text in ("hello, any pizza places nearby?", "what's the weather like", "invalid_request error"):
        store.record_diagnosis(engine.diagnose(text), source="diagnose", guild_id=None)
    store.count("entry", "invalid-request")
    store.count("entry", "invalid-request")
    store.count("entry", "pat-create")

    stats = store.stats(top=1, recent=1)

    assert (stats.diagnoses, stats.abstained) == (3, 2)
    assert [(e.entry_id, e.uses, e.solved_ratio) for e in stats.top_entries] == [("invalid-request", 2, None)]
    assert [q.text for q in stats.recent_unanswered] == ["what's the weather like"]  # newest first
    assert [q.text for q in store.unanswered()] == ["what's the weather like", "hello, any pizza places nearby?"]


def test_answered_marks(store):
    assert not store.is_answered(5)
    store.mark_answered(5, by="moderator")
    store.mark_answered(5, by="bot")  # the first answer wins; no error
    assert store.is_answered(5)
    store.unmark_answered(5)
    assert not store.is_answered(5)


def test_csv_export_neutralises_formulas(store, engine):
    store.record_diagnosis(engine.diagnose("=HYPERLINK('http://evil') weather?"), source="diagnose", guild_id=None)
    data = unanswered_csv(store.unanswered()).decode()
    header, row = data.splitlines()[:2]
    assert header == "created_at,guild_id,source,best_guess,confidence,text"
    assert row.endswith(",'=HYPERLINK('http://evil') weather?")
