"""Calling a human: the "Ask a helper" button under a public /diagnose the bot could not answer.

Why a button and not a ping in the answer: a ping on every abstain let one member page the helper role
about ten times a minute with off-topic text. Now the answer pings nobody; the asker confirms they want a
human, and only then is the role mentioned — once per question (the button is removed from the answer),
at most `helper_pings_per_user_per_hour` times per member and `helper_pings_per_guild_per_hour` per server.
Off-topic text and thank-yous never get the button (bot/views/helper.py, which also holds the button).
"""

from __future__ import annotations

import logging
from collections import OrderedDict

import discord
from discord.ext import commands

from bot.app import AuthBot
from bot.utils.ratelimit import SlidingWindow
from bot.utils.replies import notify, only_role
from bot.views.helper import ESCALATION_COG, AskHelperButton

log = logging.getLogger(__name__)

HOUR = 3600.0
ESCALATED_MEMORY = 2000


class Escalation(commands.Cog, name=ESCALATION_COG):
    def __init__(self, bot: AuthBot) -> None:
        self.bot = bot
        settings = bot.settings
        self.per_user = SlidingWindow(settings.helper_pings_per_user_per_hour, HOUR)
        self.per_guild = SlidingWindow(settings.helper_pings_per_guild_per_hour, HOUR)
        # Answer messages already escalated (the button is removed too); oldest dropped past the limit.
        self.escalated: OrderedDict[int, None] = OrderedDict()

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(AskHelperButton)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(AskHelperButton)

    async def escalate(self, interaction: discord.Interaction) -> None:
        answer, channel, role_id = interaction.message, interaction.channel, self.bot.settings.helper_role_id
        if answer is None or role_id is None or not isinstance(channel, discord.abc.Messageable):
            await notify(interaction, "No helper role is set up on this server.")
            return
        if answer.id in self.escalated:
            await notify(interaction, "A helper was already asked about this question.")
            return
        wait = max(self.per_user.retry_after(interaction.user.id), self.per_guild.retry_after(interaction.guild_id))
        if wait:
            minutes = max(1, round(wait / 60))
            await notify(interaction, f"Helpers were called recently; please try again in about {minutes} min.")
            return
        # Claimed before the first await, so a double click can't ping twice.
        self.escalated[answer.id] = None
        while len(self.escalated) > ESCALATED_MEMORY:
            self.escalated.popitem(last=False)
        self.per_user.hit(interaction.user.id)
        self.per_guild.hit(interaction.guild_id)
        await interaction.response.defer(ephemeral=True, thinking=True)
        await channel.send(
            f"<@&{role_id}>: {interaction.user.mention} would like a human to look at this question.",
            reference=answer.to_reference(fail_if_not_exists=False),
            allowed_mentions=only_role(role_id),
        )
        await _remove_button(answer)
        log.info("helper role pinged for answer %s by user %s", answer.id, interaction.user.id)
        await interaction.followup.send("I've asked the helpers; someone will reply here.", ephemeral=True)


async def _remove_button(answer: discord.Message) -> None:
    view = discord.ui.View.from_message(answer, timeout=None)
    for item in list(view.children):
        if getattr(item, "custom_id", "").startswith("esc:"):
            view.remove_item(item)
    try:
        await answer.edit(view=view if view.children else None)
    except discord.HTTPException as error:  # the ping went out; a stale button is refused by `escalated`
        log.warning("could not remove the helper button from %s: %s %s", answer.id, error.status, error.code)


async def setup(bot: AuthBot) -> None:
    await bot.add_cog(Escalation(bot))
