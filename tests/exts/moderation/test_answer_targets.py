"""Moderator answers land only where the moderator (and the bot) may post, and each button
acknowledges before it posts, without duplicates (issue 10, points 2 and 3)."""

from __future__ import annotations

import discord
import pytest

QUESTION = "I get unauthorized_client error when authorizing my app, what is wrong?"


def link(world, channel, message) -> str:
    return f"https://discord.com/channels/{world.guild.id}/{channel.id}/{message.id}"


def bot_messages(world, channel) -> list:
    return [m for m in channel.history() if m.author.id == world.bot.user.id]


# -- point 2: the target channel's permissions -----------------------------------------------------


def hidden_from_the_moderator(world):
    return {world.mod: discord.PermissionOverwrite(view_channel=False)}


def read_only_for_the_moderator(world):
    return {world.mod: discord.PermissionOverwrite(send_messages=False)}


def no_moderator_there(world):
    # Manage Messages in #general, not here: the moderator rule is checked where the answer lands.
    return {world.mods: discord.PermissionOverwrite(manage_messages=False)}


def muted_bot(world):
    return {world.guild.roles["TestBot"]: discord.PermissionOverwrite(send_messages=False)}


@pytest.mark.parametrize(
    ("overwrites", "refusal"),
    [
        (hidden_from_the_moderator, "You can't post in that channel"),
        (read_only_for_the_moderator, "You can't post in that channel"),
        (no_moderator_there, "not a moderator in that channel"),
        (muted_bot, "I can't post in that channel"),
    ],
)
async def test_answer_is_refused_where_the_moderator_or_bot_may_not_post(world, overwrites, refusal):
    target = world.guild.create_text_channel("target", overwrites=overwrites(world))
    question = await world.alice.send(target, "how do I make a PAT?")

    result = await world.mod.slash(world.general, "answer", topic="pat-create", message=link(world, target, question))

    assert result.response.ephemeral and refusal in result.response.content
    assert bot_messages(world, target) == []
    assert world.env.errors == []  # refused before asking Discord, not after a 403


# -- point 3: acknowledge first, no duplicates ------------------------------------------------------


def acknowledged_before_posting(requests) -> bool:
    ack = next(i for i, r in enumerate(requests) if r.path.endswith("/callback"))
    post = next(i for i, r in enumerate(requests) if r.method == "POST" and r.path.endswith("/messages"))
    return ack < post


async def test_post_publicly_acknowledges_before_posting(world):
    question = await world.alice.send(world.general, QUESTION)
    result = await world.mod.context_menu(world.general, "Diagnose message", question)
    before = len(world.env.http_requests)

    await world.mod.click(result.response, label="Post publicly")

    assert acknowledged_before_posting(world.env.http_requests[before:])


async def test_answer_picker_acknowledges_before_posting(world):
    question = await world.alice.send(world.general, QUESTION)
    picker = await world.mod.context_menu(world.general, "Answer with FAQ", question)
    best = world.bot.engine.diagnose(QUESTION).top.entry_id
    before = len(world.env.http_requests)

    await world.mod.select(picker.response, [best])

    assert acknowledged_before_posting(world.env.http_requests[before:])


async def test_the_same_answer_is_posted_once_per_message(world):
    question = await world.alice.send(world.general, QUESTION)
    first = await world.mod.context_menu(world.general, "Diagnose message", question)
    second = await world.supporter.context_menu(world.general, "Diagnose message", question)
    await world.mod.click(first.response, label="Post publicly")

    again = await world.supporter.click(second.response, label="Post publicly")

    assert len(bot_messages(world, world.general)) == 1
    assert "Already posted" in again.response.content
