"""Help-channel answers to a message that holds a credential must never point the channel at it.

A reply is a pointer: its "replying to" header quotes and links the leaked message. Where the bot can't
delete the message (no Manage Messages) the credential stays up, so the help-channel cog stays silent
and leaves it to the leak guard, which tells the author by DM and the moderators in the mod log. Where
the leak guard deletes it, the answer is still useful, but it is posted without a reference: there is
nothing left to point at, and a dangling "original message was deleted" header only draws attention.
"""

from __future__ import annotations

import logging
from typing import Any

import discord
import pytest
from simcord.builders import ChannelHandle

from tests.exts.credentials.exposure import TOKEN, assert_no_piece_shown

#: A question the engine answers with high confidence, with and without a credential pasted in it.
CLEAR = "I get unauthorized_client error when authorizing my app, what is wrong?"
LEAKY = f"{CLEAR} my token is {TOKEN}"


@pytest.fixture
def settings_overrides(request: pytest.FixtureRequest) -> dict[str, Any]:
    return {"leak_guard": True, **getattr(request, "param", {})}


@pytest.fixture(autouse=True)
def _debug_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)  # every log line is checked for pieces of the token


def locked_help_channel(world) -> ChannelHandle:
    """A help channel where the bot is denied Manage Messages: it can read and answer, not delete."""
    locked = world.guild.create_text_channel(
        "locked-help", overwrites={world.guild.roles["TestBot"]: discord.PermissionOverwrite(manage_messages=False)}
    )
    world.bot.settings.help_channel_ids = [*world.bot.settings.help_channel_ids, locked.id]  # read per message
    return locked


def mod_log(world) -> ChannelHandle:
    modlog = world.guild.create_text_channel("mod-log")
    world.bot.settings.mod_log_channel_id = modlog.id
    return modlog


def dm_of(world, member) -> ChannelHandle:
    return ChannelHandle(world.env, None, world.env.backend.get_dm_channel(member.id))


def bot_sends(world, channel: ChannelHandle) -> list[dict]:
    """Every message body the bot POSTed to the channel, including any it later deleted."""
    return [
        r.json for r in world.env.http_requests if r.method == "POST" and r.path == f"/channels/{channel.id}/messages"
    ]


def answers(world, channel: ChannelHandle) -> list[discord.Message]:
    """The bot's diagnosis answers (embeds), as opposed to the leak guard's plain-text notice."""
    return [m for m in channel.history() if m.author.id == world.bot.user.id and m.embeds]


async def test_without_manage_messages_a_credential_gets_no_public_answer(world, caplog):
    locked = locked_help_channel(world)
    modlog = mod_log(world)

    leaked = await world.alice.send(locked, LEAKY)

    assert any(m.id == leaked.id for m in locked.history())  # still up: the bot can't delete it
    assert bot_sends(world, locked) == []  # no answer, no reply, no notice: nothing points at it
    assert not await world.bot.store.is_answered(leaked.id)
    # The leak guard still did its part, privately.
    assert "I couldn't delete it" in dm_of(world, world.alice).last_message.content
    assert leaked.jump_url in modlog.last_message.content
    assert_no_piece_shown(world, caplog, TOKEN)

    # The channel itself is a working help channel: the same question without the token is answered.
    question = await world.bob.send(locked, CLEAR)
    (answer,) = answers(world, locked)
    assert answer.reference is not None and answer.reference.message_id == question.id


async def test_without_manage_messages_a_credential_in_a_text_attachment_gets_no_public_answer(world, caplog):
    """Discord turns a long paste into `message.txt`: the credential is as public as in the text."""
    locked = locked_help_channel(world)
    mod_log(world)

    leaked = await world.alice.send(
        locked, CLEAR, attachments=[("message.txt", f"curl -H 'Authorization: Bearer {TOKEN}'".encode())]
    )

    assert any(m.id == leaked.id for m in locked.history())
    assert bot_sends(world, locked) == []
    assert "I couldn't delete it" in dm_of(world, world.alice).last_message.content
    assert_no_piece_shown(world, caplog, TOKEN)


async def test_with_manage_messages_the_answer_does_not_reference_the_deleted_message(world, caplog):
    leaked = await world.alice.send(world.help, LEAKY)

    assert all(m.id != leaked.id for m in world.help.history())  # the leak guard deleted it
    (answer,) = answers(world, world.help)
    assert answer.reference is None
    assert all("message_reference" not in body for body in bot_sends(world, world.help))
    assert await world.bot.store.is_answered(leaked.id)  # answered once: a repeat event must not answer again
    assert_no_piece_shown(world, caplog, TOKEN)


async def test_with_manage_messages_a_credential_in_a_text_attachment_is_answered_without_reference(world, caplog):
    leaked = await world.alice.send(world.help, CLEAR, attachments=[("message.txt", f"token={TOKEN}".encode())])

    assert all(m.id != leaked.id for m in world.help.history())
    (answer,) = answers(world, world.help)
    assert answer.reference is None
    assert_no_piece_shown(world, caplog, TOKEN)


@pytest.mark.parametrize("settings_overrides", [{"leak_guard": False}], indirect=True)
async def test_with_the_leak_guard_off_a_credential_gets_no_public_answer(world, caplog):
    """Nobody removes the message, so an answer posted under it would point at a live credential."""
    leaked = await world.alice.send(world.help, LEAKY)

    assert any(m.id == leaked.id for m in world.help.history())
    assert bot_sends(world, world.help) == []
    assert_no_piece_shown(world, caplog, TOKEN)
