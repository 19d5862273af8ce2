""""Show all steps" under a short answer: the whole entry, privately, to whoever clicks.

A `DynamicItem` (the entry id is in the custom_id), so it keeps working after a restart, like the
feedback buttons. Reading the rest of an answer is harmless, so anyone may click; the reply is ephemeral so
a busy channel doesn't fill with full answers.
"""

from __future__ import annotations

import re

import discord

from bot.app import bot_of
from bot.store import Store
from bot.utils.replies import respond
from bot.views.base import DynamicButton
from bot.views.feedback import answer_view, render_entry


class AllStepsButton(DynamicButton, template=r"steps:(?P<entry>[a-z0-9-]+)"):
    def __init__(self, entry_id: str) -> None:
        super().__init__(
            discord.ui.Button(
                label="Show all steps", style=discord.ButtonStyle.secondary, custom_id=f"steps:{entry_id}"
            )
        )
        self.entry_id = entry_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]
    ) -> AllStepsButton:
        return cls(match["entry"])

    async def run(self, interaction: discord.Interaction) -> None:
        bot = bot_of(interaction)
        if self.entry_id not in bot.engine.kb.entries:  # removed by a /kb reload since
            await interaction.response.send_message("That FAQ entry no longer exists.", ephemeral=True)
            return
        bot.record(Store.count, "entry", self.entry_id)
        rendered = render_entry(bot.engine.kb, self.entry_id)
        view = answer_view(self.entry_id, asker_id=interaction.user.id)
        await respond(interaction, rendered, view=view, ephemeral=True)
