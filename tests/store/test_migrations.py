"""Upgrading a database written by an older build keeps every row (feedback, stats, answered marks)."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from bot.store import Store
from bot.store.migrations import MIGRATIONS, Migration, SchemaTooNew, apply_migration, migrate, split_statements

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


def dump(conn: sqlite3.Connection, table: str, columns: str) -> list[tuple]:
    return conn.execute(f"SELECT {columns} FROM {table} ORDER BY 1, 2").fetchall()


V1_COLUMNS = {
    "diagnoses": "id, created_at, guild_id, source, text, entry_id, confidence, abstained",
    "votes": "message_id, user_id, entry_id, solved, guild_id, updated_at",
    "usage": "kind, name, count",
    "answered": "target_id, answered_by, created_at",
}


def test_a_v1_database_is_upgraded_without_losing_rows(tmp_path):
    path = tmp_path / "old.sqlite3"
    make_v1_database(path)
    with sqlite3.connect(path) as conn:
        before = {table: dump(conn, table, columns) for table, columns in V1_COLUMNS.items()}
    conn.close()

    store = Store.open(path)
    try:
        assert store.schema_version == MIGRATIONS[-1].version >= 2
        after = {table: dump(store.conn, table, columns) for table, columns in V1_COLUMNS.items()}
        assert after == before
        # Old rows have no latency; the app works on them and new rows get one.
        assert store.median_latency_ms() is None
        stats = store.stats()
        assert (stats.diagnoses, stats.abstained, stats.votes) == (3, 1, 2)
        assert store.vote_of(9001, 1) is True and store.is_answered(4242)
        assert store.usage("command") == {"diagnose": 7}
    finally:
        store.close()


def test_new_rows_after_the_upgrade_carry_latency(tmp_path, engine):
    path = tmp_path / "old.sqlite3"
    make_v1_database(path)
    store = Store.open(path)
    try:
        diagnosis = engine.diagnose("my PAT gives 401 with Bearer")
        store.record_diagnosis(diagnosis, source="diagnose", guild_id=111)
        assert store.median_latency_ms() == pytest.approx(diagnosis.ms, abs=0.001)
        assert store.stats().diagnoses == 4
    finally:
        store.close()


def test_upgrading_twice_is_a_no_op(tmp_path):
    path = tmp_path / "old.sqlite3"
    make_v1_database(path)
    Store.open(path).close()
    store = Store.open(path)
    assert store.conn.execute("SELECT version FROM schema_version").fetchall() == [(MIGRATIONS[-1].version,)]
    store.close()


def test_a_second_process_that_read_the_old_version_skips_the_step(tmp_path):
    """Two shard processes start on one old file: the loser must not re-run ALTER TABLE."""
    path = tmp_path / "old.sqlite3"
    make_v1_database(path)
    first = sqlite3.connect(path, isolation_level=None)
    second = sqlite3.connect(path, isolation_level=None)
    try:
        assert migrate(first) == MIGRATIONS[-1].version
        # `second` decided to apply v2 from a stale read; inside its lock it sees v2 is done.
        assert apply_migration(second, MIGRATIONS[1]) == MIGRATIONS[-1].version
        assert not second.in_transaction
    finally:
        first.close()
        second.close()


def test_concurrent_opens_of_an_old_database_both_succeed(tmp_path):
    path = tmp_path / "old.sqlite3"
    make_v1_database(path)
    errors: list[BaseException] = []

    def open_it() -> None:
        try:
            Store.open(path).close()
        except BaseException as error:  # reported below, not swallowed
            errors.append(error)

    threads = [threading.Thread(target=open_it) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert errors == []


def test_a_database_from_a_newer_build_is_refused(tmp_path):
    path = tmp_path / "new.sqlite3"
    Store.open(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE schema_version SET version = 99")
    conn.close()
    with pytest.raises(SchemaTooNew, match="99"):
        Store.open(path)


def test_a_migration_failing_halfway_leaves_the_old_version_and_rows(tmp_path):
    path = tmp_path / "old.sqlite3"
    make_v1_database(path)
    broken = Migration(2, "broken", "ALTER TABLE diagnoses ADD COLUMN x REAL; DELETE FROM votes; SELECT * FROM nope;")
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        with pytest.raises(sqlite3.OperationalError):
            migrate(conn, [MIGRATIONS[0], broken])
        assert conn.execute("SELECT version FROM schema_version").fetchone() == (1,)
        assert conn.execute("SELECT COUNT(*) FROM votes").fetchone() == (2,)
        assert "x" not in {row[1] for row in conn.execute("PRAGMA table_info(diagnoses)")}
    finally:
        conn.close()


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("CREATE TABLE a (x);\nCREATE TABLE b (y);", ["CREATE TABLE a (x);", "CREATE TABLE b (y);"]),
        ("-- a comment; with a semicolon\nSELECT 1;  -- trailing", ["-- a comment; with a semicolon\nSELECT 1;"]),
        ("SELECT 'a;b';", ["SELECT 'a;b';"]),
        ("SELECT 1", ["SELECT 1"]),
    ],
)
def test_split_statements(sql, expected):
    assert split_statements(sql) == expected
