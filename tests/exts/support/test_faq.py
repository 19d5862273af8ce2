"""/faq: autocomplete, posting an entry, and the paginated list."""

from __future__ import annotations

from simcord import assert_responded


async def test_autocomplete_is_fuzzy_and_within_discord_limits(world):
    choices = await world.alice.autocomplete(world.general, "faq", "topic", "invalid acces tokn")
    assert "invalid-access-token" in [c["value"] for c in choices[:3]]

    everything = await world.alice.autocomplete(world.general, "faq", "topic", "")
    assert 0 < len(everything) <= 25
    assert all(len(c["name"]) <= 100 and len(c["value"]) <= 100 for c in everything)


async def test_faq_posts_the_entry_publicly_with_feedback(world):
    entry = world.bot.engine.kb.entries["pat-create"]

    result = await world.alice.slash(world.general, "faq", topic="pat-create")

    assert_responded(result, embed_title=entry.title, ephemeral=False)
    assert entry.summary in result.response.content
    assert "Solved ✅" in [c["label"] for row in result.response.components for c in row["components"]]
    assert (await world.bot.store.usage("entry"))["pat-create"] == 1
    world.assert_mentions_at_most()


async def test_faq_private_and_typed_topics(world):
    result = await world.alice.slash(world.general, "faq", topic="create a personal access token", private=True)
    assert_responded(result, ephemeral=True)
    assert result.response.embeds[0].footer.text.endswith("FAQ: pat-create")


async def test_unknown_topic_is_not_echoed_raw(world, fake_token):
    result = await world.alice.slash(world.general, "faq", topic=fake_token)
    # whatever it resolves to, the typed credential never comes back
    world.assert_never_shown(fake_token)
    assert result.response is not None


async def test_list_without_topic_is_ephemeral_and_paginated(world):
    total = len(world.bot.engine.kb.entries)

    result = await world.alice.slash(world.general, "faq")

    assert_responded(result, ephemeral=True)
    first = result.response.embeds[0]
    assert f"{total} entries" in first.title and first.footer.text == f"Page 1/{-(-total // 10)}"
    previous, following = (c for row in result.response.components for c in row["components"])
    assert previous["disabled"] and not following["disabled"]

    page_two = await world.alice.click(result.response, label="Next ▶")
    assert page_two.response.embeds[0].footer.text.startswith("Page 2/")
    assert page_two.response.embeds[0].description != first.description
