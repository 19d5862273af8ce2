"""Upgrading a database written by an older build keeps every row (feedback, stats, answered marks), and
migrations are safe when several shard processes start at once."""

from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.store import Store
from bot.store.migrate import SchemaTooNew, head_revision

SCHEMA_V1 = Path(__file__).with_name("schema_v1.sql")


def make_v1_database(path: Path) -> None:
    """A database as authbot 0.1 left it: v1 schema, WAL, and rows written with the old INSERTs."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.executescript(SCHEMA_V1.read_text())
    conn.executemany(
        "INSERT INTO diagnoses (created_at, guild_id, source, text, entry_id, confidence, abstained)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            ("2026-01-02T10:00:00+00:00", 111, "diagnose", "401 with my PAT", "pat-auth-fails", 0.93, 0),
            ("2026-01-02T11:00:00+00:00", 111, "help-channel", "what is love", None, 0.1, 1),
            ("2026-01-03T09:30:00+00:00", None, "context-menu", "[agent-access-token …a1b2] expired", "rtm-token-expired", 0.7, 0),
        ],
    )
    conn.executemany(
        "INSERT INTO votes (message_id, user_id, entry_id, solved, guild_id, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
        [(9001, 1, "pat-auth-fails", 1, 111, "2026-01-02T10:01:00+00:00"), (9001, 2, "pat-auth-fails", 0, 111, "x")],
    )
    conn.executemany(
        "INSERT INTO usage (kind, name, count) VALUES (?, ?, ?)",
        [("command", "diagnose", 7), ("entry", "pat-auth-fails", 5)],
    )
    conn.execute("INSERT INTO answered (target_id, answered_by, created_at) VALUES (4242, 'bot', 'x')")
    conn.close()


def make_v3_database(path: Path) -> None:
    """The last hand-written schema: v1 plus latency_ms (v2) and meta (v3), with rows in each."""
    make_v1_database(path)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.executescript(
        "ALTER TABLE diagnoses ADD COLUMN latency_ms REAL;"
        "CREATE INDEX diagnoses_latency ON diagnoses (latency_ms);"
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
        "INSERT INTO meta VALUES ('commands:1:global', 'digest');"
        "UPDATE diagnoses SET latency_ms = 12.5 WHERE id = 1;"
        "UPDATE schema_version SET version = 3;"
    )
    conn.close()


V1_COLUMNS = {
    "diagnoses": "id, created_at, guild_id, source, text, entry_id, confidence, abstained",
    "votes": "message_id, user_id, entry_id, solved, guild_id, updated_at",
    "usage": "kind, name, count",
    "answered": "target_id, answered_by, created_at",
}


def rows(path: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(path)
    try:
        return {t: conn.execute(f"SELECT {c} FROM {t} ORDER BY 1, 2").fetchall() for t, c in V1_COLUMNS.items()}
    finally:
        conn.close()


def tables(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        conn.close()


def test_a_v1_database_is_upgraded_without_losing_rows(tmp_path):
    path = tmp_path / "old.sqlite3"
    make_v1_database(path)
    before = rows(path)

    store = Store.open(path)
    try:
        assert store.schema_revision == head_revision()
        stats = store.stats()
        assert (stats.diagnoses, stats.abstained, stats.votes) == (3, 1, 2)
        assert stats.median_latency_ms is None  # old rows were never timed
        assert [q.text for q in store.unanswered()] == ["what is love"]
    finally:
        store.close()
    assert rows(path) == before
    assert "schema_version" not in tables(path) and {"alembic_version", "meta", "labelled_examples"} <= tables(path)


def test_a_v3_database_keeps_its_latencies_and_meta(tmp_path, engine):
    path = tmp_path / "old.sqlite3"
    make_v3_database(path)
    before = rows(path)
    store = Store.open(path)
    try:
        assert rows(path) == before
        assert store.stats().median_latency_ms == 12.5
        assert store.run(lambda c: c.execute(text("SELECT value FROM meta")).scalar()) == "digest"
        diagnosis = engine.diagnose("my PAT gives 401 with Bearer")
        store.record_diagnosis(diagnosis, source="diagnose", guild_id=111)
        assert store.stats().diagnoses == 4
    finally:
        store.close()


def test_a_hand_written_version_from_a_newer_build_is_refused(tmp_path):
    path = tmp_path / "odd.sqlite3"
    make_v1_database(path)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE schema_version SET version = 99")
    conn.close()
    with pytest.raises(SchemaTooNew, match="99"):
        Store.open(path)
    assert "schema_version" in tables(path) and rows(path)["votes"]


def test_a_migration_failing_halfway_leaves_the_old_file_as_it_was(tmp_path):
    """DDL is transactional: adopting the old file fails on the last step, and nothing before it stays."""
    path = tmp_path / "old.sqlite3"
    make_v1_database(path)
    with sqlite3.connect(path) as conn:  # in the way of the last CREATE TABLE of revision 0001
        conn.execute("CREATE TABLE labelled_examples (x INTEGER)")
    conn.close()
    before = rows(path)
    with pytest.raises(Exception, match="labelled_examples"):
        Store.open(path)
    assert rows(path) == before
    assert "schema_version" in tables(path) and "alembic_version" not in tables(path) and "meta" not in tables(path)


def _open_and_close(url: str) -> None:
    Store.open(url).close()


def test_shard_processes_starting_at_once_migrate_once(database_url, tmp_path):
    """Four processes open one new database together: the migration lock lets one build it, the others
    wait and find it done (an unguarded second CREATE TABLE would fail)."""
    if database_url.startswith("sqlite"):
        make_v1_database(Path(database_url.removeprefix("sqlite:///")))
    context = multiprocessing.get_context("spawn")
    processes = [context.Process(target=_open_and_close, args=(database_url,)) for _ in range(4)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=60)
    assert [p.exitcode for p in processes] == [0, 0, 0, 0]
    store = Store.open(database_url)
    try:
        assert store.run(lambda c: c.execute(text("SELECT COUNT(*) FROM alembic_version")).scalar()) == 1
    finally:
        store.close()
