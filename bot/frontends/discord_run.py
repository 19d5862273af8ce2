"""`authbot run`: connect the Discord bot built by `create_bot()` and run until stopped.

SIGTERM and SIGINT stop it gracefully (bot/lifecycle.py): in-flight replies finish, then the gateway,
the LiveChat HTTP client and the database are closed, and the process exits 0.

Exit status: 0 stopped on request; 1 the connection failed; 2 the configuration cannot work — settings,
knowledge, database, or Discord refusing the token, a privileged intent or the applications.commands
scope. Restarting will not help (and every restart is a gateway login: Discord resets a token after
1,000 a day), which is why the systemd unit sets RestartPreventExitStatus=2.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys
from collections.abc import Coroutine
from typing import Any

import discord
from pydantic import ValidationError
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from bot import metrics
from bot.app import AuthBot, create_bot
from bot.knowledge.loader import KnowledgeError
from bot.lifecycle import STOP_SIGNALS, serve
from bot.logs import setup_logging
from bot.settings import Settings, settings_problems
from bot.store.location import UnsupportedDatabase, database_location
from bot.store.migrate import SchemaTooNew

log = logging.getLogger(__name__)

NO_TOKEN = (
    "authbot run: no Discord token. Set DISCORD_TOKEN in the environment or in .env "
    "(see deploy/.env.example). To try the bot without Discord, run `authbot shell`."
)
INTENTS_HELP = (
    "Discord refused the Message Content intent. Enable it for the bot in the Developer "
    "Portal (Bot → Privileged Gateway Intents), or turn off help-channel mode and the leak guard."
)
SCOPE_HELP = (
    "Discord refused to register the slash commands ({code}): invite the bot with the applications.commands "
    "scope (`authbot invite-url` prints the link)."
)
CONFIG_ERROR, CONNECTION_FAILED = 2, 1


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--log-level", choices=["DEBUG", "INFO", "WARNING", "ERROR"], default=None, help="override LOG_LEVEL"
    )


def fail(message: str, code: int, *, json_lines: bool = False) -> int:
    """Print the one `authbot run: …` line; with LOG_JSON it goes through the JSON log like every other
    line, so a log shipper that parses each line as JSON doesn't choke on the one that matters most."""
    if json_lines:
        log.critical("authbot run: %s", message)
    else:
        print(f"authbot run: {message}", file=sys.stderr)
    return code


def build(args: argparse.Namespace, **overrides: object) -> tuple[AuthBot, str] | int:
    """The bot and its token from the settings (with `overrides`), or the exit status saying why not."""
    try:
        settings = Settings()
    except ValidationError as error:
        for problem in settings_problems(error):
            fail(problem, CONFIG_ERROR)
        return CONFIG_ERROR
    if overrides:
        settings = settings.model_copy(update=overrides)
    if settings.discord_token is None or not settings.discord_token.get_secret_value().strip():
        print(NO_TOKEN, file=sys.stderr)
        return CONFIG_ERROR
    setup_logging(
        getattr(args, "log_level", None) or settings.log_level,
        json_lines=settings.log_json,
        third_party_debug=settings.log_third_party_debug,
    )
    try:
        bot = create_bot(settings)
    except KnowledgeError as error:
        print("authbot run: the knowledge base has problems:", file=sys.stderr)
        for problem in error.problems:
            print(f"  {problem}", file=sys.stderr)
        return CONFIG_ERROR
    except UnsupportedDatabase as error:
        return fail(str(error), CONFIG_ERROR)
    except OperationalError as error:
        if database_location(settings).backend == "postgresql":  # a server not up yet: worth a restart
            return fail(f"could not reach the database: {error.orig}", CONNECTION_FAILED)
        return fail(f"cannot open the database: {error.orig}", CONFIG_ERROR)
    except (OSError, SQLAlchemyError, SchemaTooNew) as error:
        return fail(f"cannot open the database: {error}", CONFIG_ERROR)
    if settings.metrics_port:
        # Here, not first in setup_hook: that runs after the login, and its OSError read as Discord's fault.
        where = f"{settings.metrics_host}:{settings.metrics_port}"
        try:
            metrics.serve(settings.metrics_port, settings.metrics_host, bot.shard_latencies)
        except OSError as error:
            reason = error.strerror or str(error)
            return fail(f"METRICS_PORT {settings.metrics_port}: cannot listen on {where}: {reason}", CONFIG_ERROR)
    return bot, settings.discord_token.get_secret_value()


def talk_to_discord(bot: AuthBot, session: Coroutine[Any, Any, None]) -> int:
    """Run `session` (connecting, or only logging in to sync) and map Discord's refusals to exit statuses."""
    connected = False

    async def on_ready() -> None:
        nonlocal connected
        connected = True

    async def session_then_close_the_store() -> None:
        try:
            await session
        finally:
            await bot.store.close()  # already closed by bot.close(); this covers a crash before it ran

    bot.add_listener(on_ready, "on_ready")
    json_lines = bot.settings.log_json
    try:
        asyncio.run(session_then_close_the_store())
    except discord.LoginFailure:
        return fail(
            "Discord rejected the token (reset it in the Developer Portal).", CONFIG_ERROR, json_lines=json_lines
        )
    except discord.PrivilegedIntentsRequired:
        return fail(INTENTS_HELP, CONFIG_ERROR, json_lines=json_lines)
    except discord.Forbidden as error:  # only the command sync in setup_hook calls Discord before READY
        return fail(SCOPE_HELP.format(code=error.code), CONFIG_ERROR, json_lines=json_lines)
    except (discord.GatewayNotFound, discord.ConnectionClosed, discord.HTTPException, OSError) as error:
        # "Lost" only after READY: with no network the bot never connected, and saying otherwise sends
        # people looking for a flaky connection instead of a missing one.
        what = "lost the connection to Discord" if connected else "could not reach Discord"
        return fail(f"{what}: {error}", CONNECTION_FAILED, json_lines=json_lines)
    return 0


def main(args: argparse.Namespace) -> int:
    status = _run(args)
    if status == CONFIG_ERROR and _holds_on_config_error():
        hold()
    return status


def _holds_on_config_error() -> bool:
    # Read from the environment directly: the settings themselves may be what failed to load.
    return os.environ.get("CONFIG_ERROR_HOLD", "").strip().lower() in {"1", "true", "yes", "on"}


def hold() -> None:
    """Wait for SIGTERM/SIGINT without doing anything. Docker's restart policies can't exclude a status
    (systemd's RestartPreventExitStatus=2 can), so in a container a refused token would restart, log in
    and be refused again, about once a minute: Discord resets a token after 1,000 logins a day. Holding
    keeps the one-line reason as the last log line and the container visibly unhealthy instead."""
    print(
        "authbot run: holding after a configuration error (CONFIG_ERROR_HOLD); fix the settings, then restart.",
        file=sys.stderr,
        flush=True,
    )
    signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    signal.sigwait(STOP_SIGNALS)


def _run(args: argparse.Namespace) -> int:
    built = build(args)
    if isinstance(built, int):
        return built
    bot, token = built
    settings = bot.settings
    shards = f"shards {settings.shard_ids or 'all'} of {settings.shard_count}" if settings.shard_count else "unsharded"
    log.info("Starting: %d knowledge entries, %s, database %s", len(bot.engine.kb), shards, database_location(settings))
    return talk_to_discord(bot, serve(bot, token, grace=settings.shutdown_grace))
