"""Controls that stop listening are greyed out (issue 10, point 12): a button that is still shown after its
view timed out answers a click with "This interaction failed"."""

from __future__ import annotations

from bot.views.pagination import PAGE_TIMEOUT

QUESTION = "I get unauthorized_client error when authorizing my app, what is wrong?"


def controls(message) -> list[dict]:
    return [c for row in message.components for c in row.get("components", [])]


async def test_post_publicly_is_disabled_when_its_view_times_out(world):
    question = await world.alice.send(world.general, QUESTION)
    result = await world.mod.context_menu(world.general, "Diagnose message", question)
    assert not any(c.get("disabled") for c in controls(result.response))

    await world.env.advance_time(PAGE_TIMEOUT + 1)

    assert controls(result.response) and all(c.get("disabled") for c in controls(result.response))


async def test_the_answer_picker_is_disabled_when_it_times_out(world):
    question = await world.alice.send(world.general, QUESTION)
    picker = await world.mod.context_menu(world.general, "Answer with FAQ", question)

    await world.env.advance_time(PAGE_TIMEOUT + 1)

    assert all(c.get("disabled") for c in controls(picker.response))


async def test_faq_pages_are_disabled_when_they_time_out(world):
    listing = await world.alice.slash(world.general, "faq")
    assert any(not c.get("disabled") for c in controls(listing.response))

    await world.env.advance_time(PAGE_TIMEOUT + 1)

    assert all(c.get("disabled") for c in controls(listing.response))
