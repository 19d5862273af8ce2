"""Building and publishing answers, shared by /diagnose, /faq, moderator answers and help channels.

A `Reply` is everything one answer needs on Discord: rendered pages, the buttons, and the only
mention it may ping. Keeping this in one place means every path follows the same rules: the
asker is the only user ever pinged; the helper role only through the "Ask a helper" button.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import discord

from bot.core.diagnosis import Diagnosis
from bot.render.embed import Rendered, render_sections
from bot.render.sections import answer_sections, short
from bot.store import queries
from bot.utils.replies import NO_MENTIONS, only_user, post
from bot.views.feedback import answer_view, render_entry
from bot.views.helper import AskHelperButton, offers_helper
from bot.views.steps import AllStepsButton

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from bot.app import AuthBot


#: Answers remembered for "posted once per message": retries and double picks happen within minutes.
PUBLISHED_MEMORY = 2000


@dataclass(frozen=True)
class Reply:
    rendered: Rendered
    view: discord.ui.View | None
    mentions: discord.AllowedMentions
    entry_id: str | None


def diagnosis_reply(
    bot: AuthBot, diagnosis: Diagnosis, *, asker: discord.abc.User | None = None, offer_helper: bool = False
) -> Reply:
    """The answer to a diagnosis; `asker` is who may vote on it. It pings nobody: with `offer_helper` (a
    public answer in a server) an on-topic abstain offers the asker "Ask a helper" instead, which pings
    the helper role within limits."""
    sections = short(answer_sections(diagnosis.answer))  # the first screen; the rest behind "Show all steps"
    asker_id = asker.id if asker else None
    view = answer_view(sections.entry_id, sections.runner_up, asker_id=asker_id)
    if sections.hidden_steps and sections.entry_id:
        view = view or discord.ui.View(timeout=None)
        view.add_item(AllStepsButton(sections.entry_id))
    if offer_helper and asker_id and bot.settings.helper_role_id and offers_helper(bot.engine, diagnosis):
        view = view or discord.ui.View(timeout=None)
        view.add_item(AskHelperButton(asker_id))
    return Reply(render_sections(sections), view, NO_MENTIONS, sections.entry_id)


def entry_reply(
    bot: AuthBot,
    entry_id: str,
    *,
    mention: discord.abc.User | None = None,
    asker: discord.abc.User | None = None,
) -> Reply:
    """An entry chosen by name; `mention` puts that user (and only them) at the front of the content;
    `asker` (default: the mentioned user) is who may vote on it."""
    rendered = render_entry(bot.engine.kb, entry_id, mention.mention if mention else None)
    voter = asker or mention
    view = answer_view(entry_id, asker_id=voter.id if voter else None)
    return Reply(rendered, view, only_user(mention) if mention else NO_MENTIONS, entry_id)


@dataclass(frozen=True)
class Posted:
    jump_url: str
    duplicate: bool  # the same entry was already posted on this message: nothing new was sent


async def publish(
    bot: AuthBot,
    reply: Reply,
    channel: discord.abc.Messageable,
    *,
    reply_to: discord.Message | None = None,
    asker: discord.abc.User | None = None,
    by: str = "moderator",
) -> Posted:
    """Post an answer publicly, landing on the asker's message and pinging only the asker.

    The same entry is posted at most once per message: a retried click, or two moderators picking
    the same answer, gets a link to the first post instead of a duplicate that pings the asker again.
    """
    key = (reply_to.id, reply.entry_id) if reply_to is not None and reply.entry_id else None
    if key is not None and key in bot.published:
        return Posted(bot.published[key] or reply_to.jump_url, duplicate=True)  # type: ignore[union-attr]
    if key is not None:
        bot.published[key] = ""  # claimed before the first await; a concurrent click sees it
    mentions = only_user(asker) if asker else reply.mentions
    if reply_to is not None and asker is not None and asker.id != reply_to.author.id:
        # Answering one user on another's message: ping the named user, not the message's author.
        mentions = discord.AllowedMentions(everyone=False, roles=False, users=[asker], replied_user=False)
    try:
        message = await post(channel, reply.rendered, reply_to=reply_to, view=reply.view, mentions=mentions)
    except BaseException:
        if key is not None:
            bot.published.pop(key, None)  # nothing went out: a retry may post
        raise
    if key is not None:
        bot.published[key] = message.jump_url
        while len(bot.published) > PUBLISHED_MEMORY:  # oldest first: dicts keep insertion order
            del bot.published[next(iter(bot.published))]
    bot.record(_record_published, reply, reply_to, by)
    return Posted(message.jump_url, duplicate=False)


def _record_published(conn: Connection, reply: Reply, reply_to: discord.Message | None, by: str) -> None:
    if reply.entry_id:
        queries.count(conn, "entry", reply.entry_id)
    if reply_to is not None:
        queries.mark_answered(conn, reply_to.id, by=by)
        if isinstance(reply_to.channel, discord.Thread):
            queries.mark_answered(conn, reply_to.channel.id, by=by)


def posted_notice(posted: Posted) -> str:
    return f"Already posted: {posted.jump_url}" if posted.duplicate else f"Posted: {posted.jump_url}"


def record_diagnosis(conn: Connection, diagnosis: Diagnosis, *, source: str, guild_id: int | None) -> None:
    """Store the (redacted) diagnosis and count its entry; run through `bot.record`, after the reply."""
    queries.record_diagnosis(conn, diagnosis, source=source, guild_id=guild_id)
    if not diagnosis.abstained and diagnosis.top:
        queries.count(conn, "entry", diagnosis.top.entry_id)
