"""The database is written after the reply, off the event loop (issue 10, point 11): a database that
refuses writes costs moderators their stats, never a user the answer."""

from __future__ import annotations

import logging

from simcord import assert_responded

CLEAR = "unauthorized_client error when authorizing my app"


def refuse_writes(world) -> None:
    # A read-only database: every INSERT fails at once with sqlite3.OperationalError, as a locked or
    # full disk does after its wait.
    world.bot.store.conn.execute("PRAGMA query_only = ON")


async def test_diagnose_answers_although_the_database_refuses_writes(world, caplog):
    refuse_writes(world)
    with caplog.at_level(logging.WARNING, logger="bot"):
        result = await world.alice.slash(world.general, "diagnose", text=CLEAR)
        await world.bot.recorder.flush()

    assert_responded(result, ephemeral=False)
    assert result.response.embeds and "went wrong" not in result.response.content
    assert world.env.errors == []
    assert "database write" in caplog.text and "readonly" in caplog.text.replace("read-only", "readonly")


async def test_help_channel_answers_although_the_database_refuses_writes(world):
    refuse_writes(world)

    question = await world.alice.send(world.help, "I get unauthorized_client error when authorizing my app, what is wrong?")
    await world.bot.recorder.flush()

    answers = [m for m in world.help.history() if m.author.id == world.bot.user.id]
    assert len(answers) == 1 and answers[0].reference.message_id == question.id
    assert world.env.errors == []


async def test_writes_land_after_the_reply(world):
    await world.alice.slash(world.general, "diagnose", text=CLEAR)
    await world.bot.recorder.flush()

    assert world.bot.store.usage("command") == {"diagnose": 1}
    assert world.bot.store.stats().diagnoses == 1
