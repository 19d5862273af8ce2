"""`authbot` command line. Each subcommand lives in its own module exposing
`add_arguments(parser)` and `main(args) -> int`; this file only wires them up.

Bare `authbot` runs the Discord bot when DISCORD_TOKEN is set and the local shell otherwise.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from dotenv import dotenv_values

#: name -> (module, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "shell": ("bot.frontends.shell", "talk to the bot in the terminal (multi-line pastes work)"),
    "ask": ("bot.frontends.ask", "diagnose one message and print the answer ('-' reads stdin)"),
    "run": ("bot.frontends.discord_run", "connect to Discord (needs DISCORD_TOKEN)"),
    "sync": ("bot.frontends.sync", "register the slash commands with Discord now (--guild ID: one server)"),
    "invite-url": ("bot.frontends.invite_url", "print the invite link with the permissions your settings need"),
    "check-token": (
        "bot.frontends.check_token",
        "inspect a token offline and check it live (reads stdin or a hidden prompt)",
    ),
    "report": ("bot.frontends.report", "print feedback and unanswered-question stats from the database"),
    "kb": ("bot.knowledge.cli", "knowledge base tools: check, schema"),
    "eval": ("bot.tools.evaluate", "measure the matcher on labelled cases"),
    "calibrate": ("bot.tools.calibrate", "fit the confidence model on labelled cases (cross-validated)"),
    "bench": ("bot.tools.bench", "time diagnosis on the real and generated knowledge bases"),
    "health": ("bot.tools.health", "exit 0 when config, knowledge, database (and a running bot) are healthy"),
    "config": ("bot.tools.show_config", "print the effective settings with secrets redacted"),
}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser; only `command`'s module is imported (the others are listed by their help text).

    Importing every subcommand pulls in discord.py and more, about half a second that `authbot health`
    would pay on every container health check; the listing needs none of it.
    """
    parser = argparse.ArgumentParser(
        prog="authbot",
        description="Diagnose LiveChat API authorization problems — in Discord or in your terminal.",
    )
    add_global_arguments(parser)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module_name, help_text) in COMMANDS.items():
        sub = commands.add_parser(name, help=help_text, description=help_text)
        if name != command:
            continue
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name != module_name:
                raise
            sub.set_defaults(handler=None, missing=module_name)
            continue
        module.add_arguments(sub)
        sub.set_defaults(handler=module.main)
    return parser


def add_global_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--env-file",
        type=Path,
        default=None,
        metavar="FILE",
        help="read settings from FILE too (like .env: the environment wins), e.g. /etc/authbot/authbot.env",
    )


def load_env_file(path: Path) -> None:
    """Settings are read from the environment, so put the file's values there, below real variables.

    Lets an operator run `authbot --env-file /etc/authbot/authbot.env health` with exactly the
    settings systemd gives the bot (EnvironmentFile=), without exporting them by hand.
    """
    for name, value in dotenv_values(path).items():
        if value is not None:
            os.environ.setdefault(name, value)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    early = argparse.ArgumentParser(add_help=False)
    add_global_arguments(early)
    known, rest = early.parse_known_args(argv)
    if known.env_file is not None:
        if not known.env_file.is_file():
            print(f"authbot: --env-file {known.env_file} does not exist", file=sys.stderr)
            return 2
        load_env_file(known.env_file)
    if not rest:
        argv += ["run"] if os.environ.get("DISCORD_TOKEN") else ["shell"]
        rest = argv[-1:]
    parser = build_parser(rest[0] if rest[0] in COMMANDS else None)
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    if args.handler is None:
        print(f"authbot {args.command}: not available in this build ({args.missing} is missing)", file=sys.stderr)
        return 2
    try:
        return int(args.handler(args) or 0)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
