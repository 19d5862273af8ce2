"""Short answers in Discord: the first screen is the step that applies; "Show all steps" shows the rest."""

from __future__ import annotations

LONG_ENTRY_QUESTION = "how long does a LiveChat access token last and can I make it longer?"


async def test_the_answer_is_short_and_show_all_steps_gives_every_step_privately(world):
    entry = world.bot.engine.kb.entries["token-lifetime-limits"]
    assert len(entry.steps) > 2
    result = await world.alice.slash(world.general, "diagnose", text=LONG_ENTRY_QUESTION)
    answer = result.response
    description = answer.embeds[0].description
    assert "Show all steps" in description
    assert entry.steps[-1][:40] not in description  # the last step waits behind the button

    clicked = await world.bob.click(answer, label="Show all steps")  # anyone may read the rest

    assert clicked.ephemeral
    full = "".join(e.description for e in [*clicked.response.embeds, *(e for f in clicked.followups for e in f.embeds)])
    assert all(step[:40] in full for step in entry.steps)


async def test_show_all_steps_works_after_a_restart(world):
    answer = (await world.alice.slash(world.general, "diagnose", text=LONG_ENTRY_QUESTION)).response
    await world.restart()
    clicked = await world.alice.click(answer, label="Show all steps")
    assert clicked.ephemeral and clicked.response.embeds
