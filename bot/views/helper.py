"""The "Ask a helper" button, and when an answer offers it.

The button is a `DynamicItem` whose custom_id names the asker, so it works after a restart and only the
asker (or a moderator) can use it. What a click does — the limits and the one ping — is the escalation
cog's job (bot/exts/support/escalation.py); the button finds it by name.
"""

from __future__ import annotations

import re

import discord

from bot.app import bot_of
from bot.core.diagnosis import Diagnosis
from bot.core.pipeline import Engine
from bot.core.topic import classify_topic
from bot.utils.checks import interaction_is_moderator
from bot.utils.replies import notify
from bot.views.base import DynamicButton

ESCALATION_COG = "Escalation"
ASK_LABEL = "Ask a helper"


def offers_helper(engine: Engine, diagnosis: Diagnosis) -> bool:
    """An honest "I don't know" about LiveChat or authorization: worth a human's time. Not a thank-you
    (`escalate` is off), not chit-chat, not another product's auth."""
    if not (diagnosis.abstained and diagnosis.answer.escalate):
        return False
    topic = classify_topic(diagnosis.text, engine.kb.vocabulary, diagnosis.signals, diagnosis.credentials)
    return (topic.livechat or topic.auth) and not topic.foreign


class AskHelperButton(DynamicButton, template=r"esc:(?P<asker>\d+)"):
    def __init__(self, asker_id: int) -> None:
        super().__init__(
            discord.ui.Button(label=ASK_LABEL, style=discord.ButtonStyle.primary, custom_id=f"esc:{asker_id}")
        )
        self.asker_id = asker_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]
    ) -> AskHelperButton:
        return cls(int(match["asker"]))

    async def run(self, interaction: discord.Interaction) -> None:
        if interaction.user.id != self.asker_id and not interaction_is_moderator(interaction):
            await notify(interaction, "Only the person who asked can call a helper for this question.")
            return
        cog = bot_of(interaction).get_cog(ESCALATION_COG)
        if cog is None:
            await notify(interaction, "Calling a helper is not available right now.")
            return
        await cog.escalate(interaction)  # type: ignore[attr-defined]


