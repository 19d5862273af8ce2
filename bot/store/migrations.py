"""Schema migrations, applied in order on open. Append new ones; never edit a released one.

`schema_version` holds one row with the number of the last migration applied, so a database
written by an older build is upgraded in place and a newer one is refused rather than misread.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    sql: str


MIGRATIONS: list[Migration] = [
    Migration(
        1,
        "feedback votes, diagnoses, usage counts, answered messages",
        """
        CREATE TABLE diagnoses (
            id INTEGER PRIMARY KEY,
            created_at TEXT NOT NULL,
            guild_id INTEGER,
            source TEXT NOT NULL,          -- diagnose | context-menu | help-channel
            text TEXT NOT NULL,            -- the REDACTED text only
            entry_id TEXT,                 -- best guess, also when abstained
            confidence REAL NOT NULL,
            abstained INTEGER NOT NULL
        );
        CREATE INDEX diagnoses_abstained ON diagnoses (abstained, id);

        CREATE TABLE votes (
            message_id INTEGER NOT NULL,   -- the answer message the buttons sit under
            user_id INTEGER NOT NULL,
            entry_id TEXT NOT NULL,
            solved INTEGER NOT NULL,
            guild_id INTEGER,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (message_id, user_id)
        );
        CREATE INDEX votes_entry ON votes (entry_id);

        CREATE TABLE usage (
            kind TEXT NOT NULL,            -- command | entry
            name TEXT NOT NULL,
            count INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (kind, name)
        );

        CREATE TABLE answered (
            target_id INTEGER PRIMARY KEY, -- a message id, or a thread id for forum posts
            answered_by TEXT NOT NULL,     -- bot | moderator
            created_at TEXT NOT NULL
        );
        """,
    ),
    Migration(
        2,
        "diagnosis latency, for the median in /kb stats and authbot report",
        """
        -- NULL for diagnoses recorded before v2: the old build did not measure it.
        ALTER TABLE diagnoses ADD COLUMN latency_ms REAL;
        CREATE INDEX diagnoses_latency ON diagnoses (latency_ms);  -- the median query walks this index
        """,
    ),
    Migration(
        3,
        "small key/value facts the bot keeps between runs (the digest of the last synced command tree)",
        """
        CREATE TABLE meta (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        """,
    ),
]


class SchemaTooNew(RuntimeError):
    """The database was written by a newer authbot; refusing beats silently misreading it."""


def current_version(conn: sqlite3.Connection) -> int:
    conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
    return _read_version(conn)


def _read_version(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT version FROM schema_version").fetchone()
    return int(row[0]) if row else 0


def migrate(conn: sqlite3.Connection, migrations: list[Migration] | None = None) -> int:
    """Apply every pending migration, each in its own transaction; return the resulting version."""
    migrations = MIGRATIONS if migrations is None else migrations
    version = current_version(conn)
    latest = max((m.version for m in migrations), default=0)
    if version > latest:
        raise SchemaTooNew(f"database schema version {version} is newer than this build ({latest})")
    for migration in sorted(migrations, key=lambda m: m.version):
        if migration.version > version:
            version = apply_migration(conn, migration)
    return version


def apply_migration(conn: sqlite3.Connection, migration: Migration) -> int:
    """Apply one migration atomically unless another process already did; return the version after.

    Several shard processes may open the same SQLite file at once. BEGIN IMMEDIATE takes the write
    lock *before* the version is re-read, so the second process waits, sees the new version and skips
    the step instead of failing on e.g. "duplicate column name".
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = _read_version(conn)
        if version < migration.version:
            # Statement by statement: executescript() would COMMIT our open transaction first.
            for statement in split_statements(migration.sql):
                conn.execute(statement)
            conn.execute("DELETE FROM schema_version")
            conn.execute("INSERT INTO schema_version (version) VALUES (?)", (migration.version,))
            version = migration.version
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return version


def split_statements(sql: str) -> list[str]:
    """Split a script at the semicolons SQLite itself would end statements at (not those in comments)."""
    statements, start = [], 0
    for end, char in enumerate(sql):
        if char == ";" and sqlite3.complete_statement(sql[start : end + 1]):
            statement = sql[start : end + 1].strip()
            if statement.strip(";").strip():
                statements.append(statement)
            start = end + 1
    rest = sql[start:].strip()
    if rest and not all(line.strip().startswith("--") for line in rest.splitlines() if line.strip()):
        statements.append(rest)
    return statements
