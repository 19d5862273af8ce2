"""`authbot check-token`: inspect a token offline and check it live, in the terminal.

The token is read from a hidden prompt (getpass) when stdin is a terminal, else from stdin — NEVER from
argv, because argv ends up in shell history and in `ps` output for every user on the machine.

Settings come from the environment and from the file the operator names with `--env-file`, never from a
`.env` in the current directory: run inside an untrusted checkout, that file could point the live check
(and the token) at its author's server.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import sys
from pathlib import Path

from pydantic import ValidationError

from bot.credentials.apis import APIS
from bot.credentials.livechat import LiveChecker
from bot.credentials.report import TokenReport, check_token
from bot.settings import Settings, settings_problems


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--offline", action="store_true", help="only inspect the token; do not contact LiveChat")
    parser.add_argument(
        "--api", choices=sorted(APIS), default=None, help="the API you call with it (to check the token fits)"
    )
    parser.add_argument(
        "--account-id", default=None, metavar="UUID",
        help="your Account ID, to check a raw Personal Access Token with Basic auth (not secret)",
    )
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument(
        "--env-file", type=Path, default=argparse.SUPPRESS, metavar="FILE",
        help="read settings from FILE (the environment wins); a .env in the current directory is NOT read",
    )
    # Caught only to refuse it with an explanation (argparse would otherwise echo it in its error).
    parser.add_argument("argv_token", nargs="?", help=argparse.SUPPRESS)


ARGV_REFUSED = (
    "authbot check-token: I don't take the token as an argument: command lines end up in your shell "
    "history and in the process list. Pipe it in (e.g. `authbot check-token < token.txt`) or run without "
    "arguments and paste it at the hidden prompt. If that was a real token, treat it as exposed."
)


def load_settings(env_file: Path | None) -> Settings:
    """Settings from the environment plus `env_file` if named. `_env_file=None` switches off the default
    `.env` lookup in the current directory, which the other commands still do."""
    return Settings(_env_file=env_file)  # type: ignore[call-arg]


def read_token() -> str:
    if sys.stdin.isatty():
        return getpass.getpass("Token (input hidden): ")
    return sys.stdin.read()


async def _run(pasted: str, args: argparse.Namespace, settings: Settings) -> TokenReport:
    live = not args.offline and settings.live_token_checks
    if not live:
        return await check_token(
            pasted, checker=None, api=args.api, account_id=args.account_id,
            live=not args.offline, live_enabled=settings.live_token_checks,
        )
    async with LiveChecker(settings) as checker:
        return await check_token(pasted, checker=checker, api=args.api, account_id=args.account_id)


def main(args: argparse.Namespace) -> int:
    if args.argv_token is not None:
        print(ARGV_REFUSED, file=sys.stderr)
        return 2
    env_file: Path | None = getattr(args, "env_file", None)  # SUPPRESS: absent unless given here
    if env_file is not None and not env_file.is_file():
        print(f"authbot check-token: --env-file {env_file} does not exist", file=sys.stderr)
        return 2
    # Settings before the token: a refused configuration must not have read a secret for nothing.
    try:
        settings = load_settings(env_file)
    except ValidationError as error:
        for problem in settings_problems(error):
            print(f"authbot check-token: {problem}", file=sys.stderr)
        return 2
    try:
        pasted = read_token()
    except (EOFError, KeyboardInterrupt):
        print("No token given.", file=sys.stderr)
        return 2
    report = asyncio.run(_run(pasted, args, settings))
    del pasted  # nothing below needs the raw value
    if args.json:
        print(json.dumps(report.to_public(), indent=2, ensure_ascii=False))
    else:
        print(report.text())
    if report.live is not None:
        return 0 if report.live.valid else 1
    return 1 if report.inspection.problems else 0  # exit 0 means: valid, or offline with nothing wrong
