"""Leak guard: a credential posted (or edited in) in a guild channel is deleted, the author told privately
how to revoke it, and the channel told briefly — with only the redacted form and a ping for the author alone.

Order matters: delete first (every second public counts), then DM (so the notice can say whether the DM
went through), then the notice. Without Manage Messages we warn in the channel and alert the moderators'
log channel. Nothing of the raw message is stored or logged: logs carry ids and credential kinds only.

Answering the question in the message is left to the help-channel cog, which sees the same message and
answers from the redacted diagnosis (its reply uses `fail_if_not_exists=False`, so it still posts after
we deleted the message). The notice carries no diagnosis, so there is never a second answer.
"""

from __future__ import annotations

import logging
from collections import OrderedDict

import discord
from discord.ext import commands

from bot.app import AuthBot
from bot.core.diagnosis import Credential
from bot.credentials.leaks import dm_text, leaked_credentials, modlog_text, notice_text
from bot.utils.replies import NO_MENTIONS

log = logging.getLogger(__name__)

USER_MESSAGE_TYPES = (discord.MessageType.default, discord.MessageType.reply)
DMS_CLOSED = 50007
SEEN_LIMIT = 1000  # message ids already handled: an unfurl edit must not warn twice


def only_author(author: discord.abc.User) -> discord.AllowedMentions:
    return discord.AllowedMentions(everyone=False, roles=False, users=[author], replied_user=False)


class LeakGuard(commands.Cog):
    def __init__(self, bot: AuthBot) -> None:
        self.bot = bot
        self._handled: OrderedDict[int, None] = OrderedDict()

    # -- which messages ---------------------------------------------------------------------------

    def _guarded(self, message: discord.Message) -> bool:
        settings = self.bot.settings
        if not settings.leak_guard or message.guild is None:
            return False
        if message.author.bot or message.webhook_id or message.type not in USER_MESSAGE_TYPES:
            return False
        channel = message.channel
        exempt = set(settings.leak_guard_exempt_channel_ids)
        parent_id = getattr(channel, "parent_id", None)
        return channel.id not in exempt and parent_id not in exempt

    def _seen(self, message_id: int) -> bool:
        if message_id in self._handled:
            return True
        self._handled[message_id] = None
        while len(self._handled) > SEEN_LIMIT:
            self._handled.popitem(last=False)
        return False

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        await self.guard(message, edited=False)

    @commands.Cog.listener()
    async def on_raw_message_edit(self, payload: discord.RawMessageUpdateEvent) -> None:
        # Raw, not on_message_edit: an edit to a message older than the cache must be caught too.
        before = payload.cached_message
        if before is not None and before.content == payload.message.content:
            return  # an embed unfurl or a pin, not a text change
        await self.guard(payload.message, edited=True)

    # -- what happens -----------------------------------------------------------------------------

    async def guard(self, message: discord.Message, *, edited: bool) -> None:
        if not self._guarded(message):
            return
        credentials = leaked_credentials(message.content, include_foreign=self.bot.settings.leak_guard_foreign_secrets)
        if not credentials or self._seen(message.id):
            return
        kinds = sorted({c.kind.value for c in credentials})
        deleted, gone = await self._delete(message)
        dm_sent = await self._dm(message, credentials, deleted=deleted, gone=gone, edited=edited)
        await self._notice(message, credentials, deleted=deleted, gone=gone, dm_sent=dm_sent, edited=edited)
        if not deleted and not gone:
            await self._alert_moderators(message, credentials)
        log.info(
            "leak guard: %s in message %s (channel %s, author %s); deleted=%s dm=%s",
            ",".join(kinds), message.id, message.channel.id, message.author.id, deleted, dm_sent,
        )

    async def _delete(self, message: discord.Message) -> tuple[bool, bool]:
        """(deleted by us, already gone)."""
        try:
            await message.delete()
        except discord.NotFound:
            return False, True
        except discord.Forbidden:
            return False, False
        except discord.HTTPException as error:
            log.warning("leak guard: could not delete message %s: %s %s", message.id, error.status, error.code)
            return False, False
        return True, False

    async def _dm(
        self, message: discord.Message, credentials: list[Credential], *, deleted: bool, gone: bool, edited: bool
    ) -> bool:
        channel_name = f"#{getattr(message.channel, 'name', 'a channel')}"
        text = dm_text(credentials, channel=channel_name, deleted=deleted, gone=gone, edited=edited)
        try:
            await message.author.send(text, allowed_mentions=NO_MENTIONS)
        except discord.Forbidden as error:
            if error.code != DMS_CLOSED:
                log.warning("leak guard: DM to %s refused: %s", message.author.id, error.code)
            return False
        except discord.HTTPException as error:
            log.warning("leak guard: DM to %s failed: %s %s", message.author.id, error.status, error.code)
            return False
        return True

    async def _notice(
        self, message: discord.Message, credentials: list[Credential], *,
        deleted: bool, gone: bool, dm_sent: bool, edited: bool,
    ) -> None:
        text = notice_text(
            message.author.mention, credentials, deleted=deleted, gone=gone, dm_sent=dm_sent, edited=edited
        )
        reference = None if deleted or gone else message.to_reference(fail_if_not_exists=False)
        try:
            await message.channel.send(text, allowed_mentions=only_author(message.author), reference=reference)
        except discord.HTTPException as error:
            log.warning("leak guard: notice in %s failed: %s %s", message.channel.id, error.status, error.code)

    async def _alert_moderators(self, message: discord.Message, credentials: list[Credential]) -> None:
        channel_id = self.bot.settings.mod_log_channel_id
        if channel_id is None:
            return
        channel = self.bot.get_channel(channel_id)
        if not isinstance(channel, discord.abc.Messageable):
            log.warning("leak guard: mod log channel %s not found", channel_id)
            return
        text = modlog_text(message.author.id, message.channel.id, message.jump_url, credentials)
        try:
            await channel.send(text, allowed_mentions=NO_MENTIONS)
        except discord.HTTPException as error:
            log.warning("leak guard: mod log alert failed: %s %s", error.status, error.code)


async def setup(bot: AuthBot) -> None:
    await bot.add_cog(LeakGuard(bot))
