"""`/kb stats`, `/kb unanswered` and `/kb reload`, for moderators, and `/kb sync` for the bot's owner;
answers are private.

`/kb stats` shows the numbers and a chart (bot/render/charts.py, drawn in a worker thread after the command
is acknowledged); `/kb unanswered` groups similar unanswered questions (bot/learning/clusters.py, also in a
worker thread), biggest group first, and attaches them all as CSV.

Reload builds a complete new Engine off the event loop and swaps it in with one assignment, so
a question never sees half a knowledge base, and a broken file leaves the old one running.
"""

from __future__ import annotations

import asyncio
import io

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import AuthBot
from bot.core.pipeline import Engine
from bot.knowledge.loader import KnowledgeError
from bot.learning.clusters import cluster_questions
from bot.render.charts import ChartData, render_chart_async
from bot.render.gaps import cluster_lines
from bot.render.limits import EMBED_DESCRIPTION, EMBED_FIELDS, FIELD_NAME, FIELD_VALUE, pack, truncate
from bot.render.stats import stats_blocks
from bot.store.activity import daily_activity
from bot.store.export import unanswered_csv
from bot.utils.checks import moderator_only
from bot.utils.cooldowns import admin_cooldown, user_cooldown
from bot.utils.replies import notify

EXPORT_LIMIT = 5000
CHART_DAYS = 14
CHART_FILE = "kb-stats.png"


def _escape(text: str) -> str:
    return discord.utils.escape_mentions(discord.utils.escape_markdown(text))


def problems_embed(problems: list[str]) -> discord.Embed:
    """As many `file:line: message` lines as fit, then how many more there are."""
    shown: list[str] = []
    budget = EMBED_DESCRIPTION - 100  # room for the code fence and the "and N more" line
    for line in problems:
        line = truncate(line, 300)
        if sum(len(s) + 1 for s in shown) + len(line) > budget:
            break
        shown.append(line)
    body = "\n".join(shown).replace("```", "`\u200b``")
    more = len(problems) - len(shown)
    description = f"```\n{body}\n```" + (f"\n…and {more} more" if more else "")
    return discord.Embed(
        title="Reload failed: the old knowledge base is still running",
        description=description,
        colour=discord.Colour.red(),
    )


@app_commands.guild_only()
@app_commands.default_permissions(manage_messages=True)
class KnowledgeAdmin(
    commands.GroupCog, group_name="kb", group_description="Moderators: knowledge base stats and reload"
):
    def __init__(self, bot: AuthBot) -> None:
        self.bot = bot
        super().__init__()

    @app_commands.command(
        name="stats", description="Top entries, solved ratio, abstains and recent unanswered questions."
    )
    @moderator_only()
    @user_cooldown()
    async def stats(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)  # the chart takes a moment to draw
        stats = await self.bot.store.stats()
        days = await self.bot.store.run(daily_activity, CHART_DAYS)
        chart = await render_chart_async(ChartData(days, [(e.entry_id, e.uses) for e in stats.top_entries]))
        embed = discord.Embed(title="Knowledge base stats", colour=discord.Colour.blurple())
        for heading, lines in stats_blocks(stats, escape=discord.utils.escape_markdown):
            for number, value in enumerate(pack(lines, FIELD_VALUE)):
                if len(embed.fields) < EMBED_FIELDS:
                    name = heading if number == 0 else f"{heading} (continued)"
                    embed.add_field(name=truncate(name, FIELD_NAME), value=value, inline=False)
        embed.set_image(url=f"attachment://{CHART_FILE}")
        embed.set_footer(text=f"Chart: the last {CHART_DAYS} days (UTC). /kb unanswered groups unanswered questions.")
        file = discord.File(io.BytesIO(chart), filename=CHART_FILE, description="Questions, votes and top entries")
        await interaction.followup.send(embed=embed, file=file, ephemeral=True)

    @app_commands.command(
        name="unanswered", description="The questions the bot could not answer, similar ones grouped (and a CSV)."
    )
    @moderator_only()
    @user_cooldown()
    async def unanswered(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)  # grouping thousands takes a moment
        questions = await self.bot.store.unanswered(EXPORT_LIMIT)
        if not questions:
            await notify(interaction, "No unanswered questions yet.")
            return
        clusters = await asyncio.to_thread(cluster_questions, questions)
        lines = [f"{n}. {line}" for n, line in enumerate(cluster_lines(clusters, escape=_escape), 1)]
        shown = pack(lines, EMBED_DESCRIPTION - 100)[0].count("\n") + 1  # room for the "more" line
        more = len(lines) - shown
        embed = discord.Embed(
            title=f"{len(questions)} unanswered question(s) in {len(clusters)} group(s)",
            description="\n".join(lines[:shown]) + (f"\n…and {more} more group(s) in the CSV" if more else ""),
            colour=discord.Colour.orange(),
        )
        embed.set_footer(text="Biggest group first; text is redacted. The CSV lists every question, newest first.")
        file = discord.File(io.BytesIO(unanswered_csv(questions)), filename="unanswered.csv")
        await interaction.followup.send(embed=embed, file=file, ephemeral=True)

    @app_commands.command(name="reload", description="Reload the knowledge files; a broken file keeps the old ones.")
    @moderator_only()
    @admin_cooldown()
    async def reload(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        directory = str(self.bot.settings.knowledge_dir)
        try:
            engine = await asyncio.to_thread(Engine.from_directory, directory)
        except KnowledgeError as error:
            await interaction.followup.send(embed=problems_embed([str(p) for p in error.problems]), ephemeral=True)
            return
        old = set(self.bot.engine.kb.entries)
        self.bot.engine = engine
        new = set(engine.kb.entries)
        added, removed = sorted(new - old), sorted(old - new)
        summary = [f"Reloaded {len(new)} entries."]
        if added:
            summary.append(f"Added: {', '.join(added)}")
        if removed:
            summary.append(f"Removed: {', '.join(removed)}")
        await notify(interaction, truncate("\n".join(summary), 2000))

    @app_commands.command(name="sync", description="Bot owner: push the command list to Discord now.")
    @admin_cooldown()
    async def sync(self, interaction: discord.Interaction) -> None:
        # Owner, not moderator: a sync rewrites the commands of every server the bot is in.
        if not await self.bot.is_owner(interaction.user):
            await notify(interaction, "Only the bot's owner can sync commands.")
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        synced = await self.bot.sync_commands(force=True)
        await notify(interaction, "Commands synced." if synced else "Not synced: shard 0 runs in another process.")


async def setup(bot: AuthBot) -> None:
    await bot.add_cog(KnowledgeAdmin(bot))
