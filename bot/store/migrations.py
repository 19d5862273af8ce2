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
]


class SchemaTooNew(RuntimeError):
    """The database was written by a newer authbot; refusing beats silently misreading it."""


def current_version(conn: sqlite3.Connection) -> int:
    conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
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
        if migration.version <= version:
            continue
        # executescript() commits first, so BEGIN/COMMIT are spelled out to keep each step atomic.
        try:
            conn.executescript(
                f"BEGIN;\n{migration.sql}\nDELETE FROM schema_version;\n"
                f"INSERT INTO schema_version (version) VALUES ({migration.version});\nCOMMIT;"
            )
        except sqlite3.Error:
            if conn.in_transaction:
                conn.rollback()
            raise
        version = migration.version
    return version
