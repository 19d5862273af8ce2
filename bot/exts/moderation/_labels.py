"""A moderator's answer to a member's message is a label: keep it as a labelled example.

What is kept: the message's text (redacted by the store on the way in), the entry the moderator chose,
what the bot would have answered (its best entry, confidence, whether it abstained) and who labelled it.
When the bot had already answered that message (a reply to it, e.g. in a help channel) and the asker
voted that answer "Not solved", the example is linked to that vote. `authbot kb suggest` reads examples.

Labelling never costs the moderator their answer: it runs after the answer is posted, and a database
failure is logged and reported as "not saved".
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from sqlalchemy.exc import SQLAlchemyError

from bot.core.diagnosis import Diagnosis
from bot.store.models import VoteRef

if TYPE_CHECKING:
    from bot.app import AuthBot

log = logging.getLogger(__name__)

#: Messages after the question searched for the bot's earlier answer to it (one REST call).
ANSWER_SEARCH = 50
SOURCES = ("slash", "context_menu")


async def record_label(
    bot: AuthBot,
    target: discord.Message,
    entry_id: str,
    *,
    moderator: discord.abc.User,
    source: str,
    diagnosis: Diagnosis | None = None,
) -> int | None:
    """Store the example; returns its id, or None when the message is no question (empty, a bot's) or the
    database failed. `diagnosis`: the bot's own reading of the message when the caller already has it."""
    if source not in SOURCES:
        raise ValueError(f"source must be one of {SOURCES}")
    if target.author.bot or not target.content.strip():
        return None
    diagnosis = diagnosis or bot.engine.diagnose(target.content)
    top = diagnosis.top
    try:
        vote = await _not_solved_vote(bot, target)
        return await bot.store.record_example(
            guild_id=target.guild.id if target.guild else None,
            channel_id=target.channel.id,
            message_id=target.id,
            text=diagnosis.text,  # the engine's redacted copy; the store scrubs it once more
            chosen_entry=entry_id,
            bot_entry=top.entry_id if top else None,
            bot_confidence=top.score if top else 0.0,
            bot_abstained=diagnosis.abstained,
            labelled_by=moderator.id,
            source=source,
            linked_vote=vote,
        )
    except (SQLAlchemyError, OSError) as error:  # OSError includes StoreUnavailable, a TimeoutError
        log.warning("labelled example not saved (the answer was posted): %s", type(error).__name__)
        return None


async def _not_solved_vote(bot: AuthBot, target: discord.Message) -> VoteRef | None:
    """The asker's "Not solved" vote on an answer the bot posted as a reply to `target`, if any."""
    me = bot.user
    try:
        async for message in target.channel.history(after=target, limit=ANSWER_SEARCH, oldest_first=True):
            replied = message.reference.message_id if message.reference else None
            ours = me is not None and message.author.id == me.id and replied == target.id
            if ours and await bot.store.vote_of(message.id, target.author.id) is False:
                return VoteRef(message.id, target.author.id)
    except discord.HTTPException as error:  # no Read Message History here: the example is kept unlinked
        log.info("could not look for an earlier answer to %s: %s", target.id, error.status)
    return None


def saved_note(example_id: int | None) -> str:
    """What the moderator is told after their answer."""
    if example_id is None:
        return ""
    return f"\nSaved as labelled example #{example_id} (`/kb examples delete {example_id}` removes it)."
