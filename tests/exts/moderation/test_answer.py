"""Moderators answering users: /answer and the "Answer with FAQ" context menu."""

from __future__ import annotations

import pytest
from simcord import SetupError, assert_error, assert_responded

from bot.utils.checks import NotModerator

QUESTION = "I get unauthorized_client error when authorizing my app, what is wrong?"


def options(message) -> list[str]:
    return [o["value"] for row in message.components for c in row["components"] for o in c.get("options", [])]


async def _answer_command(world):
    return next(c for c in await world.bot.tree.fetch_commands() if c.name == "answer")


# -- permissions ------------------------------------------------------------------------------------


async def test_members_are_not_offered_moderator_commands(world):
    available = world.alice.available_commands(world.general)
    assert "diagnose" in available and "faq" in available
    assert not {"answer", "kb stats", "kb reload", "kb unanswered"} & set(available)
    with pytest.raises(SetupError, match="default-member-permissions"):
        await world.alice.slash(world.general, "answer", topic="pat-create")


async def test_an_admin_override_still_meets_the_check_in_code(world):
    world.guild.set_command_permissions(await _answer_command(world), {world.alice: True})

    result = await world.alice.slash(world.general, "answer", topic="pat-create")

    assert_responded(result, ephemeral=True, content="Only moderators can use this.")
    assert_error(world.env, NotModerator)
    assert [m for m in world.general.history() if m.author.id == world.bot.user.id] == []


async def test_configured_moderator_role_passes_the_check_in_code(world):
    # Without Manage Messages the role is hidden by default_permissions; admins grant it per command.
    world.guild.set_command_permissions(await _answer_command(world), {world.support_team: True})

    result = await world.supporter.slash(world.general, "answer", topic="pat-create")

    assert "Posted" in result.response.content


# -- /answer ----------------------------------------------------------------------------------------


async def test_answer_replies_to_the_message_and_pings_only_its_author(world):
    question = await world.alice.send(world.general, "how do I make a PAT?")

    result = await world.mod.slash(world.general, "answer", topic="pat-create", message=str(question.id))

    posted = world.general.last_message
    assert posted.author.id == world.bot.user.id
    assert posted.reference.message_id == question.id
    assert posted.embeds[0].title == world.bot.engine.kb.entries["pat-create"].title
    assert_responded(result, ephemeral=True, contains=posted.jump_url)
    assert "Solved ✅" in [button.label for row in posted.components for button in row.children]
    world.assert_mentions_at_most(users={world.alice.id})
    assert await world.bot.store.is_answered(question.id)


async def test_answer_takes_a_message_link_from_another_channel(world):
    question = await world.alice.send(world.help, "how do I make a PAT?")
    link = f"https://discord.com/channels/{world.guild.id}/{world.help.id}/{question.id}"

    await world.mod.slash(world.general, "answer", topic="pat-create", message=link)

    posted = world.help.history()[-1]
    assert posted.reference.message_id == question.id


async def test_answer_mentioning_a_user(world):
    await world.mod.slash(world.general, "answer", topic="pat-create", user=world.alice)

    posted = world.general.last_message
    assert posted.content.startswith(world.alice.mention)
    assert posted.reference is None
    world.assert_mentions_at_most(users={world.alice.id})


async def test_answer_with_a_bad_reference_says_why(world):
    not_a_link = await world.mod.slash(world.general, "answer", topic="pat-create", message="yesterday")
    assert "not a message link" in not_a_link.response.content

    missing = await world.mod.slash(world.general, "answer", topic="pat-create", message="123456789012345678")
    assert "couldn't find" in missing.response.content
    assert [m for m in world.general.history() if m.author.id == world.bot.user.id] == []


async def test_answer_autocomplete(world):
    choices = await world.mod.autocomplete(world.general, "answer", "topic", "refresh customer token")
    assert choices and len(choices) <= 25
    assert "customer-token-refresh" in [c["value"] for c in choices[:5]]


# -- "Answer with FAQ" ------------------------------------------------------------------------------


async def test_answer_with_faq_offers_candidates_and_posts_the_choice(world):
    question = await world.alice.send(world.general, QUESTION)
    best = world.bot.engine.diagnose(QUESTION).top.entry_id

    picker = await world.mod.context_menu(world.general, "Answer with FAQ", question)

    assert_responded(picker, ephemeral=True, contains="alice")
    assert options(picker.response)[0] == best
    chosen = await world.mod.select(picker.response, [best])

    posted = world.general.last_message
    assert posted.reference.message_id == question.id
    assert posted.embeds[0].title == world.bot.engine.kb.entries[best].title
    assert "Posted" in chosen.response.content and chosen.response.components == []
    world.assert_mentions_at_most(users={world.alice.id})


async def test_answer_with_faq_search(world):
    question = await world.alice.send(world.general, "hi, can someone help me?")
    picker = await world.mod.context_menu(world.general, "Answer with FAQ", question)

    shown = await world.mod.click(picker.response, label="Search…")
    assert shown.modal is not None and len(shown.modal["title"]) <= 45
    searched = await world.mod.submit_modal(shown, {"faq_search": "customer token refresh"})

    assert "customer-token-refresh" in options(searched.response)
    await world.mod.select(searched.response, ["customer-token-refresh"])
    assert world.general.last_message.reference.message_id == question.id


async def test_answer_with_faq_search_without_results(world):
    question = await world.alice.send(world.general, "hi")
    picker = await world.mod.context_menu(world.general, "Answer with FAQ", question)
    shown = await world.mod.click(picker.response, label="Search…")

    result = await world.mod.submit_modal(shown, {"faq_search": "zzzzqqqq"})

    assert_responded(result, ephemeral=True, contains="Nothing in the FAQ matches")
