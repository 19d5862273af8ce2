"""One error policy for every interaction (commands, buttons, selects, modals).

Expected errors (cooldowns, permissions, Discord refusing a request, a database that is down or does not
answer within the store's deadline) get a short private notice;
anything else is a bug: it is logged with every credential redacted (option values and tracebacks
can hold what a user pasted) and the user gets an apology rather than "interaction failed".
"""

from __future__ import annotations

import logging
import traceback

import discord
from discord import app_commands

from bot.core.redact import scrub
from bot.store.errors import DOWN, describe
from bot.utils.checks import NotModerator
from bot.utils.replies import notify

log = logging.getLogger(__name__)

DATABASE_DOWN = "The database isn't answering right now; try again in a minute."
SORRY = "Something went wrong on my side. It has been logged; please try again in a little while."


def _where(interaction: discord.Interaction) -> str:
    if interaction.command is not None:
        return f"/{interaction.command.qualified_name}"
    custom_id = (interaction.data or {}).get("custom_id", "?")
    return f"component {custom_id}"


def user_message(error: BaseException) -> str | None:
    """The polite notice for an expected error; None means unexpected (log it as a bug)."""
    if isinstance(error, app_commands.CommandOnCooldown):
        return f"You're going a bit fast: try again in {max(1, round(error.retry_after))} s."
    if isinstance(error, NotModerator | app_commands.MissingPermissions | app_commands.MissingAnyRole):
        return "Only moderators can use this."
    if isinstance(error, app_commands.NoPrivateMessage):
        return "This only works in a server, not in DMs."
    if isinstance(error, app_commands.BotMissingPermissions):
        return f"I need these permissions here: {', '.join(error.missing_permissions)}."
    if isinstance(error, app_commands.CheckFailure):
        return "You can't use this here."
    if isinstance(error, app_commands.TransformerError):
        return "I couldn't understand one of the options; please check it and try again."
    original = getattr(error, "original", error)  # commands wrap it; views and modals don't
    if isinstance(original, DOWN):
        return DATABASE_DOWN
    if isinstance(original, discord.Forbidden):
        return "I don't have permission to do that in this channel."
    if isinstance(original, discord.HTTPException):
        return "Discord didn't accept my reply just now; please try again in a moment."
    return None


async def handle_interaction_error(interaction: discord.Interaction, error: BaseException) -> None:
    notice = user_message(error)
    where = _where(interaction)
    if notice is None:
        details = scrub("".join(traceback.format_exception(error)))
        log.error("Unexpected error in %s (user %s):\n%s", where, interaction.user.id, details)
        notice = SORRY
    elif isinstance(getattr(error, "original", error), DOWN):
        # An outage, not a bug: one line (describe() keeps SQLAlchemy's statement and any row out), no traceback.
        log.warning(
            "%s: database unavailable (user %s): %s",
            where,
            interaction.user.id,
            describe(getattr(error, "original", error)),
        )
    else:
        log.info("%s refused for user %s: %s", where, interaction.user.id, scrub(str(error)))
    if interaction.type is discord.InteractionType.autocomplete:
        return  # autocomplete has no message to answer with; the user just sees no choices
    try:
        await notify(interaction, notice)
    except discord.HTTPException as http_error:
        log.warning("Could not tell user %s about an error in %s: %s", interaction.user.id, where, http_error)
