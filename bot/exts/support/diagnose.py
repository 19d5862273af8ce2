"""`/diagnose` and the "Diagnose message" context menu: run the engine on text, answer with an embed.

The engine is pure and takes about a millisecond, so both reply directly instead of deferring; the
database is written after the reply (`bot.record`), so a locked database never costs the answer.
"""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import AuthBot
from bot.core.diagnosis import Diagnosis
from bot.exts.support._answers import diagnosis_reply, posted_notice, publish, record_diagnosis
from bot.exts.support._diagnosing import run_diagnosis
from bot.store import queries
from bot.utils.attachments import has_readable_attachments, message_text
from bot.utils.checks import interaction_is_moderator, posting_refusal
from bot.utils.cooldowns import user_cooldown
from bot.utils.replies import notify, respond
from bot.views.base import Modal, View

POST_TIMEOUT = 600.0


class PostPubliclyView(View):
    """Under a private "Diagnose message" result: lets a moderator post it as a reply to the message."""

    def __init__(self, bot: AuthBot, diagnosis: Diagnosis, target: discord.Message) -> None:
        super().__init__(timeout=POST_TIMEOUT)
        self.bot = bot
        self.diagnosis = diagnosis
        self.target = target

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction_is_moderator(interaction):
            return True
        await notify(interaction, "Only moderators can post answers publicly.")
        return False

    @discord.ui.button(label="Post publicly", style=discord.ButtonStyle.primary)
    async def post_publicly(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        refusal = posting_refusal(interaction, self.target.channel)
        if refusal:
            await notify(interaction, refusal)
            return
        # Acknowledge before posting: a rate-limited post must not outlast the 3-second deadline, or the
        # moderator sees "interaction failed", clicks again, and the asker gets the answer twice.
        await interaction.response.defer()
        reply = diagnosis_reply(self.bot, self.diagnosis, asker=self.target.author)
        posted = await publish(self.bot, reply, self.target.channel, reply_to=self.target, asker=self.target.author)
        button.disabled = True
        await interaction.edit_original_response(content=posted_notice(posted), view=self)
        self.stop()


class Diagnose(commands.Cog):
    def __init__(self, bot: AuthBot) -> None:
        self.bot = bot
        # Context menus cannot be declared inside a cog with a decorator; build and register by hand.
        self.diagnose_menu = app_commands.ContextMenu(name="Diagnose message", callback=self.diagnose_message)

    async def cog_load(self) -> None:
        self.bot.tree.add_command(self.diagnose_menu)

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(self.diagnose_menu.name, type=self.diagnose_menu.type)

    def _diagnose(self, text: str, *, source: str, guild_id: int | None) -> Diagnosis:
        diagnosis = run_diagnosis(self.bot, text, source=source, guild_id=guild_id)
        self.bot.record(record_diagnosis, diagnosis, source=source, guild_id=guild_id)
        return diagnosis

    @app_commands.command(name="diagnose", description="Paste an error or describe a LiveChat API auth problem.")
    @app_commands.describe(
        text="The error, request or question; leave empty for a multi-line box (credentials are redacted)",
        private="Only you see the answer (always on when your text contains a credential)",
    )
    @user_cooldown()
    async def diagnose(self, interaction: discord.Interaction, text: str | None = None, private: bool = False) -> None:
        self.bot.record(queries.count, "command", "diagnose")
        if text is None or not text.strip():
            # A slash option is one line: a pasted traceback or JSON body loses its line breaks there.
            await interaction.response.send_modal(DiagnoseModal(self, private=private))
            return
        await self.answer(interaction, text, private=private)

    async def answer(self, interaction: discord.Interaction, text: str, *, private: bool) -> None:
        diagnosis = self._diagnose(text, source="diagnose", guild_id=interaction.guild_id)
        # The user just pasted a secret: a public answer would point the channel at it. Keep it private.
        ephemeral = private or diagnosis.has_credentials
        public = not ephemeral and interaction.guild is not None
        reply = diagnosis_reply(self.bot, diagnosis, asker=interaction.user, offer_helper=public)
        await respond(interaction, reply.rendered, view=reply.view, ephemeral=ephemeral, mentions=reply.mentions)

    @user_cooldown()
    async def diagnose_message(self, interaction: discord.Interaction, message: discord.Message) -> None:
        self.bot.record(queries.count, "command", "Diagnose message")
        if has_readable_attachments(message):
            # Downloading the file may take a moment: acknowledge first, answer as a follow-up.
            await interaction.response.defer(ephemeral=True, thinking=True)
        text = await message_text(message)
        if not text:
            await notify(interaction, "That message has no text I can read.")
            return
        diagnosis = self._diagnose(text, source="context-menu", guild_id=interaction.guild_id)
        reply = diagnosis_reply(self.bot, diagnosis, asker=interaction.user)
        offer_post = interaction_is_moderator(interaction) and not diagnosis.abstained
        view = PostPubliclyView(self.bot, diagnosis, message) if offer_post else None
        await respond(interaction, reply.rendered, view=view, ephemeral=True)
        if view is not None:
            view.attach(interaction)


class DiagnoseModal(Modal, title="Diagnose a LiveChat auth problem"):
    text: discord.ui.TextInput = discord.ui.TextInput(
        label="Error, request or question",
        custom_id="diagnose_text",
        style=discord.TextStyle.paragraph,
        placeholder="Paste the error body, the curl command or the traceback. Credentials are redacted.",
        max_length=4000,
    )

    def __init__(self, cog: Diagnose, *, private: bool) -> None:
        super().__init__()
        self.cog = cog
        self.private = private

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await self.cog.answer(interaction, self.text.value, private=self.private)


async def setup(bot: AuthBot) -> None:
    await bot.add_cog(Diagnose(bot))
