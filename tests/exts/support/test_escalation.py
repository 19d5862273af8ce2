"""Escalation to the helper role (issue 10, point 1): the role is pinged only when the asker of an
unanswered, on-topic public /diagnose clicks "Ask a helper", once per question, within per-user and
per-guild hourly limits; never for off-topic text or a thank-you."""

from __future__ import annotations

import pytest
from simcord import assert_responded

from bot.core.topic import classify_topic

OFF_TOPIC = "hello everyone, nice weather today"
THANKS = "thanks, that fixed it!"
#: Texts about LiveChat that the engine cannot answer; the first that abstains is used.
ON_TOPIC_ABSTAIN = ["help with livechat", "livechat", "something odd with livechat again"]


def on_topic_abstain(world) -> str:
    engine = world.bot.engine
    for text in ON_TOPIC_ABSTAIN:
        diagnosis = engine.diagnose(text)
        topic = classify_topic(diagnosis.text, engine.kb.vocabulary, diagnosis.signals, diagnosis.credentials)
        if diagnosis.abstained and diagnosis.answer.escalate and (topic.livechat or topic.auth):
            return text
    pytest.skip("the knowledge base answers every candidate; no on-topic abstain to escalate")


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
async def test_off_topic_and_thanks_never_ping_or_offer_a_helper(world, text):
    result = await world.alice.slash(world.general, "diagnose", text=text)

    assert_responded(result, ephemeral=False)
    assert world.helpers.mention not in result.response.content
    assert "Ask a helper" not in labels(result.response)
    world.assert_mentions_at_most()


async def test_the_answer_itself_pings_nobody_and_offers_the_button(world):
    result = await world.alice.slash(world.general, "diagnose", text=on_topic_abstain(world))

    assert world.helpers.mention not in result.response.content
    assert "Ask a helper" in labels(result.response)
    assert role_pings(world) == []
    world.assert_mentions_at_most()


async def test_only_the_asker_can_call_a_helper_and_only_once_per_question(world):
    answer = (await world.alice.slash(world.general, "diagnose", text=on_topic_abstain(world))).response

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


async def test_per_user_and_per_guild_hourly_limits(world):
    await world.restart(helper_pings_per_user_per_hour=1, helper_pings_per_guild_per_hour=2)
    text = on_topic_abstain(world)

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
