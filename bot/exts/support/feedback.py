"""Registers the persistent feedback, runner-up and "Show all steps" buttons so clicks work after a restart."""

from __future__ import annotations

from discord.ext import commands

from bot.views.feedback import FeedbackButton, RunnerUpButton
from bot.views.steps import AllStepsButton


async def setup(bot: commands.Bot) -> None:
    bot.add_dynamic_items(FeedbackButton, RunnerUpButton, AllStepsButton)


async def teardown(bot: commands.Bot) -> None:
    bot.remove_dynamic_items(FeedbackButton, RunnerUpButton, AllStepsButton)
