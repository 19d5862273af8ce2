"""Bring a database to the schema this build expects, with Alembic (history in bot/store/migrations/versions).

Race-safe when several shard processes start at once: the whole upgrade runs in one transaction that
first takes a lock held until it commits, `pg_advisory_xact_lock` on PostgreSQL and BEGIN IMMEDIATE (the
write lock) on SQLite. The second process waits, then finds the schema at head and does nothing. DDL is
transactional on both backends, so a failing step leaves the database as it was.

A database stamped with a revision this build does not know was written by a newer build: refused
(`SchemaTooNew`) rather than misread. So is a pre-Alembic file with a hand-written version above 3.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.script.revision import ResolutionError
from alembic.util import CommandError
from sqlalchemy import Connection, Engine, func, select

from bot.store.engines import WRITE

SCRIPTS = Path(__file__).with_name("migrations")
# Any fixed 64-bit number works; every authbot process uses this one ("authbot" in ASCII).
ADVISORY_LOCK = 0x61757468626F74


class SchemaTooNew(RuntimeError):
    """The database was written by a newer authbot; refusing beats silently misreading it."""


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(SCRIPTS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine) -> str:
    """Apply every pending migration under the cross-process lock; return the revision now in force."""
    with engine.connect() as conn:
        conn = conn.execution_options(**WRITE)
        with conn.begin():
            if conn.dialect.name == "postgresql":
                # The engines' lock and statement timeouts are for the bot's writes; this transaction
                # must wait out another process's migration, and a migration may run long.
                conn.exec_driver_sql("SET LOCAL lock_timeout = 0")
                conn.exec_driver_sql("SET LOCAL statement_timeout = 0")
                conn.execute(select(func.pg_advisory_xact_lock(ADVISORY_LOCK)))
            current = current_revision(conn)
            scripts = ScriptDirectory.from_config(alembic_config())
            if current is not None and not _known(scripts, current):
                raise SchemaTooNew(f"database schema revision {current} is newer than this build ({head_revision()})")
            if current != scripts.get_current_head():
                command.upgrade(alembic_config(conn), "head")
    return head_revision()


def _known(scripts: ScriptDirectory, revision: str) -> bool:
    try:
        return scripts.get_revision(revision) is not None
    except (ResolutionError, CommandError):  # "Can't locate revision": not in this build's history
        return False
