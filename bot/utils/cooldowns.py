"""Per-user cooldowns for every command (discord.py's bucket keyed on the user by default).

Generous enough that a person asking, re-asking and voting never notices; tight enough that one
account cannot make the bot flood a channel.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from discord import app_commands

T = TypeVar("T")

COMMAND_RATE, COMMAND_PER = 5, 30.0
ADMIN_RATE, ADMIN_PER = 2, 30.0  # /kb reload re-reads every file


def user_cooldown() -> Callable[[T], T]:
    return app_commands.checks.cooldown(COMMAND_RATE, COMMAND_PER)


def admin_cooldown() -> Callable[[T], T]:
    return app_commands.checks.cooldown(ADMIN_RATE, ADMIN_PER)
