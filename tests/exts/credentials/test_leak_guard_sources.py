"""Leak guard beyond message text: forum post titles and thread names (on creation and on rename), the
"started a thread" notice that repeats a thread's name, and text attachments up to 100 KB.

A thread name can't be deleted, so the bot renames the thread to a neutral title when it may (Manage
Threads); otherwise it tells the owner by DM and the moderators in the mod log, and posts nothing
public. In every test no 10-character piece of the secret is in anything the bot sent or logged.
"""

from __future__ import annotations

import logging

import discord
import pytest
from simcord.builders import ChannelHandle
from simcord.enums import MessageType

from bot.credentials.leaks import NEUTRAL_THREAD_NAME
from bot.utils.attachments import TEXT_ATTACHMENT_LIMIT
from tests.exts.credentials.exposure import ACCOUNT_ID, BASIC, PAT, TOKEN, assert_no_piece_shown


@pytest.fixture(autouse=True)
def _debug_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)  # every log line the bot writes is checked for pieces of the secret


def dm_of(world, member) -> ChannelHandle:
    return ChannelHandle(world.env, None, world.env.backend.get_dm_channel(member.id))


def bot_messages(channel: ChannelHandle) -> list[discord.Message]:
    return [m for m in channel.history() if m.author.bot]


def name_of(world, thread: ChannelHandle) -> str:
    return world.env.backend.get_channel(thread.id).name


def renames(world, thread: ChannelHandle) -> list[dict]:
    return [r.json for r in world.env.http_requests if r.method == "PATCH" and r.path == f"/channels/{thread.id}"]


def mod_log(world) -> ChannelHandle:
    modlog = world.guild.create_text_channel("mod-log")
    world.bot.settings.mod_log_channel_id = modlog.id
    return modlog


def no_manage_threads(world, name: str = "locked") -> ChannelHandle:
    return world.guild.create_text_channel(
        name, overwrites={world.guild.roles["TestBot"]: discord.PermissionOverwrite(manage_threads=False)}
    )


async def start_thread(world, channel: ChannelHandle, author, name: str, *, announce: bool = True) -> ChannelHandle:
    """A member starts a thread in a text channel (built from the backend, as simcord's actors can't)."""
    thread = world.env.backend.create_thread(channel.id, name, author.id, broadcast=False)
    if announce:
        world.env.backend.announce_thread_create(thread)
        await world.env.settle()
    return ChannelHandle(world.env, world.guild, thread)


async def rename(world, thread: ChannelHandle, name: str) -> None:
    world.env.backend.edit_channel(thread.id, {"name": name})  # a member renames it: THREAD_UPDATE
    await world.env.settle()


# -- forum post titles and thread names ------------------------------------------------------------


async def test_forum_post_title_is_renamed(world, caplog):
    thread, _ = await world.forum_post(world.alice, f"{TOKEN} gives 401 on list_chats", "why do I get a 401?")
    assert name_of(world, thread) == NEUTRAL_THREAD_NAME
    assert [body["name"] for body in renames(world, thread)] == [NEUTRAL_THREAD_NAME]
    dm = dm_of(world, world.alice).last_message
    assert dm is not None and "Your forum post in #help-forum had a title that contained" in dm.content
    assert "I renamed it" in dm.content and "curl -X DELETE https://accounts.livechat.com/v2/token" in dm.content
    (notice,) = [m for m in bot_messages(thread) if m.content.startswith(world.alice.mention)]
    assert "the title of your forum post contained a LiveChat access token" in notice.content
    assert "I renamed it" in notice.content
    world.assert_mentions_at_most(users={world.alice.id})
    assert_no_piece_shown(world, caplog, TOKEN)


async def test_thread_renamed_to_a_credential_is_renamed_again(world, caplog):
    modlog = mod_log(world)
    thread = await start_thread(world, world.general, world.alice, "PAT auth question")
    assert renames(world, thread) == [] and dm_of(world, world.alice).history() == []  # a clean name: nothing
    await rename(world, thread, f"PAT auth question Basic {BASIC}")
    assert name_of(world, thread) == NEUTRAL_THREAD_NAME
    assert "Your thread in #general had a name that contained" in dm_of(world, world.alice).last_message.content
    # Discord's own "changed the name" notice in the thread keeps the old name, and nobody can delete it:
    # the moderators hear about it even though the rename worked.
    alert = modlog.last_message.content
    assert f"<#{thread.id}>" in alert and "can't be deleted" in alert
    assert_no_piece_shown(world, caplog, BASIC, PAT)


async def test_thread_name_without_manage_threads_dms_and_alerts_only(world, caplog):
    modlog = mod_log(world)
    locked = no_manage_threads(world)
    thread = await start_thread(world, locked, world.alice, f"token {TOKEN} rejected")
    assert renames(world, thread) == []  # checked before trying
    assert name_of(world, thread) == f"token {TOKEN} rejected"
    assert bot_messages(thread) == [] and bot_messages(locked) == []  # nothing public points at it
    dm = dm_of(world, world.alice).last_message.content
    assert "I couldn't rename it" in dm and "rename it yourself" in dm
    alert = modlog.last_message.content
    assert alert.startswith(f"Leak guard: the name of a thread <#{thread.id}> by <@{world.alice.id}>")
    assert "Manage Threads" in alert
    assert_no_piece_shown(world, caplog, TOKEN)


async def test_refused_rename_is_handled_like_missing_permission(world, caplog):
    modlog = mod_log(world)
    thread = await start_thread(world, world.general, world.alice, f"token {TOKEN} rejected", announce=False)
    world.env.inject_error("PATCH", f"/channels/{thread.id}", status=403, code=50013)
    world.env.backend.announce_thread_create(world.env.backend.get_channel(thread.id))
    await world.env.settle()
    assert len(renames(world, thread)) == 1
    assert bot_messages(thread) == [] and bot_messages(world.general) == []
    assert "I couldn't rename it" in dm_of(world, world.alice).last_message.content
    assert "Discord refused" in modlog.last_message.content
    assert world.env.errors == []
    assert_no_piece_shown(world, caplog, TOKEN)


async def test_started_a_thread_notice_that_repeats_the_name_is_deleted(world, caplog):
    """Discord's "alice started a thread: <name>" message in the parent channel carries the name as its
    content, and keeps the old name after a rename: it goes too (the thread's owner is told once)."""
    thread = await start_thread(world, world.general, world.alice, f"token {TOKEN} rejected")
    starter = world.env.backend.create_message(
        world.general.id, world.alice.id, f"token {TOKEN} rejected", message_type=MessageType.THREAD_CREATED
    )
    await world.env.settle()
    assert all(m.id != starter.id for m in world.general.history())
    assert name_of(world, thread) == NEUTRAL_THREAD_NAME
    assert len(dm_of(world, world.alice).history()) == 1
    assert_no_piece_shown(world, caplog, TOKEN)


async def test_clean_and_bot_owned_threads_are_left_alone(world):
    await world.forum_post(world.alice, "401 on list_chats", "why do I get a 401?")
    thread = await start_thread(world, world.general, world.other_bot, f"token {TOKEN}")
    world.bot.settings.leak_guard_exempt_channel_ids = [world.general.id]
    await start_thread(world, world.general, world.alice, f"token {TOKEN}")
    assert [r for r in world.env.http_requests if r.method == "PATCH"] == []
    assert name_of(world, thread) == f"token {TOKEN}"


# -- attachments -------------------------------------------------------------------------------------

FILES = {
    # Discord turns a paste longer than the message limit into message.txt, with empty message text.
    "message.txt": ("", "x" * 3000 + f"\ncurl -H 'Authorization: Bearer {TOKEN}' https://api.livechatinc.com\n"),
    "app.log": ("here's my log", f"POST /v3.5/agent/action/list_chats\nAuthorization: Basic {BASIC}\n< 401\n"),
    "response.json": ("see attached", f'{{"access_token": "{TOKEN}", "expires_in": 28800}}'),
    ".env": ("my config", f"LIVECHAT_ACCOUNT_ID={ACCOUNT_ID}\nLIVECHAT_TOKEN={TOKEN}\n"),
    "settings.yaml": ("config", f"livechat:\n  token: {TOKEN}\n"),
    "export.csv": ("any text/* type counts", f"name,value\ntoken,{TOKEN}\n"),  # text/csv: by content type
}


@pytest.mark.parametrize("filename", list(FILES), ids=list(FILES))
async def test_text_attachment_is_scanned(world, caplog, filename):
    content, body = FILES[filename]
    message = await world.alice.send(world.general, content, attachments=[(filename, body.encode())])
    assert all(m.id != message.id for m in world.general.history())  # deleted, with its file
    (notice,) = bot_messages(world.general)
    assert notice.content.startswith(f"{world.alice.mention}, a file attached to your message contained")
    assert "A file you attached to a message in #general contained" in dm_of(world, world.alice).last_message.content
    assert_no_piece_shown(world, caplog, TOKEN, BASIC, PAT)


async def test_attachment_size_limit_and_binary_files(world, caplog, monkeypatch):
    reads: list[str] = []
    original = discord.Attachment.read

    async def counting_read(self: discord.Attachment, **kwargs: object) -> bytes:
        reads.append(self.filename)
        return await original(self, **kwargs)

    monkeypatch.setattr(discord.Attachment, "read", counting_read)
    line = f"Authorization: Bearer {TOKEN}\n"
    at_limit = ("x" * (TEXT_ATTACHMENT_LIMIT - len(line)) + line).encode()
    assert len(at_limit) == TEXT_ATTACHMENT_LIMIT
    over = (line + "x" * TEXT_ATTACHMENT_LIMIT).encode()
    binary = b"\x89PNG\r\n\x1a\n" + line.encode()
    kept_big = await world.alice.send(world.general, "big log", attachments=[("big.log", over)])
    kept_png = await world.alice.send(world.general, "screenshot", attachments=[("screenshot.png", binary)])
    caught = await world.alice.send(world.general, "log", attachments=[("exact.log", at_limit)])
    # over 100 KB is never downloaded; a "PNG" is, for OCR, and its damaged data is simply not read
    assert reads == ["screenshot.png", "exact.log"]
    remaining = {m.id for m in world.general.history()}
    assert {kept_big.id, kept_png.id} <= remaining and caught.id not in remaining
    assert_no_piece_shown(world, caplog, TOKEN)


async def test_unreadable_attachment_does_not_break_the_guard(world, monkeypatch):
    monkeypatch.setattr(world.env.backend.cdn, "get", lambda url: None)  # the CDN answers 404
    message = await world.alice.send(world.general, f"my token {TOKEN}", attachments=[("a.txt", b"hello")])
    assert all(m.id != message.id for m in world.general.history())
    assert world.env.errors == []
