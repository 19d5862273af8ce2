"""A database that hangs (a frozen server, a cut network) or refuses: moderators' commands that wait on
it end with a short private notice within the store's deadline, instead of "thinking…" forever or the
generic apology; a moderator's answer is posted all the same. The bot's store is pointed at a real TCP
server on 127.0.0.1 that accepts connections and never answers (tests/store/hung.py); the store's real
deadline passes on simcord's virtual clock."""

from __future__ import annotations

import asyncio
import logging

import pytest
from simcord import assert_error, assert_responded
from sqlalchemy.exc import OperationalError

from bot.store.async_store import STORE_TIMEOUT
from bot.store.errors import StoreUnavailable
from bot.utils.errors import DATABASE_DOWN
from tests.exts.moderation.test_labels import QUESTION, answer_with_faq
from tests.exts.support.database import hang, refuse
from tests.store.hung import silent_server

REFUSING = "postgresql://authbot@127.0.0.1:9/authbot"  # port 9 (discard): nothing listens, connect is refused


async def past_the_deadline(world) -> None:
    """The commands waiting on the hung database are parked; let the store's deadline pass (virtually)."""
    await world.env.advance_time(STORE_TIMEOUT + 1)
    await asyncio.wait_for(world.env.settle(), 30)


@pytest.fixture
def silent():
    with silent_server() as server:
        yield server


@pytest.mark.parametrize("command", ["kb stats", "kb unanswered"])
async def test_a_hung_database_gets_the_moderator_a_notice(world, silent, command, caplog):
    answer_again = await hang(world, silent.url())
    try:
        with caplog.at_level(logging.INFO, logger="bot"):
            result = await asyncio.wait_for(world.mod.slash(world.general, command), 30)
            assert result.deferred  # "thinking…"
            await past_the_deadline(world)
    finally:
        await answer_again()

    assert_responded(result, ephemeral=True, content=DATABASE_DOWN)
    assert_error(world.env, StoreUnavailable)
    [line] = [r for r in caplog.records if r.name == "bot.utils.errors"]
    assert line.levelno == logging.WARNING and "did not answer" in line.getMessage()
    assert await world.bot.recorder.flush(timeout=15)  # the command's count, queued meanwhile, lands now


async def test_kb_examples_delete_on_a_hung_database(world, silent):
    answer_again = await hang(world, silent.url())
    try:
        result = await asyncio.wait_for(world.mod.slash(world.general, "kb examples delete", example=1), 30)
        await past_the_deadline(world)
    finally:
        await answer_again()
    assert_responded(result, ephemeral=True, content=DATABASE_DOWN)
    assert_error(world.env, StoreUnavailable)


async def test_a_refused_connection_gets_the_same_notice_and_no_row_in_the_log(world, caplog):
    answer_again = await refuse(world, REFUSING)
    try:
        with caplog.at_level(logging.INFO, logger="bot"):
            result = await asyncio.wait_for(world.mod.slash(world.general, "kb examples delete", example=424242), 30)
    finally:
        await answer_again()
    assert_responded(result, ephemeral=True, content=DATABASE_DOWN)
    assert_error(world.env, OperationalError)
    [line] = [r for r in caplog.records if r.name == "bot.utils.errors"]
    assert line.levelno == logging.WARNING and "OperationalError" in line.getMessage()
    assert "424242" not in caplog.text and "[SQL" not in caplog.text and "Traceback" not in caplog.text


async def test_a_moderator_answer_is_posted_although_the_database_hangs(world, silent, caplog):
    by_slash_question = await world.alice.send(world.general, QUESTION)
    by_menu_question = await world.bob.send(world.general, QUESTION)
    answer_again = await hang(world, silent.url())
    try:
        with caplog.at_level(logging.WARNING, logger="bot"):
            by_slash = await asyncio.wait_for(
                world.mod.slash(world.general, "answer", topic="pat-create", message=str(by_slash_question.id)), 30
            )
            await past_the_deadline(world)
            by_menu = await asyncio.wait_for(answer_with_faq(world, world.general, by_menu_question, "pat-create"), 30)
            await past_the_deadline(world)
    finally:
        await answer_again()

    for result in (by_slash, by_menu):
        assert (
            result.response.content.startswith("Posted: ")
            and "Saved as labelled example" not in result.response.content
        )
    answers = [m.reference.message_id for m in world.general.history() if m.author.id == world.bot.user.id]
    assert sorted(answers) == sorted([by_slash_question.id, by_menu_question.id])
    assert world.env.errors == []
    assert caplog.text.count("labelled example not saved (the answer was posted): StoreUnavailable") == 2
    assert await world.bot.store.examples() == []
