"""`authbot report`: the `/kb stats` numbers from the database (every shard process's rows), in the terminal.

`--unanswered` groups similar unanswered questions, `--chart FILE.png` writes the `/kb stats` chart and
`--html DIR` a self-contained page with the chart, the groups and the per-entry table (DIR/index.html).
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path

from bot.frontends.database_args import add_database_argument, open_database
from bot.frontends.engine_args import add_knowledge_argument, knowledge_from_args
from bot.learning.clusters import MAX_QUESTIONS, cluster_questions
from bot.render.charts import ChartData, render_chart
from bot.render.gaps import cluster_lines
from bot.render.report_html import html_report
from bot.render.stats import stats_blocks
from bot.store import Store
from bot.store.activity import daily_activity
from bot.store.export import unanswered_csv

DEFAULT_DAYS = 14
ALL_ENTRIES = 100_000  # the HTML table lists every entry with a use or a vote


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_database_argument(parser)
    parser.add_argument("--top", type=int, default=10, help="how many entries to list (default 10)")
    parser.add_argument("--recent", type=int, default=10, help="how many unanswered questions (default 10)")
    parser.add_argument(
        "--csv",
        type=Path,
        default=None,
        metavar="FILE",
        help="also write every unanswered question to this CSV file ('-' for stdout)",
    )
    parser.add_argument(
        "--unanswered", action="store_true",
        help="also group similar unanswered questions: size, nearest entry, a representative; biggest first",
    )
    parser.add_argument("--chart", type=Path, default=None, metavar="FILE.png", help="also write the stats chart")
    parser.add_argument(
        "--html", type=Path, default=None, metavar="DIR", help="also write a self-contained report to DIR/index.html"
    )
    parser.add_argument(
        "--days", type=int, default=DEFAULT_DAYS, help=f"days the charts cover, up to today (default {DEFAULT_DAYS})"
    )
    add_knowledge_argument(parser)  # entry titles in the HTML report


def main(args: argparse.Namespace) -> int:
    if args.days < 1:
        print("authbot report: --days must be at least 1", file=sys.stderr)
        return 2
    titles: dict[str, str] = {}
    if args.html is not None:
        kb = knowledge_from_args(args)
        if kb is None:
            return 1
        titles = {entry_id: entry.title for entry_id, entry in kb.entries.items()}
    store = open_database(args, "report")
    if store is None:
        return 1
    try:
        blocks = stats_blocks(store.stats(top=args.top, recent=args.recent))
        clusters = cluster_questions(store.unanswered(MAX_QUESTIONS)) if args.unanswered or args.html else []
        if args.unanswered:
            blocks.append(("Unanswered questions, grouped (biggest first)", cluster_lines(clusters) or ["none"]))
        for number, (heading, lines) in enumerate(blocks):
            print(("\n" if number else "") + heading)
            for line in lines:
                print(f"  {line}")
        if args.csv is not None:
            _write_csv(store, args.csv)
        if args.chart is not None or args.html is not None:
            chart = render_chart(_chart_data(store, args.days))
            if args.chart is not None:
                args.chart.write_bytes(chart)
                print(f"wrote {args.chart}", file=sys.stderr)
            if args.html is not None:
                args.html.mkdir(parents=True, exist_ok=True)
                page = html_report(
                    chart_png=chart, clusters=clusters, entries=store.stats(top=ALL_ENTRIES, recent=0).top_entries,
                    titles=titles, generated=datetime.now(UTC), days=args.days,
                )
                (args.html / "index.html").write_text(page, encoding="utf-8")
                print(f"wrote {args.html / 'index.html'}", file=sys.stderr)
    finally:
        store.close()
    return 0


def _chart_data(store: Store, days: int) -> ChartData:
    top = store.stats().top_entries
    return ChartData(store.run(daily_activity, days), [(e.entry_id, e.uses) for e in top])


def _write_csv(store: Store, target: Path) -> None:
    data = unanswered_csv(store.unanswered(limit=1_000_000))
    if str(target) == "-":
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
    else:
        target.write_bytes(data)
