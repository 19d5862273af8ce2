"""`authbot run`: connect the Discord bot built by `create_bot()` and run until stopped."""

from __future__ import annotations

import argparse
import logging
import sys

import discord

from bot.app import create_bot
from bot.knowledge.loader import KnowledgeError
from bot.settings import Settings

NO_TOKEN = (
    "authbot run: no Discord token. Set DISCORD_TOKEN in the environment or in .env "
    "(see deploy/.env.example). To try the bot without Discord, run `authbot shell`."
)
INTENTS_HELP = (
    "authbot run: Discord refused the Message Content intent. Enable it for the bot in the Developer "
    "Portal (Bot → Privileged Gateway Intents), or turn off help-channel mode and the leak guard."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--log-level", choices=["DEBUG", "INFO", "WARNING", "ERROR"], default=None, help="override LOG_LEVEL"
    )


def main(args: argparse.Namespace) -> int:
    settings = Settings()
    if settings.discord_token is None or not settings.discord_token.get_secret_value().strip():
        print(NO_TOKEN, file=sys.stderr)
        return 2
    try:
        bot = create_bot(settings)
    except KnowledgeError as error:
        print("authbot run: the knowledge base has problems:", file=sys.stderr)
        for problem in error.problems:
            print(f"  {problem}", file=sys.stderr)
        return 2
    level = getattr(logging, args.log_level or settings.log_level)
    try:
        # root=True: our loggers (bot.*) share discord.py's handler; create_bot installed redaction.
        bot.run(settings.discord_token.get_secret_value(), log_level=level, root_logger=True)
    except discord.LoginFailure:
        print("authbot run: Discord rejected the token (reset it in the Developer Portal).", file=sys.stderr)
        return 1
    except discord.PrivilegedIntentsRequired:
        print(INTENTS_HELP, file=sys.stderr)
        return 1
    return 0
