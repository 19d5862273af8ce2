"""Mentioning the bot (issue 10, point 7): a short hint, never a CommandNotFound traceback in the log."""

from __future__ import annotations

import logging


def bot_replies(world, channel) -> list:
    return [m for m in channel.history() if m.author.id == world.bot.user.id]


async def test_a_mention_gets_a_hint_and_logs_no_error(world, caplog):
    with caplog.at_level(logging.INFO):
        await world.alice.send(world.general, f"{world.bot.user.mention} hello, how do I use you?")

    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text
    assert "CommandNotFound" not in caplog.text
    assert world.env.errors == []
    (hint,) = bot_replies(world, world.general)
    assert "/diagnose" in hint.content
    world.assert_mentions_at_most()


async def test_the_hint_is_not_repeated_to_the_same_member(world):
    for _ in range(3):
        await world.alice.send(world.general, f"{world.bot.user.mention} hi")

    assert len(bot_replies(world, world.general)) == 1


async def test_ordinary_messages_get_nothing(world):
    await world.alice.send(world.general, "hello everyone")
    assert bot_replies(world, world.general) == []
