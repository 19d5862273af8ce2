"""Leak guard: a credential posted in a guild — in a message, an edit, a text attachment, a forum post's
title or a thread's name — is removed, its owner told privately how to revoke it, and, once it is gone,
the channel told briefly, with only the redacted form and a ping for the owner alone.

Messages: delete first (every second public counts), then DM (so the notice can say whether the DM went
through), then the notice. Without Manage Messages (checked before trying) or when Discord refuses the
delete, nothing public is posted — no reply, no notice: either would point the channel at a live
credential. The author gets a DM and the moderators an alert in the mod log, which may link to the message
because only moderators read it and they are the ones who can delete it.

Thread names can't be deleted, so the thread is renamed to a neutral title (Manage Threads), else the same
DM + mod log. Discord repeats a thread's name in two system messages: "started a thread" in the parent
channel (deletable: we delete it) and "changed the name" in the thread after a rename (nobody can delete
it: the moderators are told).

Nothing of the raw text is stored or logged: logs carry ids and credential kinds only, and the "seen"
memory for thread names keeps a digest, not the name.

Answering the question in the message is left to the help-channel cog, which sees the same message and
answers from the redacted diagnosis: as a plain message, never as a reply to the leaked message, and not at
all where this guard can't remove it. The notice carries no diagnosis, so there is never a second answer.
"""

from __future__ import annotations

import hashlib
import logging
from collections import OrderedDict
from collections.abc import Hashable

import discord
from discord.ext import commands

from bot import metrics
from bot.app import AuthBot
from bot.core.diagnosis import Credential
from bot.credentials.leaks import (
    MISSING_MANAGE_MESSAGES,
    MISSING_MANAGE_THREADS,
    NEUTRAL_THREAD_NAME,
    REFUSED,
    dm_text,
    leaked_credentials,
    modlog_text,
    notice_text,
    thread_dm_text,
    thread_modlog_text,
    thread_notice_text,
)
from bot.utils.attachments import read_attachment_text
from bot.utils.replies import NO_MENTIONS

log = logging.getLogger(__name__)

USER_MESSAGE_TYPES = (discord.MessageType.default, discord.MessageType.reply)
DMS_CLOSED = 50007
SEEN_LIMIT = 1000  # messages and thread names already handled: an unfurl edit must not warn twice


def only_author(author: discord.abc.Snowflake) -> discord.AllowedMentions:
    return discord.AllowedMentions(everyone=False, roles=False, users=[author], replied_user=False)


class LeakGuard(commands.Cog):
    def __init__(self, bot: AuthBot) -> None:
        self.bot = bot
        self._handled: OrderedDict[Hashable, None] = OrderedDict()

    # -- which messages and threads ---------------------------------------------------------------

    def _exempt(self, channel: object) -> bool:
        exempt = set(self.bot.settings.leak_guard_exempt_channel_ids)
        return getattr(channel, "id", None) in exempt or getattr(channel, "parent_id", None) in exempt

    def _guarded(self, message: discord.Message) -> bool:
        if not self.bot.settings.leak_guard or message.guild is None:
            return False
        if message.author.bot or message.webhook_id or message.type not in USER_MESSAGE_TYPES:
            return False
        return not self._exempt(message.channel)

    def _seen(self, key: Hashable) -> bool:
        if key in self._handled:
            return True
        self._handled[key] = None
        while len(self._handled) > SEEN_LIMIT:
            self._handled.popitem(last=False)
        return False

    def _find(self, text: str) -> list[Credential]:
        return leaked_credentials(text, include_foreign=self.bot.settings.leak_guard_foreign_secrets)

    # -- events -----------------------------------------------------------------------------------

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if message.type is discord.MessageType.thread_created:
            await self._remove_thread_created_notice(message)
            return
        await self.guard(message, edited=False)

    @commands.Cog.listener()
    async def on_raw_message_edit(self, payload: discord.RawMessageUpdateEvent) -> None:
        # Raw, not on_message_edit: an edit to a message older than the cache must be caught too.
        before = payload.cached_message
        if before is not None and before.content == payload.message.content:
            return  # an embed unfurl or a pin, not a text change
        await self.guard(payload.message, edited=True)

    @commands.Cog.listener()
    async def on_thread_create(self, thread: discord.Thread) -> None:
        await self.guard_thread(thread, renamed=False)

    @commands.Cog.listener()
    async def on_thread_update(self, before: discord.Thread, after: discord.Thread) -> None:
        if before.name != after.name:  # archiving, locking, tags: the name was scanned already
            await self.guard_thread(after, renamed=True)

    # -- messages ---------------------------------------------------------------------------------

    async def guard(self, message: discord.Message, *, edited: bool) -> None:
        if not self._guarded(message):
            return
        credentials = self._find(message.content)
        in_text = bool(credentials)
        if not edited:
            # Users can't add files in an edit, so the files were scanned when the message arrived; an edit
            # event must not download them again.
            for attachment in message.attachments:
                text = await read_attachment_text(attachment)
                if text:
                    credentials += self._find(text)
        if not credentials or self._seen(("message", message.id)):
            return
        # The texts say "a file attached to your message" only when the message text itself was clean:
        # otherwise "your message contained" is true and sends nobody looking in the wrong place.
        in_file = not in_text
        kinds = sorted({c.kind.value for c in credentials})
        deleted, gone, refused = await self._delete(message)
        dm_sent = await self._send_dm(
            message.author,
            dm_text(
                credentials, channel=_channel_name(message.channel), deleted=deleted, gone=gone, edited=edited,
                in_file=in_file, jump_url=message.jump_url,
            ),
        )
        if deleted or gone:
            await self._notice(
                message, credentials, deleted=deleted, gone=gone, dm_sent=dm_sent, edited=edited, in_file=in_file
            )
        else:
            await self._alert_moderators(
                modlog_text(
                    message.author.id, message.channel.id, message.jump_url, credentials,
                    reason=REFUSED if refused else MISSING_MANAGE_MESSAGES, dm_sent=dm_sent, in_file=in_file,
                )
            )
        _count_actions("message_deleted" if deleted else "message_kept", dm_sent)
        log.info(
            "leak guard: %s in message %s (channel %s, author %s, in file: %s); deleted=%s dm=%s",
            ",".join(kinds), message.id, message.channel.id, message.author.id, in_file, deleted, dm_sent,
        )

    async def _delete(self, message: discord.Message) -> tuple[bool, bool, bool]:
        """(deleted by us, already gone, Discord refused although we seemed allowed)."""
        if not _can(message.channel, "manage_messages"):
            return False, False, False  # a doomed DELETE is a wasted request and a 403 in the audit trail
        try:
            await message.delete()
        except discord.NotFound:
            return False, True, False
        except discord.Forbidden as error:
            log.warning("leak guard: deleting message %s refused: %s", message.id, error.code)
            return False, False, True
        except discord.HTTPException as error:
            log.warning("leak guard: could not delete message %s: %s %s", message.id, error.status, error.code)
            return False, False, True
        return True, False, False

    async def _notice(
        self, message: discord.Message, credentials: list[Credential], *,
        deleted: bool, gone: bool, dm_sent: bool, edited: bool, in_file: bool,
    ) -> None:
        # Only after the message is gone, and never as a reply: there is nothing left to point at.
        text = notice_text(
            message.author.mention, credentials, deleted=deleted, gone=gone, dm_sent=dm_sent, edited=edited,
            in_file=in_file,
        )
        try:
            await message.channel.send(text, allowed_mentions=only_author(message.author))
        except discord.HTTPException as error:
            log.warning("leak guard: notice in %s failed: %s %s", message.channel.id, error.status, error.code)

    async def _remove_thread_created_notice(self, message: discord.Message) -> None:
        """Discord's "X started a thread: <name>" message holds the thread's name as its content, and keeps
        it after the thread is renamed. Delete it quietly: `guard_thread` tells the owner and moderators."""
        if not self.bot.settings.leak_guard or message.guild is None or message.author.bot:
            return
        if self._exempt(message.channel) or not _can(message.channel, "manage_messages"):
            return
        if not self._find(message.content):
            return
        try:
            await message.delete()
        except discord.HTTPException as error:
            log.warning("leak guard: thread notice %s not deleted: %s %s", message.id, error.status, error.code)
            return
        log.info("leak guard: deleted the thread-created notice %s in channel %s", message.id, message.channel.id)

    # -- thread names -----------------------------------------------------------------------------

    async def guard_thread(self, thread: discord.Thread, *, renamed: bool) -> None:
        if not self.bot.settings.leak_guard or self._exempt(thread):
            return
        if self.bot.user is not None and thread.owner_id == self.bot.user.id:
            return
        credentials = self._find(thread.name)
        # Keyed by a digest of the name: a later update (archive, tags) of a name we couldn't change must not
        # alert again, and the memory must not hold the credential itself.
        digest = hashlib.blake2b(thread.name.encode(), digest_size=16).digest()
        if not credentials or self._seen(("thread", thread.id, digest)):
            return
        owner = await self._thread_owner(thread)
        if owner is not None and owner.bot:
            return  # another bot's thread, as other bots' messages: not a member's mistake to warn about
        forum = isinstance(thread.parent, discord.ForumChannel)
        done, refused = await self._rename(thread)
        dm_sent = await self._send_dm(
            owner or discord.Object(thread.owner_id),
            thread_dm_text(
                credentials, forum=forum, channel=_channel_name(thread.parent), renamed=done,
                name_change_kept=renamed, jump_url=thread.jump_url,
            ),
        )
        if done:
            await self._thread_notice(thread, credentials, forum=forum, dm_sent=dm_sent)
        if not done or renamed:
            await self._alert_moderators(
                thread_modlog_text(
                    thread.owner_id, thread.id, credentials, forum=forum, renamed=done,
                    reason=REFUSED if refused else MISSING_MANAGE_THREADS, name_change_kept=renamed, dm_sent=dm_sent,
                )
            )
        _count_actions("thread_renamed" if done else "thread_kept", dm_sent)
        log.info(
            "leak guard: %s in the name of thread %s (parent %s, owner %s); renamed=%s dm=%s",
            ",".join(sorted({c.kind.value for c in credentials})), thread.id, thread.parent_id, thread.owner_id,
            done, dm_sent,
        )

    async def _thread_owner(self, thread: discord.Thread) -> discord.abc.User | None:
        """The owner as a user, to skip bots and to DM. Without the members intent the cache rarely has them,
        so ask Discord — only here, after a credential was found, so ordinary threads cost no request."""
        if thread.owner is not None:
            return thread.owner
        try:
            return await thread.guild.fetch_member(thread.owner_id)
        except discord.HTTPException:
            return None  # left the server: the DM goes to the bare id and may fail, the mod log still hears

    async def _rename(self, thread: discord.Thread) -> tuple[bool, bool]:
        """(renamed, Discord refused although we seemed allowed)."""
        if not _can(thread, "manage_threads"):
            return False, False
        try:
            await thread.edit(name=NEUTRAL_THREAD_NAME)
        except discord.HTTPException as error:
            log.warning("leak guard: renaming thread %s failed: %s %s", thread.id, error.status, error.code)
            return False, True
        return True, False

    async def _thread_notice(
        self, thread: discord.Thread, credentials: list[Credential], *, forum: bool, dm_sent: bool
    ) -> None:
        text = thread_notice_text(f"<@{thread.owner_id}>", credentials, forum=forum, dm_sent=dm_sent)
        try:
            await thread.send(text, allowed_mentions=only_author(discord.Object(thread.owner_id)))
        except discord.HTTPException as error:
            log.warning("leak guard: notice in thread %s failed: %s %s", thread.id, error.status, error.code)

    # -- telling people ---------------------------------------------------------------------------

    async def _send_dm(self, user: discord.abc.Snowflake, text: str) -> bool:
        try:
            channel = await self.bot.create_dm(user)
            await channel.send(text, allowed_mentions=NO_MENTIONS)
        except discord.Forbidden as error:
            if error.code != DMS_CLOSED:
                log.warning("leak guard: DM to %s refused: %s", user.id, error.code)
            return False
        except discord.HTTPException as error:
            log.warning("leak guard: DM to %s failed: %s %s", user.id, error.status, error.code)
            return False
        return True

    async def _alert_moderators(self, text: str) -> None:
        channel_id = self.bot.settings.mod_log_channel_id
        if channel_id is None:
            log.warning("leak guard: a credential stays up and MOD_LOG_CHANNEL_ID is not set; no moderator told")
            return
        channel = self.bot.get_channel(channel_id)
        if not isinstance(channel, discord.abc.Messageable):
            log.warning("leak guard: mod log channel %s not found", channel_id)
            return
        try:
            await channel.send(text, allowed_mentions=NO_MENTIONS)
        except discord.HTTPException as error:
            log.warning("leak guard: mod log alert failed: %s %s", error.status, error.code)
        else:
            metrics.LEAK_GUARD_ACTIONS.labels("mod_alerted").inc()


def _channel_name(channel: object) -> str:
    return f"#{getattr(channel, 'name', None) or 'a channel'}"


def _can(channel: object, permission: str) -> bool:
    """Whether the bot holds `permission` in a guild channel or thread (threads answer for their parent)."""
    if isinstance(channel, discord.PartialMessageable):
        return True  # not in the cache (a raw edit event): permissions unknown, so try and handle a 403
    guild = getattr(channel, "guild", None)
    permissions_for = getattr(channel, "permissions_for", None)
    if guild is None or guild.me is None or permissions_for is None:
        return False
    return bool(getattr(permissions_for(guild.me), permission))


async def setup(bot: AuthBot) -> None:
    await bot.add_cog(LeakGuard(bot))


def _count_actions(outcome: str, dm_sent: bool) -> None:
    """authbot_leak_guard_actions: what happened to the leak, and whether its author got the DM."""
    metrics.LEAK_GUARD_ACTIONS.labels(outcome).inc()
    if dm_sent:
        metrics.LEAK_GUARD_ACTIONS.labels("dm_sent").inc()
