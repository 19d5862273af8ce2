"""Moderator answers land only where the moderator (and the bot) may post, and each button
acknowledges before it posts, without duplicates (issue 10, points 2 and 3)."""

from __future__ import annotations

import discord

QUESTION = "I get unauthorized_client error when authorizing my app, what is wrong?"


def link(world, channel, message) -> str:
    return f"https://discord.com/channels/{world.guild.id}/{channel.id}/{message.id}"


def bot_messages(world, channel) -> list:
    return [m for m in channel.history() if m.author.id == world.bot.user.id]


def first_index(world, predicate) -> int:
    return next(i for i, r in enumerate(world.env.http_requests) if predicate(r))


# -- point 2: the target channel's permissions -----------------------------------------------------


async def test_answer_refuses_a_channel_the_moderator_cannot_see(world):
    staff = world.guild.create_text_channel("staff", overwrites={world.mod: discord.PermissionOverwrite(view_channel=False)})
    question = await world.alice.send(staff, "how do I make a PAT?")

    result = await world.mod.slash(world.general, "answer", topic="pat-create", message=link(world, staff, question))

    assert result.response.ephemeral and "can't post in that channel" in result.response.content
    assert bot_messages(world, staff) == []


async def test_answer_refuses_a_channel_where_the_moderator_cannot_send(world):
    readonly = world.guild.create_text_channel(
        "announcements", overwrites={world.mod: discord.PermissionOverwrite(send_messages=False)}
    )
    question = await world.alice.send(readonly, "how do I make a PAT?")

    result = await world.mod.slash(world.general, "answer", topic="pat-create", message=link(world, readonly, question))

    assert "can't post in that channel" in result.response.content
    assert bot_messages(world, readonly) == []


async def test_answer_refuses_where_the_moderator_is_no_moderator(world):
    # Manage Messages in #general, not in #elsewhere: the moderator rule is checked at the target.
    elsewhere = world.guild.create_text_channel(
        "elsewhere", overwrites={world.mods: discord.PermissionOverwrite(manage_messages=False)}
    )
    question = await world.alice.send(elsewhere, "how do I make a PAT?")

    result = await world.mod.slash(world.general, "answer", topic="pat-create", message=link(world, elsewhere, question))

    assert "moderator" in result.response.content
    assert bot_messages(world, elsewhere) == []


async def test_answer_says_so_when_the_bot_cannot_send_there(world):
    muted = world.guild.create_text_channel(
        "muted", overwrites={world.guild.roles["TestBot"]: discord.PermissionOverwrite(send_messages=False)}
    )
    question = await world.alice.send(muted, "how do I make a PAT?")

    result = await world.mod.slash(world.general, "answer", topic="pat-create", message=link(world, muted, question))

    assert "I can't post" in result.response.content
    assert world.env.errors == []


# -- point 3: acknowledge first, no duplicates ------------------------------------------------------


async def test_post_publicly_acknowledges_before_posting(world):
    question = await world.alice.send(world.general, QUESTION)
    result = await world.mod.context_menu(world.general, "Diagnose message", question)
    before = len(world.env.http_requests)

    await world.mod.click(result.response, label="Post publicly")

    requests = world.env.http_requests[before:]
    ack = next(i for i, r in enumerate(requests) if r.path.endswith("/callback"))
    post = next(i for i, r in enumerate(requests) if r.method == "POST" and r.path.endswith("/messages"))
    assert ack < post, [f"{r.method} {r.path}" for r in requests]


async def test_answer_picker_acknowledges_before_posting(world):
    question = await world.alice.send(world.general, QUESTION)
    picker = await world.mod.context_menu(world.general, "Answer with FAQ", question)
    best = world.bot.engine.diagnose(QUESTION).top.entry_id
    before = len(world.env.http_requests)

    await world.mod.select(picker.response, [best])

    requests = world.env.http_requests[before:]
    ack = next(i for i, r in enumerate(requests) if r.path.endswith("/callback"))
    post = next(i for i, r in enumerate(requests) if r.method == "POST" and r.path.endswith("/messages"))
    assert ack < post


async def test_the_same_answer_is_posted_once_per_message(world):
    question = await world.alice.send(world.general, QUESTION)
    first = await world.mod.context_menu(world.general, "Diagnose message", question)
    second = await world.supporter.context_menu(world.general, "Diagnose message", question)
    await world.mod.click(first.response, label="Post publicly")

    again = await world.supporter.click(second.response, label="Post publicly")

    assert len(bot_messages(world, world.general)) == 1
    assert "Already posted" in again.response.content
