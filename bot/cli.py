"""`authbot` command line. Each subcommand lives in its own module exposing
`add_arguments(parser)` and `main(args) -> int`; this file only wires them up.

Bare `authbot` runs the Discord bot when DISCORD_TOKEN is set and the local shell otherwise.

Settings are validated here, once, before any command runs, so every command answers a bad setting the
same way: one `authbot COMMAND: NAME: reason` line per setting on stderr and exit status 2, never a
traceback. Two commands keep their own reading: `check-token` never reads `.env` (an untrusted checkout
could point the live check at its author), and `health` reports a bad setting as a failed check with
status 1, because Docker reserves status 2 for health checks.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from dotenv import dotenv_values
from pydantic import ValidationError

from bot.frontends.engine_args import add_knowledge_argument
from bot.settings import Settings, settings_problems

#: 128 + SIGPIPE: what a shell reports for a program whose reader went away (`yes | head -1`).
BROKEN_PIPE_STATUS = 141
#: Commands that load knowledge through the settings (`create_bot`, `health`) rather than an option of
#: their own; the command line gives them the same `--knowledge DIR` as the rest.
READS_KNOWLEDGE = frozenset({"run", "sync", "health"})
#: Commands that read and report settings their own way (see the module docstring).
OWN_SETTINGS = frozenset({"check-token", "health"})

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
    "kb": ("bot.frontends.kb", "knowledge base tools: check, links, schema, suggest (from moderators' answers)"),
    "eval": ("bot.tools.evaluate", "measure the matcher on labelled cases"),
    "calibrate": ("bot.tools.calibrate", "fit the ranking weights and the confidence model on labelled cases"),
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
        if name in READS_KNOWLEDGE and "--knowledge" not in sub._option_string_actions:
            add_knowledge_argument(sub)
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
    try:
        return _main(list(sys.argv[1:] if argv is None else argv))
    except KeyboardInterrupt:
        print(file=sys.stderr)  # Ctrl-C leaves the cursor after "^C"; end that line
        return 130
    except BrokenPipeError:
        # `authbot ask - | head -1`: the reader has gone. Point stdout at /dev/null so the interpreter's
        # final flush doesn't raise again ("Exception ignored ... BrokenPipeError"), as the Python docs
        # advise (library/signal, "Note on SIGPIPE").
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return BROKEN_PIPE_STATUS


def _main(argv: list[str]) -> int:
    early = argparse.ArgumentParser(add_help=False)
    add_global_arguments(early)
    known, rest = early.parse_known_args(argv)
    if known.env_file is not None:
        if not known.env_file.is_file():
            print(f"authbot: --env-file {known.env_file} does not exist", file=sys.stderr)
            return 2
        load_env_file(known.env_file)
    settings: Settings | None = None
    if not rest or rest[0] not in OWN_SETTINGS | {"-h", "--help"}:
        try:
            settings = Settings()
        except ValidationError as error:
            name = rest[0] if rest and rest[0] in COMMANDS else "authbot"
            for problem in settings_problems(error):
                print(f"authbot{'' if name == 'authbot' else ' ' + name}: {problem}", file=sys.stderr)
            return 2
    if not rest:
        # The resolved settings decide, so a token in .env (or --env-file) counts like an exported one.
        token = settings.discord_token.get_secret_value().strip() if settings and settings.discord_token else ""
        argv += ["run"] if token else ["shell"]
        rest = argv[-1:]
    parser = build_parser(rest[0] if rest[0] in COMMANDS else None)
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    if args.handler is None:
        print(f"authbot {args.command}: not available in this build ({args.missing} is missing)", file=sys.stderr)
        return 2
    if getattr(args, "knowledge", None) is not None:
        # One meaning everywhere: this run's KNOWLEDGE_DIR, so whatever reads the settings (the bot's
        # /kb reload, `health`) sees the same folder as the option.
        os.environ["KNOWLEDGE_DIR"] = str(args.knowledge)
    return int(args.handler(args) or 0)


if __name__ == "__main__":
    raise SystemExit(main())
