"""`authbot sync [--guild ID]`: register the slash commands with Discord now, without going online.

`authbot run` syncs only when the command tree changed since the last sync recorded in the database;
this forces one (after restoring a database, or when Discord shows stale commands). It logs in over
REST only — `login()` runs the same `setup_hook` as the bot — so no gateway session is used.
"""

from __future__ import annotations

import argparse
import logging

from bot.app import AuthBot
from bot.frontends.discord_run import build, talk_to_discord

log = logging.getLogger(__name__)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--guild",
        type=int,
        default=None,
        metavar="ID",
        help="sync to this server only, where commands show at once (default: DEV_GUILD_ID, else globally)",
    )


async def sync(bot: AuthBot, token: str) -> None:
    bot.force_sync = True
    async with bot:  # closes the HTTP session and the database on every path
        await bot.login(token)  # runs setup_hook: extensions, then the (forced) sync


def main(args: argparse.Namespace) -> int:
    # Every process may sync from here: the shard-0 rule is for several running bots, not for this.
    overrides: dict[str, object] = {"shard_ids": [], "shard_count": None}
    if args.guild is not None:
        overrides["dev_guild_id"] = args.guild
    built = build(args, **overrides)
    if isinstance(built, int):
        return built
    bot, token = built
    status = talk_to_discord(bot, sync(bot, token))
    if status == 0:
        where = f"server {bot.settings.dev_guild_id}" if bot.settings.dev_guild_id else "all servers (global)"
        print(f"authbot sync: commands synced to {where}.")
    return status
