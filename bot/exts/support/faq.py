"""`/faq topic:<autocomplete> [private]`: post one entry; without a topic, list them all privately."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import AuthBot
from bot.core.redact import scrub
from bot.exts.support._answers import entry_reply
from bot.exts.support._topics import resolve_topic, topic_choices
from bot.render.limits import truncate
from bot.store import queries
from bot.utils.cooldowns import user_cooldown
from bot.utils.replies import notify, respond
from bot.views.pagination import Paginator, line_pages

ENTRIES_PER_PAGE = 10


class Faq(commands.Cog):
    def __init__(self, bot: AuthBot) -> None:
        self.bot = bot

    @app_commands.command(name="faq", description="Show a LiveChat authorization FAQ entry, or list them all.")
    @app_commands.describe(
        topic="Start typing an id, a title or a question; leave empty to list every entry",
        private="Only you see the answer",
    )
    @user_cooldown()
    async def faq(self, interaction: discord.Interaction, topic: str | None = None, private: bool = False) -> None:
        self.bot.record(queries.count, "command", "faq")
        if topic is None:
            await self._list(interaction)
            return
        entry_id = resolve_topic(self.bot.engine, topic)
        if entry_id is None:
            # Echo what was typed only redacted and shortened: people paste tokens into any box.
            typed = discord.utils.escape_markdown(truncate(scrub(topic), 100))
            await notify(interaction, f"No FAQ entry matches “{typed}”. Use `/faq` without a topic to see them all.")
            return
        self.bot.record(queries.count, "entry", entry_id)
        reply = entry_reply(self.bot, entry_id, asker=interaction.user)
        await respond(interaction, reply.rendered, view=reply.view, ephemeral=private)

    @faq.autocomplete("topic")
    async def topic_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return topic_choices(self.bot.engine, current)

    async def _list(self, interaction: discord.Interaction) -> None:
        entries = self.bot.engine.kb.entries.values()
        lines = [f"**{entry.title}**\n`/faq topic:{entry.id}`" for entry in entries]
        title = f"LiveChat authorization FAQ: {len(lines)} entries"
        await Paginator(line_pages(title, lines, per_page=ENTRIES_PER_PAGE)).send(interaction)


async def setup(bot: AuthBot) -> None:
    await bot.add_cog(Faq(bot))
