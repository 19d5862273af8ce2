"""Escalation to the helper role (issue 10, point 1): the role is pinged only when the asker of an
unanswered, on-topic public /diagnose clicks "Ask a helper", once per question, within per-user and
per-guild hourly limits; never for off-topic text or a thank-you."""

from __future__ import annotations

import dataclasses

import pytest
from simcord import assert_responded

OFF_TOPIC = "hello everyone, nice weather today"
THANKS = "thanks, that fixed it!"
#: An authorization question about LiveChat. The knowledge base answers it today, so the tests that need
#: a gap raise the engine's answer threshold above any confidence (`no_answers`): the bot then says "I
#: don't know" to it, exactly as it would to a real gap in the FAQ.
ON_TOPIC = "my LiveChat access token is rejected with 401"


@pytest.fixture
def no_answers(world, monkeypatch):
    engine = world.bot.engine  # shared by the session's tests: monkeypatch restores it afterwards
    monkeypatch.setattr(engine, "thresholds", dataclasses.replace(engine.thresholds, answer=1.01))
    diagnosis = engine.diagnose(ON_TOPIC)
    assert diagnosis.abstained and diagnosis.answer.escalate  # precondition: an honest on-topic gap
    return ON_TOPIC


def role_pings(world) -> list[dict]:
    """Every body the bot sent that could ping the helper role."""
    return [
        body
        for body in world.sent_bodies()
        if str(world.helpers.id) in {str(r) for r in (body.get("allowed_mentions") or {}).get("roles", [])}
    ]


def labels(message) -> list[str]:
    return [c.get("label") for row in message.components for c in row.get("components", [])]


@pytest.mark.parametrize("text", [OFF_TOPIC, THANKS])
async def test_off_topic_and_thanks_never_ping_or_offer_a_helper(world, no_answers, text):
    result = await world.alice.slash(world.general, "diagnose", text=text)

    assert_responded(result, ephemeral=False)
    assert world.helpers.mention not in result.response.content
    assert "Ask a helper" not in labels(result.response)
    world.assert_mentions_at_most()


async def test_the_answer_itself_pings_nobody_and_offers_the_button(world, no_answers):
    result = await world.alice.slash(world.general, "diagnose", text=no_answers)

    assert world.helpers.mention not in result.response.content
    assert "Ask a helper" in labels(result.response)
    assert role_pings(world) == []
    world.assert_mentions_at_most()


async def test_only_the_asker_can_call_a_helper_and_only_once_per_question(world, no_answers):
    answer = (await world.alice.slash(world.general, "diagnose", text=no_answers)).response

    refused = await world.bob.click(answer, label="Ask a helper")
    assert_responded(refused, ephemeral=True, contains="Only the person who asked")
    assert role_pings(world) == []

    called = await world.alice.click(answer, label="Ask a helper")
    assert "helper" in called.response.content.lower()
    pings = role_pings(world)
    assert len(pings) == 1 and world.helpers.mention in pings[0]["content"]
    world.assert_mentions_at_most(roles={world.helpers.id})
    # The button is gone from the answer, so the question can't be escalated twice.
    refreshed = next(m for m in world.general.history() if m.id == answer.id)
    assert "Ask a helper" not in labels(refreshed)


async def test_per_user_and_per_guild_hourly_limits(world, no_answers):
    await world.restart(helper_pings_per_user_per_hour=1, helper_pings_per_guild_per_hour=2)
    text = no_answers

    async def ask(member):
        answer = (await member.slash(world.general, "diagnose", text=text)).response
        return await member.click(answer, label="Ask a helper")

    await ask(world.alice)
    limited = await ask(world.alice)  # a second question within the hour
    assert "try again" in limited.response.content.lower() and limited.response.ephemeral
    await ask(world.bob)
    guild_limited = await ask(world.mod)  # third ping in the guild within the hour
    assert "try again" in guild_limited.response.content.lower()
    assert len(role_pings(world)) == 2

    await world.env.advance_time(3601)
    await ask(world.alice)
    assert len(role_pings(world)) == 3
