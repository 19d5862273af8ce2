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
