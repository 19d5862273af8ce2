"""The command tree with the bot's one global app-command error handler.

It is a `CommandTree` subclass (not an `on_error` assigned later) so that wrappers installed
around `tree.on_error` — by test harnesses or monitoring — still reach it.
"""

from __future__ import annotations

import discord
from discord import app_commands

from bot.utils.errors import handle_interaction_error


class AuthTree(app_commands.CommandTree):
    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        await handle_interaction_error(interaction, error)
