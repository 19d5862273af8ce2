"""`authbot kb check [DIR]` lints a knowledge folder; `kb links` lists (and checks) its URLs; `kb schema` prints
the JSON Schema."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bot.frontends.engine_args import add_knowledge_argument
from bot.knowledge.checks import check_knowledge
from bot.knowledge.links import links_report
from bot.knowledge.loader import DEFAULT_KNOWLEDGE_DIR
from bot.knowledge.schema import Entry
from bot.settings import Settings


def add_arguments(parser: argparse.ArgumentParser) -> argparse._SubParsersAction[argparse.ArgumentParser]:
    """The knowledge folder's actions; returns them so `authbot kb` can add its database-backed ones."""
    actions = parser.add_subparsers(dest="kb_command", metavar="ACTION", required=True)
    check = actions.add_parser("check", help="report every problem as file:line: message; exit 1 on errors")
    add_directory_arguments(check)
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    links = actions.add_parser("links", help="list every URL with file:line; --check reports dead and moved ones")
    add_directory_arguments(links)
    links.add_argument("--check", action="store_true", help="request each URL (HEAD, then GET; no redirects followed)")
    links.add_argument("--timeout", type=float, default=5.0, help="seconds per request (default 5)")
    links.add_argument("--concurrency", type=int, default=8, help="requests at once (default 8)")
    schema = actions.add_parser("schema", help="print the entry JSON Schema (for editors)")
    schema.add_argument("--output", type=Path, help="write to this file instead of stdout")
    return actions


def add_directory_arguments(parser: argparse.ArgumentParser) -> None:
    # The positional folder predates `--knowledge`, which every other command takes; both are kept.
    parser.add_argument(
        "directory", nargs="?", type=Path, default=None, metavar="DIR",
        help=f"knowledge folder, the same as --knowledge DIR (default: KNOWLEDGE_DIR or {DEFAULT_KNOWLEDGE_DIR})",
    )
    add_knowledge_argument(parser)


def knowledge_directory(args: argparse.Namespace) -> Path | None:
    """The folder named by DIR or --knowledge (None when they disagree), else KNOWLEDGE_DIR's."""
    if args.directory is not None and args.knowledge is not None and args.directory != args.knowledge:
        print(f"authbot kb {args.kb_command}: give the knowledge folder once (DIR or --knowledge)", file=sys.stderr)
        return None
    return args.directory or args.knowledge or Settings().knowledge_dir


def entry_json_schema() -> str:
    return json.dumps(Entry.model_json_schema(), indent=2) + "\n"


def main(args: argparse.Namespace) -> int:
    if args.kb_command == "schema":
        if args.output:
            args.output.write_text(entry_json_schema(), encoding="utf-8")
        else:
            print(entry_json_schema(), end="")
        return 0
    directory = knowledge_directory(args)
    if directory is None:
        return 2
    if args.kb_command == "links":
        lines, status = links_report(directory, args.check, args.timeout, max(1, args.concurrency))
        print("\n".join(lines))
        return status
    problems = check_knowledge(directory)
    for problem in problems:
        print(problem)
    errors = [p for p in problems if not p.warning or args.strict]
    warnings = len(problems) - len([p for p in problems if not p.warning])
    print(f"{len(problems) - warnings} error(s), {warnings} warning(s) in {directory}")
    return 1 if errors else 0
