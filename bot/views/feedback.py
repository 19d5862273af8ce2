"""Persistent "Solved ✅ / Not solved" buttons and the runner-up button under every answer.

Both are `DynamicItem`s: the custom_id carries the entry id, so a click is understood after a
restart without any saved view state. A vote is keyed on (answer message, user) in the database: one per
user per answer, and clicking the other button changes it, whichever shard process receives the click. A
database that does not take the vote within VOTE_TIMEOUT (the click must be acknowledged within 3 s) gets
it through the write queue instead, and the voter a plain thank-you. Only the asker and moderators vote; the asker's
"Solved" also tags a forum post with FORUM_SOLVED_TAG.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING

import discord
from sqlalchemy.exc import SQLAlchemyError

from bot.app import bot_of
from bot.core.answer import entry_answer
from bot.knowledge.loader import KnowledgeBase
from bot.render.embed import Rendered, render_sections
from bot.render.limits import BUTTON_LABEL, truncate
from bot.render.sections import answer_sections
from bot.store import Vote, queries
from bot.utils.checks import interaction_is_moderator
from bot.utils.replies import notify, respond
from bot.views.base import DynamicButton

if TYPE_CHECKING:
    from bot.app import AuthBot

log = logging.getLogger(__name__)

VOTE_TIMEOUT = 1.5  # seconds: Discord drops an interaction not acknowledged within 3
MAX_THREAD_TAGS = 5  # Discord's limit of applied tags per forum post

SOLVED_LABEL = "Solved ✅"
NOT_SOLVED_LABEL = "Not solved"

_THANKS = {
    (True, Vote.new): "Thanks! Glad that fixed it.",
    (True, Vote.changed): "Changed your vote to solved. Glad it worked out!",
    (True, Vote.same): "You already marked this as solved.",
    (False, Vote.new): "Thanks for telling us. Try `/diagnose` with the exact error text, or ask a helper here.",
    (False, Vote.changed): "Changed your vote to not solved. A helper can take it from here.",
    (False, Vote.same): "You already marked this as not solved.",
}


class FeedbackButton(DynamicButton, template=r"fb:(?P<vote>[yn]):(?P<entry>[a-z0-9-]+)(?::(?P<asker>\d+))?"):
    """`asker` (in the custom_id) is the only member besides moderators whose vote counts: a stranger
    marking someone else's question solved would skew the stats and could close their forum post.
    Buttons sent before the asker was recorded carry none and stay open to everyone."""

    def __init__(self, entry_id: str, solved: bool, asker_id: int | None = None) -> None:
        super().__init__(
            discord.ui.Button(
                label=SOLVED_LABEL if solved else NOT_SOLVED_LABEL,
                style=discord.ButtonStyle.success if solved else discord.ButtonStyle.secondary,
                custom_id=f"fb:{'y' if solved else 'n'}:{entry_id}" + (f":{asker_id}" if asker_id else ""),
            )
        )
        self.entry_id = entry_id
        self.solved = solved
        self.asker_id = asker_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]
    ) -> FeedbackButton:
        return cls(match["entry"], match["vote"] == "y", int(match["asker"]) if match["asker"] else None)

    async def run(self, interaction: discord.Interaction) -> None:
        assert interaction.message is not None  # a component interaction always has its message
        if self.asker_id and interaction.user.id != self.asker_id and not interaction_is_moderator(interaction):
            await notify(interaction, "Only the person who asked (or a moderator) can mark this answer.")
            return
        bot = bot_of(interaction)
        vote = dict(
            message_id=interaction.message.id,
            user_id=interaction.user.id,
            entry_id=self.entry_id,
            solved=self.solved,
            guild_id=interaction.guild_id,
        )
        try:
            result = await bot.store.record_vote(**vote, deadline=VOTE_TIMEOUT)
        except (SQLAlchemyError, OSError, TimeoutError) as error:
            # The upsert is idempotent, so queueing it is safe even if the timed-out one landed after all.
            log.warning("vote not stored now, queued (%s)", type(error).__name__)
            bot.record(queries.record_vote, **vote)
            result = Vote.new
        await interaction.response.send_message(_THANKS[self.solved, result], ephemeral=True)
        if self.solved and result is not Vote.same:
            await mark_forum_post_solved(bot_of(interaction), interaction.channel)


class EntryButton(DynamicButton, template=r"(?!)"):
    """A persistent button that answers privately, to whoever clicks, with one whole entry (its id rides in
    the custom_id). Subclasses set the label and the custom_id's template."""

    entry_id: str

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]
    ) -> EntryButton:
        return cls(match["entry"])

    async def run(self, interaction: discord.Interaction) -> None:
        bot = bot_of(interaction)
        if self.entry_id not in bot.engine.kb.entries:  # removed by a /kb reload since
            await interaction.response.send_message("That FAQ entry no longer exists.", ephemeral=True)
            return
        bot.record(queries.count, "entry", self.entry_id)
        rendered = render_entry(bot.engine.kb, self.entry_id)
        view = answer_view(self.entry_id, asker_id=interaction.user.id)
        await respond(interaction, rendered, view=view, ephemeral=True)


class RunnerUpButton(EntryButton, template=r"alt:(?P<entry>[a-z0-9-]+)"):
    """Shown on a near tie: the second-best entry."""

    def __init__(self, entry_id: str, title: str | None = None) -> None:
        super().__init__(
            discord.ui.Button(
                label=truncate(f"Or: {title or entry_id}", BUTTON_LABEL),
                style=discord.ButtonStyle.primary,
                custom_id=f"alt:{entry_id}",
            )
        )
        self.entry_id = entry_id


def render_entry(kb: KnowledgeBase, entry_id: str, mention: str | None = None) -> Rendered:
    """An entry chosen by name: no confidence to show, since nothing was guessed."""
    return render_sections(answer_sections(entry_answer(kb, entry_id)), mention=mention)


def answer_view(
    entry_id: str | None, runner_up: tuple[str, str] | None = None, *, asker_id: int | None = None
) -> discord.ui.View | None:
    """Buttons under an answer: feedback when there is an entry (votes by `asker_id` and moderators),
    the runner-up on a near tie."""
    view = discord.ui.View(timeout=None)
    if entry_id:
        view.add_item(FeedbackButton(entry_id, solved=True, asker_id=asker_id))
        view.add_item(FeedbackButton(entry_id, solved=False, asker_id=asker_id))
    if runner_up:
        view.add_item(RunnerUpButton(*runner_up))
    return view if view.children else None


async def mark_forum_post_solved(bot: AuthBot, channel: object) -> None:
    """Apply the configured "Solved" tag when the answer sits in a forum post that has such a tag.
    Best effort: a forum without the tag, a post with Discord's maximum of 5 tags, or no Manage Threads
    leaves the post as it was (the vote is stored either way)."""
    name = bot.settings.forum_solved_tag.strip().casefold()
    if not name or not isinstance(channel, discord.Thread) or not isinstance(channel.parent, discord.ForumChannel):
        return
    tag = next((t for t in channel.parent.available_tags if t.name.casefold() == name), None)
    if tag is None or tag in channel.applied_tags or len(channel.applied_tags) >= MAX_THREAD_TAGS:
        return
    try:
        await channel.add_tags(tag, reason="The asker marked the bot's answer as solved")
    except discord.HTTPException as error:
        log.info("could not tag forum post %s as solved: %s %s", channel.id, error.status, error.code)
