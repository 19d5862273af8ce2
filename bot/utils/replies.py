"""Sending a rendered answer: as an interaction response, or as a channel message/reply.

Both paths send page 1 with the content, later pages as further messages, and put the view (the
buttons) under the last page, where a reader finishes. Mentions: none unless a caller allows
exactly one user or role; the bot's own default is `AllowedMentions.none()`.
"""

from __future__ import annotations

from typing import Any

import discord

from bot.core.redact import scrub
from bot.render.embed import Rendered

NO_MENTIONS = discord.AllowedMentions.none()


def only_user(user: discord.abc.Snowflake) -> discord.AllowedMentions:
    """Ping exactly this user, whether by mention in the content or as the author of a replied message."""
    return discord.AllowedMentions(everyone=False, roles=False, users=[user], replied_user=True)


def only_role(role_id: int) -> discord.AllowedMentions:
    return discord.AllowedMentions(everyone=False, users=False, roles=[discord.Object(role_id)], replied_user=False)


def _page(
    rendered: Rendered, index: int, view: discord.ui.View | None, mentions: discord.AllowedMentions
) -> dict[str, Any]:
    kwargs: dict[str, Any] = {"embed": rendered.embeds[index]}
    if index == 0:
        kwargs["content"] = rendered.content
        kwargs["allowed_mentions"] = mentions
    else:
        kwargs["allowed_mentions"] = NO_MENTIONS
    if view is not None and index == len(rendered.embeds) - 1:
        kwargs["view"] = view
    return kwargs


async def respond(
    interaction: discord.Interaction,
    rendered: Rendered,
    *,
    view: discord.ui.View | None = None,
    ephemeral: bool = False,
    mentions: discord.AllowedMentions = NO_MENTIONS,
) -> None:
    for index in range(len(rendered.embeds)):
        kwargs = _page(rendered, index, view, mentions)
        if index == 0 and not interaction.response.is_done():
            await interaction.response.send_message(ephemeral=ephemeral, **kwargs)
        else:
            await interaction.followup.send(ephemeral=ephemeral, **kwargs)


async def notify(interaction: discord.Interaction, text: str) -> None:
    """A short private notice, whether or not the interaction was already answered or deferred."""
    text = scrub(text)  # notices may quote what the user typed
    if interaction.response.is_done():
        await interaction.followup.send(text, ephemeral=True, allowed_mentions=NO_MENTIONS)
    else:
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_MENTIONS)


async def post(
    channel: discord.abc.Messageable,
    rendered: Rendered,
    *,
    reply_to: discord.Message | None = None,
    view: discord.ui.View | None = None,
    mentions: discord.AllowedMentions = NO_MENTIONS,
) -> discord.Message:
    """Post publicly; returns the first message (the one that replies to `reply_to`)."""
    first: discord.Message | None = None
    for index in range(len(rendered.embeds)):
        kwargs = _page(rendered, index, view, mentions)
        if index == 0 and reply_to is not None:
            # fail_if_not_exists=False: if the question was deleted meanwhile, still post the answer.
            kwargs["reference"] = reply_to.to_reference(fail_if_not_exists=False)
        message = await channel.send(**kwargs)
        first = first or message
    assert first is not None  # Rendered always has at least one embed
    return first
