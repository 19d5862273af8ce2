"""Base classes for the bot's views, modals and persistent buttons: errors follow the same policy as
commands (a private notice, a redacted log line), and timed-out controls are disabled, not left to fail."""

from __future__ import annotations

import logging
from typing import Any

import discord

from bot.utils.errors import handle_interaction_error

log = logging.getLogger(__name__)


class View(discord.ui.View):
    """A view on an interaction response. Call `attach(interaction)` after sending it: on timeout its
    controls are greyed out in place, because a button that is still shown but no longer listened to
    answers a click with "This interaction failed"."""

    _interaction: discord.Interaction | None = None

    def attach(self, interaction: discord.Interaction) -> None:
        self._interaction = interaction

    async def on_timeout(self) -> None:
        if self._interaction is None:
            return
        for item in self.children:
            if isinstance(item, discord.ui.Button | discord.ui.Select):
                item.disabled = True
        try:
            await self._interaction.edit_original_response(view=self)
        except discord.HTTPException as error:  # dismissed by the user, or the token expired
            log.debug("could not disable a timed-out view: %s %s", error.status, error.code)

    async def on_error(self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item[Any]) -> None:
        await handle_interaction_error(interaction, error)


class Modal(discord.ui.Modal):
    async def on_error(self, interaction: discord.Interaction, error: Exception) -> None:
        await handle_interaction_error(interaction, error)


class DynamicButton(discord.ui.DynamicItem[discord.ui.Button], template=r"(?!)"):
    """A persistent button (its state lives in the custom_id). discord.py sends a dynamic item's errors
    to a throwaway view's default handler, which only logs; subclasses implement `run` instead of
    `callback`, and every error goes through the one policy. The base template matches nothing."""

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            await self.run(interaction)
        except Exception as error:  # noqa: BLE001 - the policy decides what is expected
            await handle_interaction_error(interaction, error)

    async def run(self, interaction: discord.Interaction) -> None:
        raise NotImplementedError
