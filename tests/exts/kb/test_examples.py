"""/kb examples delete: moderators remove a labelled example of their own server."""

from __future__ import annotations

import pytest
from simcord import SetupError

from bot.store import queries
from tests.exts.moderation.test_labels import QUESTION, answer_with_faq


async def test_members_cannot_delete_examples(world):
    with pytest.raises(SetupError):
        await world.alice.slash(world.general, "kb examples delete", example=1)


async def test_kb_examples_delete_removes_only_this_servers_examples(world):
    question = await world.alice.send(world.general, QUESTION)
    await answer_with_faq(world, world.general, question, "pat-create")
    [mine] = await world.bot.store.examples()
    elsewhere = await world.bot.store.run(
        queries.record_example, guild_id=world.guild.id + 1, channel_id=1, message_id=2, text="another server's",
        chosen_entry="pat-create", bot_entry=None, bot_confidence=0.0, bot_abstained=True, labelled_by=3,
        source="slash", write=True,
    )

    refused = await world.mod.slash(world.general, "kb examples delete", example=elsewhere)
    deleted = await world.mod.slash(world.general, "kb examples delete", example=mine.id)
    again = await world.mod.slash(world.general, "kb examples delete", example=mine.id)

    assert refused.response.content == f"No labelled example #{elsewhere} in this server."
    assert deleted.response.content == f"Deleted labelled example #{mine.id}." and deleted.response.ephemeral
    assert again.response.content == f"No labelled example #{mine.id} in this server."
    assert [e.id for e in await world.bot.store.examples()] == [elsewhere]
