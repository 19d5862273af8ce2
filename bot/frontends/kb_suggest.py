"""`authbot kb suggest [--since DATE] [--out DIR]`: phrasing proposals and an eval file from moderators' labels.

Reads the labelled examples from the database (see bot/learning/suggest.py for what is proposed and why),
writes `DIR/phrasings/<entry>.yaml` per entry and `DIR/labelled-examples.yaml`, and prints what it wrote
and how many examples were passed over, by reason. Only redacted text is read and written.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, date, datetime, time
from pathlib import Path

from bot.frontends.database_args import add_database_argument, open_database
from bot.frontends.engine_args import add_knowledge_argument, knowledge_from_args
from bot.learning.suggest import suggest, write_suggestions
from bot.store import queries
from bot.tools.evaluate import DEFAULT_THRESHOLD

DEFAULT_OUT = Path("suggestions")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--since", type=date.fromisoformat, default=None, metavar="DATE",
        help="only examples labelled on or after DATE (YYYY-MM-DD, UTC)",
    )
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, metavar="DIR", help=f"where to write (default {DEFAULT_OUT}/)"
    )
    parser.add_argument(
        "--threshold", type=float, default=DEFAULT_THRESHOLD,
        help=f"an answer under this confidence counts as unsure (default {DEFAULT_THRESHOLD})",
    )
    add_database_argument(parser)
    add_knowledge_argument(parser)


def main(args: argparse.Namespace) -> int:
    kb = knowledge_from_args(args)
    if kb is None:
        return 1
    store = open_database(args, "kb suggest")
    if store is None:
        return 1
    since = datetime.combine(args.since, time.min, tzinfo=UTC) if args.since else None
    try:
        examples = store.run(queries.examples, since)
    finally:
        store.close()
    if not examples:
        print("No labelled examples yet" + (f" since {args.since}" if args.since else "") + "; nothing written.")
        return 0
    suggestions = suggest(examples, kb, args.threshold)
    written = write_suggestions(suggestions, args.out)
    proposals = sum(len(p) for p in suggestions.proposals.values())
    print(
        f"{len(examples)} labelled example(s): {proposals} phrasing(s) proposed for "
        f"{len(suggestions.proposals)} entr{'y' if len(suggestions.proposals) == 1 else 'ies'}, "
        f"{len(suggestions.cases)} eval case(s)."
    )
    for reason, count in sorted(suggestions.skipped.items()):
        print(f"  no proposal for {count}: {reason}")
    for path in written:
        print(f"wrote {path}")
    print(f"Measure before and after pasting: authbot eval {written[-1]}", file=sys.stderr)
    return 0
