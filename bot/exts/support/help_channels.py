"""Help-channel mode: in channels and forums listed in settings.help_channel_ids, answer on our own.

Rules, in the order they are checked:
- only people, only ordinary messages (no bots, webhooks or system messages);
- a moderator speaking marks the question as handled (a reply marks the replied message, a post in
  a help thread marks the thread), and the bot never answers something a moderator answered;
- in a help channel each message is a question; in a thread of a help forum (or channel) the
  thread is the question: only its owner's messages count, and the bot replies once — later only to a
  follow-up that asks it (mentions the bot or replies to its message);
- reply only when the engine is confident (settings.help_channel_threshold) and the message carries
  LiveChat-specific evidence; otherwise silence (the person can still ask with /diagnose or a mention),
  because a wrong unsolicited answer costs more than none;
- at most one answer per member per `help_channel_user_seconds` and `help_channel_answers_per_minute`
  per channel (a forum counts as one): repeated pastes and busy minutes get silence, not a wall of embeds;
- never point at a credential: a reply quotes and links the message it answers, so a message holding
  one (in its text or a text attachment, as the leak guard scans it) gets no reply. If the leak guard
  will delete it (enabled, channel not exempt, we hold Manage Messages) the answer is posted on its own,
  without a reference; if the message stays up, nothing public at all — the leak guard DMs the author
  and alerts the mod log, and an answer right under the message would draw eyes to it.
"""

from __future__ import annotations

import logging

import discord
from discord.ext import commands
from sqlalchemy.exc import SQLAlchemyError

from bot.app import AuthBot
from bot.credentials.leaks import leaked_credentials
from bot.exts.support._answers import diagnosis_reply, publish, record_diagnosis
from bot.exts.support._diagnosing import run_diagnosis
from bot.store import queries
from bot.utils.attachments import has_readable_attachments, message_text
from bot.utils.checks import message_author_is_moderator
from bot.utils.ratelimit import SlidingWindow

log = logging.getLogger(__name__)

READ_TIMEOUT = 2.0  # seconds; past it the question is judged on this process's memory alone
USER_MESSAGE_TYPES = (discord.MessageType.default, discord.MessageType.reply)


class HelpChannels(commands.Cog):
    def __init__(self, bot: AuthBot) -> None:
        self.bot = bot
        # Questions taken in this process. The database remembers them across restarts, but it is written
        # after the reply (bot.record) and may be unwritable: the claim itself must not depend on it.
        self.claimed: set[int] = set()
        # Unasked answers must not flood a channel: the same paste three times, or a busy minute.
        self.per_user = SlidingWindow(1, bot.settings.help_channel_user_seconds)
        self.per_channel = SlidingWindow(bot.settings.help_channel_answers_per_minute, 60.0)

    async def _answered(self, key: int) -> bool:
        """Claimed here, or answered by any process (the mark is in the shared database). A database that
        does not answer within READ_TIMEOUT leaves this process's own claims to decide."""
        if key in self.claimed:
            return True
        try:
            return await self.bot.store.is_answered(key, deadline=READ_TIMEOUT)
        except (SQLAlchemyError, OSError, TimeoutError) as error:
            log.warning("could not read whether %s was answered (treated as not): %s", key, error)
            return False

    def _mark(self, key: int, *, by: str) -> None:
        self.claimed.add(key)
        self.bot.record(queries.mark_answered, key, by=by)

    def _question_key(self, message: discord.Message) -> int | None:
        """What one answer covers: the thread for help threads, the message in a help channel."""
        channel = message.channel
        help_ids = self.bot.settings.help_channel_ids
        if isinstance(channel, discord.Thread):
            return channel.id if channel.parent_id in help_ids else None
        return message.id if channel.id in help_ids else None

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if message.guild is None or message.author.bot or message.webhook_id:
            return
        if message.type not in USER_MESSAGE_TYPES:  # joins, pins, thread-created notices
            return
        key = self._question_key(message)
        if key is None:
            return
        if message_author_is_moderator(message, self.bot.settings.moderator_role_ids):
            if isinstance(message.channel, discord.Thread):
                self._mark(key, by="moderator")
            if message.reference and message.reference.message_id:
                self._mark(message.reference.message_id, by="moderator")
            return
        asked = self._asks_the_bot(message)
        answered = await self._answered(key)
        if answered and not asked:
            return
        if isinstance(message.channel, discord.Thread) and message.author.id != message.channel.owner_id:
            return  # someone else chiming in on a thread is not the question
        await self._maybe_answer(message, key, asked=asked, answered=answered)

    def _asks_the_bot(self, message: discord.Message) -> bool:
        """A follow-up addressed to the bot: it mentions the bot, or replies to one of its messages."""
        me = self.bot.user
        if me is None:
            return False
        if me in message.mentions:
            return True
        resolved = message.reference.resolved if message.reference else None
        return isinstance(resolved, discord.Message) and resolved.author.id == me.id

    async def _maybe_answer(
        self, message: discord.Message, key: int, *, asked: bool = False, answered: bool = False
    ) -> None:
        guild_id = message.guild.id if message.guild else None
        read = await message_text(message) if has_readable_attachments(message) else message.content
        text = read
        if self.bot.user is not None:
            text = text.replace(f"<@{self.bot.user.id}>", "").replace(f"<@!{self.bot.user.id}>", "").strip()
        channel = message.channel
        if not asked and isinstance(channel, discord.Thread) and isinstance(channel.parent, discord.ForumChannel):
            # The post is the question, and its title is its headline: people put the error there and
            # "code below" in the body. Read them together, as a human helper would (only the owner's
            # messages in an unanswered post get here).
            text = f"{channel.name}\n\n{text}"
        diagnosis = run_diagnosis(self.bot, text, source="help-channel", guild_id=guild_id)
        top = diagnosis.top
        # Asked directly, the engine's own bar is enough: the person wants the bot's best answer. Unasked,
        # only a confident one that carries LiveChat-specific evidence (its hosts, token shapes, error
        # bodies, API names), because a wrong unsolicited answer costs more than none; on real traffic the
        # confident guesses without such evidence were mostly other products' questions.
        threshold = 0.0 if asked else self.bot.settings.help_channel_threshold
        if diagnosis.abstained or top is None or top.score < threshold:
            return
        if not asked and not diagnosis.livechat_evidence:
            return
        channel_key = getattr(message.channel, "parent_id", None) or message.channel.id  # a forum, not a post
        if self.per_user.retry_after(message.author.id) or self.per_channel.retry_after(channel_key):
            log.info("Help-channel answer to message %s throttled (user or channel limit)", message.id)
            return
        # Claim the question (and the limits) before the first await: another message in the same thread
        # may be handled while this reply is in flight, and it must see the thread as taken.
        follow_up = answered or key in self.claimed  # asked again in an answered thread: the claim stays
        self.claimed.add(key)
        self.per_user.hit(message.author.id)
        self.per_channel.hit(channel_key)
        reply_to: discord.Message | None = message
        if self._holds_credential(message, read):
            if not self._leak_guard_removes(message):
                # The credential stays public: any answer would point at it. Give the thread back so a
                # clean follow-up (or the question re-asked without the token) still gets an answer.
                self._release(key, message.author.id, channel_key, keep_claim=follow_up)
                log.info("Help-channel answer to message %s withheld: it holds a credential", message.id)
                return
            reply_to = None  # the leak guard deletes it: answer, but point at nothing
        try:
            await publish(
                self.bot,
                diagnosis_reply(self.bot, diagnosis, asker=message.author),
                message.channel,
                reply_to=reply_to,
                asker=message.author,
                by="bot",
            )
        except discord.HTTPException as error:
            # A later message may get an answer instead.
            self._release(key, message.author.id, channel_key, keep_claim=follow_up)
            log.warning("Help-channel answer in %s failed: %s", message.channel.id, error)
            return
        self.bot.record(queries.mark_answered, key, by="bot")
        self.bot.record(record_diagnosis, diagnosis, source="help-channel", guild_id=guild_id)

    def _release(self, key: int, user_id: int, channel_key: int, *, keep_claim: bool) -> None:
        """Nothing was posted: give back the claim (unless the question was answered before) and the
        limits the answer took."""
        if not keep_claim:
            self.claimed.discard(key)
        self.per_user.undo(user_id)
        self.per_channel.undo(channel_key)

    def _holds_credential(self, message: discord.Message, read: str) -> bool:
        """What the leak guard acts on, judged on what it scans: `read` is the message's text with its text
        attachments and screenshots, already read for the diagnosis (no second download or OCR), and a
        thread's title counts too."""
        include_foreign = self.bot.settings.leak_guard_foreign_secrets
        if leaked_credentials(read, include_foreign=include_foreign):
            return True
        title = message.channel.name if isinstance(message.channel, discord.Thread) else ""
        # the post's title is read with its body, so it counts as the question too
        return bool(title) and bool(leaked_credentials(title, include_foreign=include_foreign))

    def _leak_guard_removes(self, message: discord.Message) -> bool:
        """Whether the leak guard will delete this message: it is on, the channel is not exempt, and we
        hold Manage Messages there (a thread answers for its parent). A delete Discord refuses anyway is
        not foreseeable; the answer then stands on its own, without pointing at the message."""
        settings = self.bot.settings
        channel = message.channel
        exempt = set(settings.leak_guard_exempt_channel_ids)
        if not settings.leak_guard or channel.id in exempt or getattr(channel, "parent_id", None) in exempt:
            return False
        guild = message.guild
        if guild is None or guild.me is None or not hasattr(channel, "permissions_for"):
            return False
        return channel.permissions_for(guild.me).manage_messages


async def setup(bot: AuthBot) -> None:
    await bot.add_cog(HelpChannels(bot))
