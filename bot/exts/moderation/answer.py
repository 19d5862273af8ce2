"""Moderators answer a user with the canonical fix, landing on the user's own message.

- `/answer topic [message] [user]`: post an entry as a reply to a message (link or id), or
  mentioning a user; the asker is the only one pinged.
- Message context menu "Answer with FAQ": diagnose the message, pick from the best candidates
  (or search), and the choice is posted as a reply to it.

Either way, an answer to a member's message is kept as a labelled example (bot/exts/moderation/_labels.py).
"""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import AuthBot
from bot.core.diagnosis import Diagnosis
from bot.exts.moderation._labels import record_label, saved_note
from bot.exts.support._answers import entry_reply, posted_notice, publish
from bot.exts.support._diagnosing import run_diagnosis
from bot.exts.support._topics import resolve_topic, topic_choices
from bot.knowledge.schema import Entry
from bot.render.limits import CHOICE_NAME, CHOICES, truncate
from bot.store import queries
from bot.utils.checks import interaction_is_moderator, moderator_command, posting_refusal
from bot.utils.cooldowns import user_cooldown
from bot.utils.messages import parse_message_ref
from bot.utils.replies import notify
from bot.views.base import Modal, View

PICK_TIMEOUT = 600.0


async def _fetch_target(interaction: discord.Interaction, reference: str) -> discord.Message | str:
    """The referenced message, or what to tell the moderator when it cannot be used.

    Permissions are checked in the target channel *before* reading it: a link must not let a moderator
    read, or answer into, a channel they can't see themselves.
    """
    ref = parse_message_ref(reference)
    if ref is None:
        return "That is not a message link or id."
    if ref.guild_id is not None and ref.guild_id != interaction.guild_id:
        return "That message is in another server."
    guild = interaction.guild
    channel = guild.get_channel_or_thread(ref.channel_id) if guild and ref.channel_id else interaction.channel
    if not isinstance(channel, discord.abc.Messageable):
        return "I can't see that channel."
    refusal = posting_refusal(interaction, channel)
    if refusal:
        return refusal
    try:
        return await channel.fetch_message(ref.message_id)
    except discord.NotFound:
        return "I couldn't find that message; was it deleted?"
    except discord.Forbidden:
        return "I'm not allowed to read that channel."


class SearchModal(Modal, title="Search the FAQ"):
    query: discord.ui.TextInput = discord.ui.TextInput(
        label="Words from the title or question", custom_id="faq_search", max_length=100
    )

    def __init__(self, picker: AnswerPicker) -> None:
        super().__init__()
        self.picker = picker

    async def on_submit(self, interaction: discord.Interaction) -> None:
        entries = self.picker.bot.engine.matcher.search(self.query.value, limit=CHOICES)
        if not entries:
            await notify(interaction, "Nothing in the FAQ matches that; try other words.")
            return
        self.picker.set_candidates([(entry, None) for entry in entries])
        await interaction.response.edit_message(view=self.picker)


class AnswerPicker(View):
    """Ephemeral, for one moderator: a select of candidate entries plus a search button."""

    def __init__(
        self,
        bot: AuthBot,
        target: discord.Message,
        candidates: list[tuple[Entry, float | None]],
        diagnosis: Diagnosis | None = None,
    ) -> None:
        super().__init__(timeout=PICK_TIMEOUT)
        self.bot = bot
        self.target = target
        self.diagnosis = diagnosis  # the bot's own reading of the target, kept with the label
        self.set_candidates(candidates)

    def set_candidates(self, candidates: list[tuple[Entry, float | None]]) -> None:
        self.choose.options = [
            discord.SelectOption(
                label=truncate(entry.title, CHOICE_NAME),
                value=entry.id,
                description=truncate(
                    entry.id if score is None else f"{entry.id} · confidence {score:.2f}", CHOICE_NAME
                ),
            )
            for entry, score in candidates[:CHOICES]
        ]

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction_is_moderator(interaction):
            return True
        await notify(interaction, "Only moderators can post answers.")
        return False

    @discord.ui.select(placeholder="Choose the answer to post", min_values=1, max_values=1)
    async def choose(self, interaction: discord.Interaction, select: discord.ui.Select) -> None:
        entry_id = select.values[0]
        if entry_id not in self.bot.engine.kb.entries:
            await notify(interaction, "That entry no longer exists (the FAQ was reloaded); search again.")
            return
        refusal = posting_refusal(interaction, self.target.channel)
        if refusal:
            await notify(interaction, refusal)
            return
        await interaction.response.defer()  # acknowledge before posting (see PostPubliclyView)
        reply = entry_reply(self.bot, entry_id, asker=self.target.author)
        posted = await publish(self.bot, reply, self.target.channel, reply_to=self.target, asker=self.target.author)
        example = None
        if not posted.duplicate:
            example = await record_label(
                self.bot, self.target, entry_id, moderator=interaction.user, source="context_menu",
                diagnosis=self.diagnosis,
            )
        await interaction.edit_original_response(content=posted_notice(posted) + saved_note(example), view=None)
        self.stop()

    @discord.ui.button(label="Search…", style=discord.ButtonStyle.secondary)
    async def search(self, interaction: discord.Interaction, _: discord.ui.Button) -> None:
        await interaction.response.send_modal(SearchModal(self))


class Answer(commands.Cog):
    def __init__(self, bot: AuthBot) -> None:
        self.bot = bot
        self.answer_menu = app_commands.ContextMenu(name="Answer with FAQ", callback=self.answer_with_faq)

    async def cog_load(self) -> None:
        self.bot.tree.add_command(self.answer_menu)

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(self.answer_menu.name, type=self.answer_menu.type)

    @app_commands.command(name="answer", description="Moderators: post a FAQ entry publicly, landing on the asker.")
    @app_commands.describe(
        topic="The entry to post (start typing)",
        message="Link or id of the message to reply to (an id means this channel)",
        user="Mention this user instead of (or besides) replying to a message",
    )
    @moderator_command
    @user_cooldown()
    async def answer(
        self,
        interaction: discord.Interaction,
        topic: str,
        message: str | None = None,
        user: discord.Member | None = None,
    ) -> None:
        self.bot.record(queries.count, "command", "answer")
        entry_id = resolve_topic(self.bot.engine, topic)
        if entry_id is None:
            await notify(interaction, "No FAQ entry matches that topic; pick one from the list.")
            return
        # Fetching the message is a REST call; acknowledge first so slowness never loses the interaction.
        await interaction.response.defer(ephemeral=True, thinking=True)
        target = await _fetch_target(interaction, message) if message else None
        channel = target.channel if isinstance(target, discord.Message) else interaction.channel
        if target is None:
            target = posting_refusal(interaction, channel)
        if isinstance(target, str):
            await notify(interaction, target)
            return
        assert isinstance(channel, discord.abc.Messageable)  # guild_only: always a guild channel
        asker = user or (target.author if target else None)
        # A reply already pings its author; anyone else is reached by a mention in the content.
        in_content = user if user and (target is None or user.id != target.author.id) else None
        reply = entry_reply(self.bot, entry_id, mention=in_content, asker=asker)
        posted = await publish(self.bot, reply, channel, reply_to=target, asker=asker)
        example = None
        if target is not None and not posted.duplicate:
            example = await record_label(self.bot, target, entry_id, moderator=interaction.user, source="slash")
        await notify(interaction, posted_notice(posted) + saved_note(example))

    @answer.autocomplete("topic")
    async def topic_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return topic_choices(self.bot.engine, current)

    @moderator_command
    @user_cooldown()
    async def answer_with_faq(self, interaction: discord.Interaction, message: discord.Message) -> None:
        self.bot.record(queries.count, "command", "Answer with FAQ")
        engine = self.bot.engine
        diagnosis = (
            run_diagnosis(self.bot, message.content, source="answer-with-faq", guild_id=interaction.guild_id)
            if message.content.strip()
            else None
        )
        matches = diagnosis.matches if diagnosis else []
        candidates: list[tuple[Entry, float | None]] = [(engine.kb.entries[m.entry_id], m.score) for m in matches]
        if not candidates:  # nothing to go on: offer the start of the FAQ and the search button
            candidates = [(entry, None) for entry in engine.matcher.search("", limit=CHOICES)]
        picker = AnswerPicker(self.bot, message, candidates, diagnosis)
        who = discord.utils.escape_markdown(message.author.display_name)
        await interaction.response.send_message(
            f"Pick the answer to post as a reply to {who}'s message:", view=picker, ephemeral=True
        )
        picker.attach(interaction)


async def setup(bot: AuthBot) -> None:
    await bot.add_cog(Answer(bot))
