"""create_bot(): intents, mentions, extensions, command sync, sharding."""

from __future__ import annotations

import asyncio
import logging

import discord
import pytest
from simcord import assert_responded

from bot import app
from bot.app import ShardedAuthBot, create_bot, intents_for
from bot.settings import Settings


def settings(**values) -> Settings:
    return Settings(_env_file=None, **{"help_channel_ids": [], "leak_guard": False, **values})


@pytest.mark.parametrize(
    ("values", "reads_messages"),
    [({}, False), ({"help_channel_ids": [1]}, True), ({"leak_guard": True}, True)],
    ids=["slash-only", "help-channels", "leak-guard"],
)
def test_intents_are_only_what_is_used(values, reads_messages):
    intents = intents_for(settings(**values))
    assert intents.guilds
    assert intents.message_content is reads_messages and intents.guild_messages is reads_messages
    assert not intents.members and not intents.presences  # never needed


def test_bot_pings_nobody_by_default(simcord_bot):
    mentions = simcord_bot.allowed_mentions
    assert mentions is not None and not mentions.replied_user
    assert mentions is not None and mentions.to_dict() == {"parse": []}  # and replied_user off


async def test_optional_extensions_are_skipped_when_missing(simcord_bot, monkeypatch, caplog):
    missing = "bot.exts.credentials.not_written_yet"
    monkeypatch.setattr(app, "EXTENSIONS", [*app.EXTENSIONS, missing])
    monkeypatch.setattr(app, "OPTIONAL_EXTENSIONS", app.OPTIONAL_EXTENSIONS | {missing})

    with caplog.at_level(logging.INFO, logger="bot.app"):
        await simcord_bot.load_extensions()

    assert "bot.exts.support.diagnose" in simcord_bot.extensions and missing not in simcord_bot.extensions
    assert missing in caplog.text


async def test_a_missing_required_extension_is_an_error(simcord_bot, monkeypatch):
    monkeypatch.setattr(app, "EXTENSIONS", ["bot.exts.support.not_there"])
    with pytest.raises(discord.ext.commands.ExtensionNotFound):
        await simcord_bot.load_extensions()


async def test_dev_guild_gets_the_commands_directly(world):
    await world.restart(dev_guild_id=world.guild.id)

    guild_commands = await world.bot.tree.fetch_commands(guild=discord.Object(world.guild.id))

    assert {"diagnose", "faq", "answer", "kb", "help"} <= {c.name for c in guild_commands}
    assert_responded(await world.alice.slash(world.general, "faq", topic="pat-create"), ephemeral=False)


@pytest.mark.parametrize("settings_overrides", [{"shard_count": 2}], indirect=True)
async def test_sharded_bot_answers(world):
    assert isinstance(world.bot, ShardedAuthBot)
    assert_responded(await world.alice.slash(world.general, "faq", topic="pat-create"), ephemeral=False)


def test_create_bot_reads_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "env.sqlite3"))
    monkeypatch.setenv("LEAK_GUARD", "false")
    monkeypatch.delenv("HELP_CHANNEL_IDS", raising=False)
    bot = create_bot()
    try:
        assert bot.settings.database_path == tmp_path / "env.sqlite3"
        assert not bot.intents.message_content
        assert len(bot.engine.kb) > 0
    finally:
        asyncio.run(bot.store.close())
