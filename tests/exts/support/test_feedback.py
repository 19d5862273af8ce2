"""Feedback buttons: one vote per user per answer, changeable, stored, and working after a restart."""

from __future__ import annotations

import logging

import discord
from simcord import assert_responded

from tests.exts.support.database import refuse_writes

CLEAR = "unauthorized_client error when authorizing my app"


async def _answer(world):
    return (await world.alice.slash(world.general, "diagnose", text=CLEAR)).response


async def test_votes_are_stored_once_per_user_and_can_change(world):
    answer = await _answer(world)
    store = world.bot.store

    assert_responded(await world.alice.click(answer, label="Solved ✅"), ephemeral=True, contains="Glad")
    assert_responded(await world.alice.click(answer, label="Solved ✅"), ephemeral=True, contains="already")
    assert_responded(await world.alice.click(answer, label="Not solved"), ephemeral=True, contains="Changed")
    await world.mod.click(answer, label="Solved ✅")  # a moderator may vote on anyone's answer

    assert await store.vote_of(answer.id, world.alice.id) is False
    assert await store.vote_of(answer.id, world.mod.id) is True
    entry = (await store.stats()).top_entries[0]
    assert (entry.solved, entry.not_solved) == (1, 1)  # two voters, not three clicks


async def test_feedback_survives_a_restart(world):
    answer = await _answer(world)
    await world.alice.click(answer, label="Not solved")

    await world.restart()
    clicked = await world.alice.click(answer, label="Solved ✅")  # a button sent by the previous process

    assert_responded(clicked, ephemeral=True, contains="Changed your vote to solved")
    assert await world.bot.store.vote_of(answer.id, world.alice.id) is True


# -- who may vote, errors, forum "Solved" (issue 10, point 10) -------------------------------------


async def test_only_the_asker_and_moderators_can_mark_an_answer(world):
    answer = await _answer(world)

    refused = await world.bob.click(answer, label="Solved ✅")
    assert_responded(refused, ephemeral=True, contains="Only the person who asked")
    assert await world.bot.store.vote_of(answer.id, world.bob.id) is None

    await world.mod.click(answer, label="Not solved")
    assert await world.bot.store.vote_of(answer.id, world.mod.id) is False


async def test_a_vote_the_database_cannot_take_now_is_thanked_and_written_later(world, caplog):
    answer = await _answer(world)
    await world.bot.recorder.flush()
    allow_writes = await refuse_writes(world)
    with caplog.at_level(logging.WARNING, logger="bot"):
        clicked = await world.alice.click(answer, label="Solved ✅")
    assert_responded(clicked, ephemeral=True, contains="Glad")
    assert "vote not stored now, queued" in caplog.text
    assert await world.bot.store.vote_of(answer.id, world.alice.id) is None

    await allow_writes()
    await world.env.advance_time(60)  # past the writer's backoff
    assert await world.bot.recorder.flush(timeout=10)
    assert await world.bot.store.vote_of(answer.id, world.alice.id) is True
    assert world.bot.recorder.lost == 0


async def test_solved_in_a_forum_post_applies_the_solved_tag(world):
    forum = world.bot.get_channel(world.forum.id)
    await forum.edit(available_tags=[discord.ForumTag(name="Solved"), discord.ForumTag(name="Bug")])
    thread, _ = await world.forum_post(world.alice, "unauthorized_client", CLEAR)
    answer = next(m for m in thread.history() if m.author.id == world.bot.user.id)

    await world.alice.click(answer, label="Solved ✅")

    applied = world.bot.get_channel(thread.id).applied_tags
    assert [tag.name for tag in applied] == ["Solved"]
