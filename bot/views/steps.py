""""Show all steps" under a short answer: the whole entry, privately, to whoever clicks.

A `DynamicItem` (the entry id is in the custom_id), so it keeps working after a restart, like the
feedback buttons. Reading the rest of an answer is harmless, so anyone may click; the reply is ephemeral so
a busy channel doesn't fill with full answers.
"""

from __future__ import annotations

import discord

from bot.views.feedback import EntryButton


class AllStepsButton(EntryButton, template=r"steps:(?P<entry>[a-z0-9-]+)"):
    def __init__(self, entry_id: str) -> None:
        super().__init__(
            discord.ui.Button(
                label="Show all steps", style=discord.ButtonStyle.secondary, custom_id=f"steps:{entry_id}"
            )
        )
        self.entry_id = entry_id
