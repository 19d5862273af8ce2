"""The database is written after the reply, queued and off the event loop: a database that refuses or
delays writes costs moderators their stats for a while, never a user the answer."""

from __future__ import annotations

import asyncio
import logging

from simcord import assert_responded

from tests.exts.support.database import refuse_writes
from tests.store.locks import hold_write_lock

CLEAR = "unauthorized_client error when authorizing my app"


async def test_diagnose_answers_although_the_database_refuses_writes(world, caplog):
    await refuse_writes(world)
    with caplog.at_level(logging.WARNING, logger="bot"):
        result = await world.alice.slash(world.general, "diagnose", text=CLEAR)
        assert not await world.bot.recorder.flush(timeout=1.0)  # kept for later, not dropped

    assert_responded(result, ephemeral=False)
    assert result.response.embeds and "went wrong" not in result.response.content
    assert world.env.errors == []
    assert "database unavailable" in caplog.text and "readonly" in caplog.text.replace("read-only", "readonly")
    assert world.bot.recorder.queued == 2  # the command count and the diagnosis


async def test_help_channel_answers_although_the_database_refuses_writes(world):
    await refuse_writes(world)

    question = await world.alice.send(world.help, "I get unauthorized_client error when authorizing my app, what is wrong?")

    answers = [m for m in world.help.history() if m.author.id == world.bot.user.id]
    assert len(answers) == 1 and answers[0].reference.message_id == question.id
    assert world.env.errors == []


async def test_writes_land_after_the_reply(world):
    await world.alice.slash(world.general, "diagnose", text=CLEAR)
    await world.bot.recorder.flush()

    assert await world.bot.store.usage("command") == {"diagnose": 1}
    assert (await world.bot.store.stats()).diagnoses == 1


async def test_a_locked_database_delays_the_writes_and_then_takes_them_all(world, caplog):
    """Another process holds the write lock: answers go out at once, the writes wait and then land."""
    world.database_is_outside()
    with hold_write_lock(world.bot.store.location.path):
        started = asyncio.get_running_loop().time()
        for _ in range(3):
            assert_responded(await world.alice.slash(world.general, "diagnose", text=CLEAR), ephemeral=False)
        assert asyncio.get_running_loop().time() - started < 3  # the lock never held up a reply
        assert world.bot.recorder.queued >= 1
    assert await world.bot.recorder.flush(timeout=15)
    assert await world.bot.store.usage("command") == {"diagnose": 3}
    assert (await world.bot.store.stats()).diagnoses == 3
    assert world.bot.recorder.lost == world.bot.recorder.failed == 0
