"""Who counts as a moderator, and the app-command checks built on it.

Moderator commands are hidden from members by `default_permissions` (Discord's side, which server
admins may override) AND checked here (our side), so an override never grants more than we allow.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, TypeVar, cast

import discord
from discord import app_commands

from bot.settings import Settings

T = TypeVar("T")

#: What `default_permissions` asks for on moderator commands; configured roles are checked in code.
MODERATOR_PERMISSIONS = discord.Permissions(manage_messages=True)


class NotModerator(app_commands.CheckFailure):
    """Raised by `moderator_only()`; the error handler turns it into a polite ephemeral notice."""


class _Configured(Protocol):
    # Only what the checks read; naming AuthBot here would import bot.app, which imports these checks
    # through the command tree's error handler.
    settings: Settings


def _settings(interaction: discord.Interaction) -> Settings:
    return cast(_Configured, interaction.client).settings


def is_moderator(user: discord.abc.User, permissions: discord.Permissions, role_ids: list[int]) -> bool:
    if permissions.manage_messages or permissions.administrator:
        return True
    roles = getattr(user, "roles", ())  # a User (DM) has no roles
    return any(role.id in role_ids for role in roles)


def interaction_is_moderator(interaction: discord.Interaction) -> bool:
    return is_moderator(interaction.user, interaction.permissions, _settings(interaction).moderator_role_ids)


def message_author_is_moderator(message: discord.Message, role_ids: list[int]) -> bool:
    author, channel = message.author, message.channel
    if not isinstance(author, discord.Member) or isinstance(channel, discord.abc.PrivateChannel):
        return False
    return is_moderator(author, channel.permissions_for(author), role_ids)


def moderator_only() -> Callable[[T], T]:
    def predicate(interaction: discord.Interaction) -> bool:
        if not interaction_is_moderator(interaction):
            raise NotModerator("Only moderators can use this.")
        return True

    return app_commands.check(predicate)


def moderator_command(func: Any) -> Any:
    """Hide from members by default, refuse in DMs, and check the moderator rule in code."""
    func = moderator_only()(func)
    func = app_commands.guild_only()(func)
    return app_commands.default_permissions(manage_messages=True)(func)


def _can_send(permissions: discord.Permissions, channel: object) -> bool:
    if not permissions.view_channel:
        return False
    return permissions.send_messages_in_threads if isinstance(channel, discord.Thread) else permissions.send_messages


def posting_refusal(interaction: discord.Interaction, channel: object) -> str | None:
    """Why a moderator's answer must not be posted in `channel`, or None when it may.

    `interaction.permissions` are those of the channel the command ran in; an answer aimed at another
    channel (a message link) is judged where it lands: the moderator must see and write there and be a
    moderator there, so the bot never posts (and pings) where its user could not; and the bot must be
    able to post the embed as a reply.
    """
    user, guild = interaction.user, interaction.guild
    if guild is None or not isinstance(user, discord.Member) or not hasattr(channel, "permissions_for"):
        return "I can only post answers in a server channel."
    theirs = channel.permissions_for(user)  # type: ignore[attr-defined]
    if not _can_send(theirs, channel):
        return "You can't post in that channel, so I won't post there for you."
    if not is_moderator(user, theirs, _settings(interaction).moderator_role_ids):
        return "You're not a moderator in that channel, so I won't post there for you."
    mine = channel.permissions_for(guild.me)  # type: ignore[attr-defined]
    if not (_can_send(mine, channel) and mine.embed_links and mine.read_message_history):
        return (
            "I can't post in that channel: I need View Channel, Send Messages, Embed Links and "
            "Read Message History there."
        )
    return None
