"""`authbot health`: is this installation able to run (and, with --running, is the bot running)?

For supervisors and container health checks. Each check prints one line; a failed check says why in
that line. Exit status 0 when every check passes, 1 otherwise (never 2: Docker reserves it).

Checks, in order:
- config: the settings validate (with --running, a Discord token is set);
- knowledge: the knowledge folder loads without errors, exactly as the bot would load it;
- database: DATABASE_URL/DATABASE_PATH names a database this build supports, it opens (running
  pending migrations, as the bot would) and a write is accepted (then rolled back); a SQLite file that
  does not exist yet is not created, only its folder checked;
- heartbeat (only with --running): HEARTBEAT_FILE was touched within --max-age seconds, i.e. the
  bot is connected to the gateway, not merely started or hung.

It never contacts Discord or LiveChat: a health check that depends on someone else's uptime would
restart a healthy bot during their outage.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from bot.knowledge.loader import read_knowledge
from bot.settings import Settings, settings_problems
from bot.store import Store
from bot.store.engines import WRITE
from bot.store.location import UnsupportedDatabase, database_location
from bot.store.migrate import SchemaTooNew

#: Three missed beats (the bot writes every 30 s) before a running bot counts as unhealthy.
DEFAULT_MAX_AGE = 90.0


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str

    def line(self) -> str:
        return f"{'ok  ' if self.ok else 'FAIL'} {self.name}: {self.detail}"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--running",
        action="store_true",
        help="a bot should be running here: also require DISCORD_TOKEN and a recent HEARTBEAT_FILE",
    )
    parser.add_argument(
        "--max-age",
        type=float,
        default=DEFAULT_MAX_AGE,
        metavar="SECONDS",
        help=f"how old the heartbeat may be with --running (default {DEFAULT_MAX_AGE:.0f})",
    )


def main(args: argparse.Namespace) -> int:
    checks = run_checks(running=args.running, max_age=args.max_age)
    for check in checks:
        print(check.line(), file=sys.stdout if check.ok else sys.stderr)
    return 0 if all(check.ok for check in checks) else 1


def run_checks(*, running: bool = False, max_age: float = DEFAULT_MAX_AGE) -> list[Check]:
    try:
        settings = Settings()
    except ValidationError as error:
        # Nothing else can be checked without settings; say what is wrong with them.
        return [Check("config", False, "; ".join(settings_problems(error)))]
    checks = [check_config(settings, running=running), check_knowledge(settings), check_database(settings)]
    if running:
        checks.append(check_heartbeat(settings, max_age=max_age))
    return checks


def check_config(settings: Settings, *, running: bool) -> Check:
    token = settings.discord_token.get_secret_value().strip() if settings.discord_token else ""
    if running and not token:
        return Check("config", False, "DISCORD_TOKEN is not set, so no bot can be running")
    shards = f"shards {settings.shard_ids or 'all'} of {settings.shard_count}" if settings.shard_count else "unsharded"
    return Check("config", True, f"valid ({'token set' if token else 'no token: shell only'}, {shards})")


def check_knowledge(settings: Settings) -> Check:
    directory = Path(settings.knowledge_dir)
    kb, problems = read_knowledge(directory)
    errors = [p for p in problems if not p.warning]
    if kb is None or errors:
        first = errors[0] if errors else "the knowledge base did not load"
        more = f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})" if len(errors) > 1 else ""
        return Check("knowledge", False, f"{first}{more}; run `authbot kb check {directory}`")
    return Check("knowledge", True, f"{len(kb)} entries from {directory}")


def check_database(settings: Settings) -> Check:
    try:
        location = database_location(settings)
    except UnsupportedDatabase as error:
        return Check("database", False, str(error))
    if location.path is not None and not location.path.exists():
        return _database_to_be(location.path)
    try:
        store = Store.open(location)
    except (OSError, SQLAlchemyError, SchemaTooNew) as error:
        return Check("database", False, f"cannot open {location}: {_reason(error)}")
    try:
        # A write transaction (BEGIN IMMEDIATE on SQLite takes the write lock) and an UPDATE: they fail on
        # a read-only file, folder or role, which a plain SELECT would not notice. Rolled back.
        with store.engine.connect() as conn, conn.execution_options(**WRITE).begin() as transaction:
            conn.execute(text("UPDATE alembic_version SET version_num = version_num"))
            transaction.rollback()
    except SQLAlchemyError as error:
        return Check("database", False, f"{location} is not writable: {_reason(error)}")
    finally:
        store.close()
    return Check("database", True, f"{location} writable (schema revision {store.schema_revision})")


def _reason(error: Exception) -> str:
    """The driver's own words, without SQLAlchemy's statement dump and documentation link."""
    return str(getattr(error, "orig", None) or error)


def _database_to_be(path: Path) -> Check:
    """A check creates nothing (run from a checkout, it used to leave authbot.sqlite3 behind): the bot
    creates the file and its folders on start, so only ask whether it could."""
    folder = path.parent
    while not folder.exists():
        folder = folder.parent
    if not folder.is_dir():
        return Check("database", False, f"cannot open {path}: {folder} is not a directory")
    if not os.access(folder, os.W_OK | os.X_OK):
        return Check("database", False, f"cannot open {path}: {folder} is not writable")
    return Check("database", True, f"{path} not created yet (the bot creates it on start; {folder} is writable)")


def check_heartbeat(settings: Settings, *, max_age: float) -> Check:
    path = settings.heartbeat_file
    if path is None:
        return Check("heartbeat", False, "--running needs HEARTBEAT_FILE, which the bot touches every 30 s")
    try:
        age = time.time() - Path(path).stat().st_mtime
    except FileNotFoundError:
        return Check("heartbeat", False, f"no heartbeat at {path}: the bot is not connected (not yet, or stopped)")
    except OSError as error:
        return Check("heartbeat", False, f"cannot read {path}: {error}")
    if age > max_age:
        return Check("heartbeat", False, f"last beat {age:.0f} s ago (limit {max_age:.0f} s): the bot is not connected")
    return Check("heartbeat", True, f"last beat {max(age, 0):.0f} s ago")
