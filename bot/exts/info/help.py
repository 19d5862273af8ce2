"""`/help`: what the bot can do, read from the command tree so it never goes stale."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import AuthBot
from bot.render.limits import EMBED_DESCRIPTION, truncate
from bot.store import queries
from bot.utils.cooldowns import user_cooldown

MENU_TYPES = {discord.AppCommandType.message: "message", discord.AppCommandType.user: "user"}


def _is_moderator_only(command: app_commands.Command | app_commands.Group | app_commands.ContextMenu) -> bool:
    root = command.root_parent or command if isinstance(command, app_commands.Command) else command
    return root.default_permissions is not None


def help_lines(tree: app_commands.CommandTree) -> list[str]:
    slash: list[str] = []
    menus: list[str] = []
    for command in tree.get_commands():
        if isinstance(command, app_commands.ContextMenu):
            mark = " *(moderators)*" if _is_moderator_only(command) else ""
            kind = MENU_TYPES.get(command.type, "item")
            menus.append(f"**{command.name}**: right-click a {kind} → Apps{mark}")
            continue
        leaves = command.walk_commands() if isinstance(command, app_commands.Group) else [command]
        for leaf in leaves:
            if isinstance(leaf, app_commands.Group):
                continue
            mark = " *(moderators)*" if _is_moderator_only(leaf) else ""
            slash.append(f"**/{leaf.qualified_name}**: {leaf.description}{mark}")
    return sorted(slash) + sorted(menus)


class Help(commands.Cog):
    def __init__(self, bot: AuthBot) -> None:
        self.bot = bot

    @app_commands.command(name="help", description="What this bot can do and how to ask it.")
    @user_cooldown()
    async def help(self, interaction: discord.Interaction) -> None:
        self.bot.record(queries.count, "command", "help")
        intro = (
            "I diagnose LiveChat API authorization problems. Paste the error with `/diagnose`; "
            "credentials you paste are redacted and never shown back.\n"
        )
        description = truncate(intro + "\n" + "\n".join(help_lines(self.bot.tree)), EMBED_DESCRIPTION)
        embed = discord.Embed(title="authbot help", description=description, colour=discord.Colour.blurple())
        await interaction.response.send_message(embed=embed, ephemeral=True)


async def setup(bot: AuthBot) -> None:
    await bot.add_cog(Help(bot))
