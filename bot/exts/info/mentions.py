"""Someone @mentions the bot: answer with a one-line hint to the slash commands.

The bot has no prefix commands, so discord.py's default handling of a mention ("@authbot help" parsed
as a command) only ever logged an ERROR with a `CommandNotFound` traceback. `AuthBot.on_message` no
longer parses commands; this cog gives the person a pointer instead, once per member per
`HINT_EVERY` seconds, so a chat that keeps mentioning the bot does not get a wall of hints.
In help-channel threads the help-channel cog decides what a mention means.
"""

from __future__ import annotations

import contextlib

import discord
from discord.ext import commands

from bot.app import AuthBot
from bot.utils.ratelimit import SlidingWindow
from bot.utils.replies import NO_MENTIONS

HINT_EVERY = 600.0
HINT = (
    "I answer slash commands: `/diagnose` (paste the error, or leave the text empty for a multi-line box), "
    "`/faq` to browse the answers, `/help` for the rest."
)


class Mentions(commands.Cog):
    def __init__(self, bot: AuthBot) -> None:
        self.bot = bot
        self.hinted = SlidingWindow(1, HINT_EVERY)

    def _in_help_channel(self, channel: object) -> bool:
        ids = self.bot.settings.help_channel_ids
        return getattr(channel, "id", None) in ids or getattr(channel, "parent_id", None) in ids

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        me = self.bot.user
        if message.author.bot or message.guild is None or me is None or me not in message.mentions:
            return
        if message.reference is not None or self._in_help_channel(message.channel):
            return  # a reply to one of our answers pings us by default: that is not a request for a hint
        if not self.hinted.try_hit(message.author.id):
            return
        # A hint is a courtesy: no send permission here is not worth a log line per mention.
        with contextlib.suppress(discord.HTTPException):
            await message.reply(HINT, mention_author=False, allowed_mentions=NO_MENTIONS)


async def setup(bot: AuthBot) -> None:
    await bot.add_cog(Mentions(bot))
