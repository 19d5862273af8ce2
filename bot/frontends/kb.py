"""`authbot kb`: the knowledge folder's tools (check, links, schema: bot/knowledge/cli.py) and `suggest`,
which reads the bot's database (bot/frontends/kb_suggest.py)."""

from __future__ import annotations

import argparse

from bot.frontends import kb_suggest
from bot.knowledge import cli as knowledge_cli


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = knowledge_cli.add_arguments(parser)
    kb_suggest.add_arguments(
        actions.add_parser("suggest", help="phrasing proposals and an eval file from moderators' answers")
    )


def main(args: argparse.Namespace) -> int:
    return kb_suggest.main(args) if args.kb_command == "suggest" else knowledge_cli.main(args)
