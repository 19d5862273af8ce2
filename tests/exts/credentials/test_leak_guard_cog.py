"""Leak guard: delete, notice (only the author pinged, only the redacted form), DM with revocation steps;
missing permission (or a refused delete) → DM the author and alert moderators, nothing public; closed DMs →
say so; edits are caught too. No 10-character piece of a secret in anything the bot sent or logged."""

from __future__ import annotations

import logging

import discord
from simcord.builders import ChannelHandle

from bot.credentials.leaks import leaked_credentials
from tests.exts.credentials.exposure import TOKEN, assert_no_piece_shown

#: Whatever the redactor shows for it (its exact form is the redactor's business, not this cog's).
REDACTED = leaked_credentials(TOKEN)[0].redacted


def bot_sends(world, channel_id: int) -> list[dict]:
    return [r.json for r in world.env.http_requests if r.method == "POST" and r.path == f"/channels/{channel_id}/messages"]


def dm_of(world, member) -> ChannelHandle:
    return ChannelHandle(world.env, None, world.env.backend.get_dm_channel(member.id))


def contents(channel) -> list[str]:
    return [m.content for m in channel.history()]


async def test_deletes_notices_and_dms(world, caplog):
    caplog.set_level(logging.DEBUG)
    await world.alice.send(world.general, f"my token {TOKEN} stopped working")
    assert all(TOKEN not in text for text in contents(world.general))  # the original is gone
    (notice,) = world.general.history()
    assert notice.author.bot
    assert notice.content == (
        f"{world.alice.mention}, your message contained a LiveChat access token (`{REDACTED}`). I deleted it so "
        "nobody else can use it. I sent you a DM with how to revoke it; it was public, so treat it as exposed."
    )
    (body,) = bot_sends(world, world.general.id)
    assert body["allowed_mentions"]["parse"] == [] and body["allowed_mentions"]["users"] == [world.alice.id]
    dm = dm_of(world, world.alice).last_message
    assert dm is not None and "You posted a message in #general that contained a LiveChat access token" in dm.content
    assert "curl -X DELETE https://accounts.livechat.com/v2/token" in dm.content
    world.assert_never_shown(TOKEN)
    assert_no_piece_shown(world, caplog, TOKEN)


def locked_channel(world, name: str = "locked"):
    """A channel where the bot lacks Manage Messages (the bot role is denied it there)."""
    return world.guild.create_text_channel(
        name, overwrites={world.guild.roles["TestBot"]: discord.PermissionOverwrite(manage_messages=False)}
    )


def bot_messages(channel) -> list[discord.Message]:
    return [m for m in channel.history() if m.author.bot]


async def test_without_manage_messages_only_dms_and_alerts_moderators(world, caplog):
    caplog.set_level(logging.DEBUG)
    locked = locked_channel(world)
    modlog = world.guild.create_text_channel("mod-log")
    world.bot.settings.mod_log_channel_id = modlog.id
    leaked = await world.alice.send(locked, f"Authorization: Bearer {TOKEN}")
    # The permission is checked first: no doomed DELETE, and nothing public that points at the message
    # (a reply or a "please delete this" notice would show everyone where a live credential sits).
    assert [r for r in world.env.http_requests if r.method == "DELETE"] == []
    assert any(m.id == leaked.id for m in locked.history())  # still there: only its author or a mod can act
    assert bot_messages(locked) == [] and bot_sends(world, locked.id) == []
    dm = dm_of(world, world.alice).last_message
    assert dm is not None and "I couldn't delete it" in dm.content
    assert leaked.jump_url in dm.content  # private to the author: helps them find and delete it
    alert = modlog.last_message
    assert alert.content.startswith(f"Leak guard: a message by <@{world.alice.id}> in <#{locked.id}> contains")
    assert leaked.jump_url in alert.content and "Manage Messages" in alert.content
    (alert_body,) = bot_sends(world, modlog.id)
    assert alert_body["allowed_mentions"] == {"parse": []}
    assert_no_piece_shown(world, caplog, TOKEN)


async def test_refused_delete_is_handled_like_missing_permission(world, caplog):
    """The bot has Manage Messages on paper but Discord says 403 (e.g. a permission changed a moment ago)."""
    caplog.set_level(logging.DEBUG)
    modlog = world.guild.create_text_channel("mod-log")
    world.bot.settings.mod_log_channel_id = modlog.id
    world.env.inject_error("DELETE", f"/channels/{world.general.id}/messages/*", status=403, code=50013)
    leaked = await world.alice.send(world.general, f"my token {TOKEN}")
    assert len([r for r in world.env.http_requests if r.method == "DELETE"]) == 1
    assert any(m.id == leaked.id for m in world.general.history())
    assert bot_messages(world.general) == [] and bot_sends(world, world.general.id) == []
    assert "I couldn't delete it" in dm_of(world, world.alice).last_message.content
    alert = modlog.last_message.content
    assert leaked.jump_url in alert and "Discord refused" in alert
    assert world.env.errors == []
    assert_no_piece_shown(world, caplog, TOKEN)


async def test_without_manage_messages_and_closed_dms_moderators_are_told(world, caplog):
    caplog.set_level(logging.DEBUG)
    locked = locked_channel(world)
    modlog = world.guild.create_text_channel("mod-log")
    world.bot.settings.mod_log_channel_id = modlog.id
    dm = dm_of(world, world.alice)
    world.env.inject_error("POST", f"/channels/{dm.id}/messages", status=403, code=50007)
    await world.alice.send(locked, f"token={TOKEN}")
    assert bot_messages(locked) == [] and dm.history() == []
    assert "I couldn't DM them" in modlog.last_message.content  # so a moderator knows nobody told the author
    assert_no_piece_shown(world, caplog, TOKEN)


async def test_closed_dms_are_mentioned_in_the_notice(world):
    dm = dm_of(world, world.alice)
    world.env.inject_error(
        "POST", f"/channels/{dm.id}/messages", status=403, code=50007, message="Cannot send messages to this user"
    )
    await world.alice.send(world.general, f"refresh_token=FAKE_refresh_leak_000000002 and {TOKEN}")
    notice = world.general.last_message
    assert "I couldn't DM you (your DMs are closed)" in notice.content
    assert "a LiveChat refresh token and a LiveChat access token" in notice.content
    assert dm.history() == []


async def test_edited_message_is_caught(world):
    message = await world.alice.send(world.general, "my token does not work")
    assert world.general.last_message.id == message.id  # nothing to do yet
    await world.alice.edit(message, f"my token {TOKEN} does not work")
    assert all(TOKEN not in text for text in contents(world.general))
    assert world.general.last_message.content.startswith(f"{world.alice.mention}, your edited message contained")


async def test_help_channel_still_answers_once(world):
    question = (
        "Personal Access Token doesn't work: curl -H 'Authorization: Bearer "
        f"{TOKEN}' https://api.livechatinc.com/v3.6/agent/action/list_chats returns 401 Invalid access token"
    )
    await world.alice.send(world.help, question)
    messages = world.help.history()
    assert all(TOKEN not in m.content for m in messages)
    notices = [m for m in messages if m.content.startswith(world.alice.mention + ", your message contained")]
    answers = [m for m in messages if m.embeds]
    assert len(notices) == 1 and len(answers) == 1  # one security notice, one answer (by the help cog)
    world.assert_never_shown(TOKEN)


async def test_exempt_channels_other_bots_and_doc_samples_are_left_alone(world):
    world.bot.settings.leak_guard_exempt_channel_ids = [world.general.id]
    await world.alice.send(world.general, f"token {TOKEN}")
    await world.other_bot.send(world.help, f"token {TOKEN}")
    world.bot.settings.leak_guard_exempt_channel_ids = []
    await world.alice.send(world.general, "the docs show dal:test_YTJQ6GDVgQf8kQDPw as an example")
    assert [r for r in world.env.http_requests if r.method == "DELETE"] == []


async def test_foreign_secret_is_named_accurately(world):
    await world.alice.send(world.general, "oops wrong paste sk_live_FAKEstripeKey00000000001")
    notice = world.general.last_message.content
    assert "your message contained another service's secret (an API key or token)" in notice
    assert "LiveChat" not in notice.split("(`")[0]
