"""The Discord bot factory: `create_bot()` returns an unstarted bot, ready for `start()` or simcord.

Features live in extensions (bot/exts/<area>/<feature>.py), loaded from `EXTENSIONS` in
`setup_hook`; the bot itself only holds what they share: settings, the diagnosis engine (swapped
atomically by `/kb reload`), the store (SQLite or PostgreSQL, bot/store/) with its write queue, and
the metrics endpoint when METRICS_PORT is set.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
from collections.abc import Callable
from typing import Any, cast

import discord
from discord import app_commands
from discord.ext import commands

from bot import metrics
from bot.core.log_filter import install_redaction_filter
from bot.core.pipeline import Engine
from bot.settings import Settings
from bot.store import AsyncStore
from bot.store.async_store import prepare
from bot.store.location import database_location
from bot.store.recorder import Recorder
from bot.tree import AuthTree

log = logging.getLogger(__name__)

EXTENSIONS: list[str] = [
    "bot.exts.backend.heartbeat",
    "bot.exts.support.feedback",
    "bot.exts.support.escalation",
    "bot.exts.support.diagnose",
    "bot.exts.support.faq",
    "bot.exts.support.help_channels",
    "bot.exts.moderation.answer",
    "bot.exts.kb.manage",
    "bot.exts.kb.examples",  # adds /kb examples to manage's /kb group
    "bot.exts.info.help",
    "bot.exts.info.mentions",
    "bot.exts.credentials.token_check",
    "bot.exts.credentials.leak_guard",
]
#: Extensions that are loaded when present; a missing or broken one is logged, not fatal.
OPTIONAL_EXTENSIONS = frozenset({"bot.exts.credentials.token_check", "bot.exts.credentials.leak_guard"})


def commands_digest(tree: app_commands.CommandTree, guild: discord.Object | None) -> str:
    """A digest of what `tree.sync(guild=guild)` would send: equal digests mean nothing to sync."""
    payload = sorted(
        (command.to_dict(tree) for command in tree.get_commands(guild=guild)),
        key=lambda c: (c.get("type", 1), c["name"]),
    )
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


EMPTY_DIGEST = hashlib.sha256(b"[]").hexdigest()


def intents_for(settings: Settings) -> discord.Intents:
    """Only what is used: message content is privileged and needed only to read ordinary messages."""
    intents = discord.Intents.none()
    intents.guilds = True  # channel, thread and role caches behind interactions and permission checks
    reads_messages = bool(settings.help_channel_ids) or settings.leak_guard
    intents.guild_messages = reads_messages
    intents.message_content = reads_messages
    return intents


def _importable(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:  # the parent package does not exist yet
        return False


class AuthBot(commands.Bot):
    def __init__(self, settings: Settings, engine: Engine, store: AsyncStore, **options: object) -> None:
        # The bot never joins voice: without this, every start logs two warnings about voice libraries.
        discord.VoiceClient.warn_nacl = discord.VoiceClient.warn_dave = False
        super().__init__(
            command_prefix=commands.when_mentioned,  # slash commands only; a prefix is required by Bot
            help_command=None,
            intents=intents_for(settings),
            allowed_mentions=discord.AllowedMentions.none(),
            tree_cls=AuthTree,
            **options,  # type: ignore[arg-type]
        )
        self.settings = settings
        self.engine = engine
        self.store = store
        self.recorder = Recorder(store)
        self.force_sync = False  # `authbot sync`: sync even when the tree is unchanged
        #: (message id, entry id) -> link of the answer posted on it: the same answer goes out once.
        self.published: dict[tuple[int, str], str] = {}

    def record(self, write: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        """Queue `write(connection, *args)` (bot.store.queries) to run after the reply, batched with others;
        a database that fails costs the stats only, and is logged."""
        self.recorder.record(write, *args, **kwargs)

    async def on_message(self, message: discord.Message, /) -> None:
        """No prefix commands: never parse messages as commands (a mention used to log CommandNotFound)."""

    async def setup_hook(self) -> None:
        if self.settings.metrics_port:
            metrics.serve(self.settings.metrics_port, self.settings.metrics_host, self.shard_latencies)
        await self.load_extensions()
        await self.sync_commands(force=self.force_sync)

    async def load_extensions(self) -> None:
        for name in EXTENSIONS:
            if name in OPTIONAL_EXTENSIONS and not _importable(name):
                log.info("Extension %s is not present; skipping it", name)
                continue
            try:
                await self.load_extension(name)
            except commands.ExtensionError:
                if name not in OPTIONAL_EXTENSIONS:
                    raise
                log.exception("Optional extension %s failed to load; running without it", name)

    async def sync_commands(self, *, force: bool = False) -> bool:
        """Sync the command tree to Discord only when it differs from the last tree synced from this
        database (or when forced: `authbot sync`, `/kb sync`). Returns whether anything was sent.

        Why not on every start: each sync rewrites every command, so a deploy or a crash loop churned
        them (and spent the rate limit) for nothing. A dev guild gets the commands instantly; the
        application's global commands are then emptied, or the dev guild would list each one twice.
        """
        if self.settings.shard_ids and 0 not in self.settings.shard_ids:
            # Commands belong to the application, not to a shard: with N shard processes, the one
            # running shard 0 syncs and the others skip N-1 identical PUTs (and their rate limits).
            log.info("Not syncing commands: shard 0 runs in another process")
            return False
        dev_guild = discord.Object(self.settings.dev_guild_id) if self.settings.dev_guild_id else None
        if dev_guild is not None:
            self.tree.copy_global_to(guild=dev_guild)
        synced = await self._sync_scope(dev_guild, force=force)
        if dev_guild is not None:
            synced = await self._sync_scope(None, force=force, empty=True) or synced
        return synced

    async def _sync_scope(self, guild: discord.Object | None, *, force: bool, empty: bool = False) -> bool:
        scope = "global" if guild is None else f"guild {guild.id}"
        key = f"commands:{self.application_id}:{'global' if guild is None else guild.id}"
        digest = EMPTY_DIGEST if empty else commands_digest(self.tree, guild)
        if not force and await self.store.get_meta(key) == digest:
            log.info("Commands (%s) unchanged since the last sync; not syncing", scope)
            return False
        if empty:
            # Straight to the API: emptying the tree's global commands would also drop them from /help.
            assert self.application_id is not None  # set by login, which runs before setup_hook
            await self.http.bulk_upsert_global_commands(self.application_id, payload=[])
        else:
            await self.tree.sync(guild=guild)
        await self.store.set_meta(key, digest)
        log.info("Commands (%s) synced", scope)
        return True

    def shard_latencies(self) -> list[tuple[int, float]]:
        """(shard id, gateway heartbeat latency in seconds) for each shard this process runs."""
        return [(self.shard_id or 0, self.latency)]

    async def close(self) -> None:
        await super().close()
        await self.recorder.close()  # writes of the last replies, before the connection goes
        await self.store.close()


class ShardedAuthBot(AuthBot, commands.AutoShardedBot):
    """Same bot, several gateway connections (settings.shard_count)."""

    def shard_latencies(self) -> list[tuple[int, float]]:
        return list(self.latencies)


def bot_of(interaction: discord.Interaction) -> AuthBot:
    """The bot behind an interaction, typed: views and buttons reach settings, engine and store through it."""
    return cast(AuthBot, interaction.client)


def create_bot(settings: Settings | None = None, *, engine: Engine | None = None) -> AuthBot:
    """An unstarted bot. `engine` lets tests share one already-loaded knowledge base."""
    settings = settings or Settings()
    install_redaction_filter()  # no log record leaves the process with a credential in it
    engine = engine or Engine.from_directory(settings.knowledge_dir)
    location = database_location(settings)  # UnsupportedDatabase for a DATABASE_URL we cannot serve
    prepare(location)  # migrations, before the event loop runs (they take a cross-process lock)
    store = AsyncStore(location)
    if settings.shard_count:
        return ShardedAuthBot(
            settings, engine, store, shard_count=settings.shard_count, shard_ids=settings.shard_ids or None
        )
    return AuthBot(settings, engine, store)
