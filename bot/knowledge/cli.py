"""`authbot kb check [DIR]` lints a knowledge folder; `authbot kb schema` prints the JSON Schema."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from bot.knowledge.checks import check_knowledge
from bot.knowledge.loader import DEFAULT_KNOWLEDGE_DIR
from bot.knowledge.schema import Entry


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="kb_command", metavar="ACTION", required=True)
    check = actions.add_parser("check", help="report every problem as file:line: message; exit 1 on errors")
    check.add_argument("directory", nargs="?", type=Path, default=DEFAULT_KNOWLEDGE_DIR)
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    schema = actions.add_parser("schema", help="print the entry JSON Schema (for editors)")
    schema.add_argument("--output", type=Path, help="write to this file instead of stdout")


def entry_json_schema() -> str:
    return json.dumps(Entry.model_json_schema(), indent=2) + "\n"


def main(args: argparse.Namespace) -> int:
    if args.kb_command == "schema":
        if args.output:
            args.output.write_text(entry_json_schema(), encoding="utf-8")
        else:
            print(entry_json_schema(), end="")
        return 0
    problems = check_knowledge(args.directory)
    for problem in problems:
        print(problem)
    errors = [p for p in problems if not p.warning or args.strict]
    warnings = len(problems) - len([p for p in problems if not p.warning])
    print(f"{len(problems) - warnings} error(s), {warnings} warning(s) in {args.directory}")
    return 1 if errors else 0
