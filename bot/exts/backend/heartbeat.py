"""Touch settings.heartbeat_file while the bot is connected, so `authbot health` and container
health checks can tell a live bot from a hung one without talking to Discord."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from discord.ext import commands, tasks

from bot.app import AuthBot

log = logging.getLogger(__name__)

INTERVAL = 30.0  # seconds; a checker should allow a few missed beats (e.g. stale after 120 s)


class Heartbeat(commands.Cog):
    def __init__(self, bot: AuthBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        if self.bot.settings.heartbeat_file is not None:
            self.beat.start()

    async def cog_unload(self) -> None:
        self.beat.cancel()
        # Unloaded means stopping: a stopped bot must not look alive to `authbot health --running`
        # for the next 90 s, so the file goes (a crash leaves it, and it goes stale instead).
        path = self.bot.settings.heartbeat_file
        if path is not None:
            path.unlink(missing_ok=True)

    @tasks.loop(seconds=INTERVAL)
    async def beat(self) -> None:
        path = self.bot.settings.heartbeat_file
        if path is None or self.bot.is_closed():
            return
        try:
            path.write_text(f"{datetime.now(UTC).isoformat(timespec='seconds')} latency={self.bot.latency:.3f}\n")
        except OSError as error:
            log.warning("Cannot write heartbeat file %s: %s", path, error)

    @beat.before_loop
    async def _connected(self) -> None:
        await self.bot.wait_until_ready()  # a heartbeat means "connected", not merely "started"


async def setup(bot: AuthBot) -> None:
    await bot.add_cog(Heartbeat(bot))
