"""`authbot report`: the `/kb stats` numbers from the database (every shard process's rows), in the terminal."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from bot.render.stats import stats_blocks
from bot.settings import Settings
from bot.store import Store
from bot.store.export import unanswered_csv
from bot.store.location import UnsupportedDatabase, database_location, sqlite_location
from bot.store.migrate import SchemaTooNew


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--database",
        type=Path,
        default=None,
        metavar="FILE",
        help="SQLite file (default: DATABASE_URL, else DATABASE_PATH)",
    )
    parser.add_argument("--top", type=int, default=10, help="how many entries to list (default 10)")
    parser.add_argument("--recent", type=int, default=10, help="how many unanswered questions (default 10)")
    parser.add_argument(
        "--csv",
        type=Path,
        default=None,
        metavar="FILE",
        help="also write every unanswered question to this CSV file ('-' for stdout)",
    )


def main(args: argparse.Namespace) -> int:
    try:
        location = sqlite_location(args.database) if args.database else database_location(Settings())
    except UnsupportedDatabase as error:
        print(f"authbot report: {error}", file=sys.stderr)
        return 1
    if location.path is not None and not location.path.is_file():
        print(f"authbot report: no database at {location} yet; the bot creates it when it runs.", file=sys.stderr)
        return 1
    try:
        store = Store.open(location)
    except (SchemaTooNew, SQLAlchemyError) as error:
        print(f"authbot report: cannot open {location}: {error}", file=sys.stderr)
        return 1
    try:
        for number, (heading, lines) in enumerate(stats_blocks(store.stats(top=args.top, recent=args.recent))):
            print(("\n" if number else "") + heading)
            for line in lines:
                print(f"  {line}")
        if args.csv is not None:
            data = unanswered_csv(store.unanswered(limit=1_000_000))
            if str(args.csv) == "-":
                sys.stdout.flush()
                sys.stdout.buffer.write(data)
            else:
                args.csv.write_bytes(data)
    finally:
        store.close()
    return 0
