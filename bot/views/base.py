"""Base classes for the bot's views and modals: errors follow the same policy as commands."""

from __future__ import annotations

from typing import Any

import discord

from bot.utils.errors import handle_interaction_error


class View(discord.ui.View):
    async def on_error(self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item[Any]) -> None:
        await handle_interaction_error(interaction, error)


class Modal(discord.ui.Modal):
    async def on_error(self, interaction: discord.Interaction, error: Exception) -> None:
        await handle_interaction_error(interaction, error)
