"""Feedback buttons: one vote per user per answer, changeable, stored, and working after a restart."""

from __future__ import annotations

from simcord import assert_responded

CLEAR = "unauthorized_client error when authorizing my app"


async def _answer(world):
    return (await world.alice.slash(world.general, "diagnose", text=CLEAR)).response


async def test_votes_are_stored_once_per_user_and_can_change(world):
    answer = await _answer(world)
    store = world.bot.store

    assert_responded(await world.alice.click(answer, label="Solved ✅"), ephemeral=True, contains="Glad")
    assert_responded(await world.alice.click(answer, label="Solved ✅"), ephemeral=True, contains="already")
    assert_responded(await world.alice.click(answer, label="Not solved"), ephemeral=True, contains="Changed")
    await world.bob.click(answer, label="Solved ✅")

    assert store.vote_of(answer.id, world.alice.id) is False
    assert store.vote_of(answer.id, world.bob.id) is True
    entry = store.stats().top_entries[0]
    assert (entry.solved, entry.not_solved) == (1, 1)  # two voters, not three clicks


async def test_feedback_survives_a_restart(world):
    answer = await _answer(world)
    await world.alice.click(answer, label="Not solved")

    await world.restart()
    clicked = await world.alice.click(answer, label="Solved ✅")  # a button sent by the previous process

    assert_responded(clicked, ephemeral=True, contains="Changed your vote to solved")
    assert world.bot.store.vote_of(answer.id, world.alice.id) is True
