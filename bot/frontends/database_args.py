"""The `--database` option of the commands that read the bot's database, and opening it with clear errors."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from bot.settings import Settings
from bot.store import Store
from bot.store.location import UnsupportedDatabase, database_location, sqlite_location
from bot.store.migrate import SchemaTooNew


def add_database_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--database", type=Path, default=None, metavar="FILE",
        help="SQLite file (default: DATABASE_URL, else DATABASE_PATH)",
    )


def open_database(args: argparse.Namespace, command: str) -> Store | None:
    """The store `--database` (or the settings) name, or None after one `authbot COMMAND: …` line on stderr."""
    try:
        location = sqlite_location(args.database) if args.database else database_location(Settings())
    except UnsupportedDatabase as error:
        print(f"authbot {command}: {error}", file=sys.stderr)
        return None
    if location.path is not None and not location.path.is_file():
        print(f"authbot {command}: no database at {location} yet; the bot creates it when it runs.", file=sys.stderr)
        return None
    try:
        return Store.open(location)
    except (SchemaTooNew, SQLAlchemyError) as error:
        print(f"authbot {command}: cannot open {location}: {error}", file=sys.stderr)
        return None
