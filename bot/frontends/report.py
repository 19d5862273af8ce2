"""`authbot report`: the `/kb stats` numbers from the SQLite file, in the terminal."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.render.stats import stats_blocks
from bot.settings import Settings
from bot.store import Store
from bot.store.export import unanswered_csv
from bot.store.location import UnsupportedDatabase, database_location
from bot.store.migrations import SchemaTooNew


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--database", type=Path, default=None, metavar="FILE", help="SQLite file (default: DATABASE_PATH)"
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
        path = args.database or database_location(Settings())
    except UnsupportedDatabase as error:
        print(f"authbot report: {error}", file=sys.stderr)
        return 1
    if not Path(path).is_file():
        print(f"authbot report: no database at {path} yet; the bot creates it when it runs.", file=sys.stderr)
        return 1
    try:
        store = Store.open(path)
    except SchemaTooNew as error:
        print(f"authbot report: {error}", file=sys.stderr)
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
