"""An ephemeral embed paginator with ◀ / ▶ buttons, for lists longer than one embed."""

from __future__ import annotations

import discord

from bot.render.limits import EMBED_DESCRIPTION, EMBED_TITLE, pack, truncate
from bot.views.base import View

PAGE_TIMEOUT = 600.0  # ephemeral messages die with the 15-minute interaction token anyway


def line_pages(title: str, lines: list[str], *, per_page: int = 10) -> list[discord.Embed]:
    """Embeds of at most `per_page` lines each, and never over the description limit."""
    groups = ["\n".join(lines[start : start + per_page]) for start in range(0, len(lines), per_page)]
    pages = [page for group in groups for page in pack([group], EMBED_DESCRIPTION)] or ["(empty)"]
    return [
        discord.Embed(title=truncate(title, EMBED_TITLE), description=page).set_footer(
            text=f"Page {number}/{len(pages)}"
        )
        for number, page in enumerate(pages, 1)
    ]


class Paginator(View):
    def __init__(self, pages: list[discord.Embed]) -> None:
        super().__init__(timeout=PAGE_TIMEOUT)
        self.pages = pages
        self.index = 0
        self._sync_buttons()

    def _sync_buttons(self) -> None:
        self.previous.disabled = self.index == 0
        self.next.disabled = self.index >= len(self.pages) - 1

    async def _show(self, interaction: discord.Interaction, index: int) -> None:
        self.index = max(0, min(index, len(self.pages) - 1))
        self._sync_buttons()
        await interaction.response.edit_message(embed=self.pages[self.index], view=self)

    @discord.ui.button(label="◀ Previous", style=discord.ButtonStyle.secondary)
    async def previous(self, interaction: discord.Interaction, _: discord.ui.Button) -> None:
        await self._show(interaction, self.index - 1)

    @discord.ui.button(label="Next ▶", style=discord.ButtonStyle.secondary)
    async def next(self, interaction: discord.Interaction, _: discord.ui.Button) -> None:
        await self._show(interaction, self.index + 1)

    async def send(self, interaction: discord.Interaction) -> None:
        """Always ephemeral: a list is for the person who asked, not for the channel."""
        view = self if len(self.pages) > 1 else discord.utils.MISSING
        await interaction.response.send_message(embed=self.pages[0], view=view, ephemeral=True)
        self.attach(interaction)  # greyed out on timeout (bot/views/base.py)
