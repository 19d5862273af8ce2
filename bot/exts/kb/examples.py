"""`/kb examples delete ID`: moderators remove a labelled example (a moderator's answer kept for
`authbot kb suggest`), e.g. one labelled by mistake or whose text should not be kept. Only examples
labelled in the same server; the answer is private.
"""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import AuthBot
from bot.store.labels import delete_guild_example
from bot.utils.checks import moderator_only
from bot.utils.cooldowns import user_cooldown
from bot.utils.replies import notify


class ExamplesGroup(app_commands.Group, name="examples", description="Moderators: labelled examples from answers"):
    def __init__(self, bot: AuthBot) -> None:
        super().__init__()
        self.bot = bot

    @app_commands.command(name="delete", description="Delete a labelled example by its number.")
    @app_commands.describe(example="The example's number, as the answer's notice gave it")
    @moderator_only()
    @user_cooldown()
    async def delete(self, interaction: discord.Interaction, example: app_commands.Range[int, 1]) -> None:
        assert interaction.guild_id is not None  # /kb is guild_only
        # Acknowledged first: Discord drops an interaction unanswered after 3 s, and the store may take up to
        # its deadline (STORE_TIMEOUT) before it gives up on a database that does not answer.
        await interaction.response.defer(ephemeral=True, thinking=True)
        deleted = await self.bot.store.run(delete_guild_example, example, interaction.guild_id, write=True)
        await notify(
            interaction,
            f"Deleted labelled example #{example}." if deleted else f"No labelled example #{example} in this server.",
        )


class Examples(commands.Cog):
    """Adds the `examples` group under `/kb` (bot/exts/kb/manage.py owns `/kb` and its permissions)."""

    def __init__(self, bot: AuthBot) -> None:
        self.bot = bot
        self.group = ExamplesGroup(bot)

    async def cog_load(self) -> None:
        kb = self.bot.tree.get_command("kb")
        if not isinstance(kb, app_commands.Group):
            raise RuntimeError("bot.exts.kb.manage must be loaded before bot.exts.kb.examples")
        kb.add_command(self.group)

    async def cog_unload(self) -> None:
        kb = self.bot.tree.get_command("kb")
        if isinstance(kb, app_commands.Group):
            kb.remove_command(self.group.name)


async def setup(bot: AuthBot) -> None:
    await bot.add_cog(Examples(bot))
