"""Registers the persistent feedback and runner-up buttons so clicks work after a restart."""

from __future__ import annotations

from discord.ext import commands

from bot.views.feedback import FeedbackButton, RunnerUpButton


async def setup(bot: commands.Bot) -> None:
    bot.add_dynamic_items(FeedbackButton, RunnerUpButton)


async def teardown(bot: commands.Bot) -> None:
    bot.remove_dynamic_items(FeedbackButton, RunnerUpButton)
