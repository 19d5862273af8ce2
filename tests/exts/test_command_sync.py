"""Commands are synced only when they changed (issue 10, point 6): a restart with the same commands
makes no request, a dev guild never shows each command twice, and a sync can be forced."""

from __future__ import annotations

import discord
import pytest
from simcord import assert_responded


def command_puts(world) -> list:
    return [r for r in world.env.http_requests if r.method == "PUT" and r.path.endswith("/commands")]


async def test_a_restart_with_the_same_commands_does_not_sync(world):
    before = len(command_puts(world))

    await world.restart()

    assert len(command_puts(world)) == before
    assert_responded(await world.alice.slash(world.general, "faq", topic="pat-create"), ephemeral=False)


async def test_changed_commands_are_synced_on_start(world):
    before = len(command_puts(world))
    await world.bot.store.set_meta(f"commands:{world.bot.application_id}:global", "an older tree")

    await world.restart()

    assert len(command_puts(world)) == before + 1


async def test_the_dev_guild_shows_each_command_once(world):
    assert {c.name for c in await world.bot.tree.fetch_commands()} >= {"diagnose", "faq"}  # synced globally first

    await world.restart(dev_guild_id=world.guild.id)

    guild = discord.Object(world.guild.id)
    assert {c.name for c in await world.bot.tree.fetch_commands(guild=guild)} >= {"diagnose", "faq"}
    assert await world.bot.tree.fetch_commands() == []  # no global twin of each guild command
    assert_responded(await world.alice.slash(world.general, "faq", topic="pat-create"), ephemeral=False)


async def test_a_forced_sync_always_syncs(world):
    before = len(command_puts(world))

    await world.bot.sync_commands(force=True)

    assert len(command_puts(world)) == before + 1


def test_the_digest_follows_the_commands(simcord_bot):
    from bot.app import commands_digest

    tree = simcord_bot.tree
    first = commands_digest(tree, None)
    assert first == commands_digest(tree, None)

    @tree.command(name="extra", description="x")
    async def extra(interaction: discord.Interaction) -> None: ...

    assert commands_digest(tree, None) != first


@pytest.mark.parametrize("settings_overrides", [{"shard_count": 2, "shard_ids": [1]}], indirect=True)
async def test_only_shard_zero_syncs(simcord_bot, caplog):
    assert not await simcord_bot.sync_commands()


async def test_kb_sync_is_for_the_owner_only(world):
    before = len(command_puts(world))
    refused = await world.mod.slash(world.general, "kb sync")
    assert_responded(refused, ephemeral=True, contains="Only the bot's owner")
    assert len(command_puts(world)) == before

    world.bot.owner_id = world.mod.id  # discord.py's owner setting; by default the application's owner
    synced = await world.mod.slash(world.general, "kb sync")

    assert "synced" in synced.response.content and synced.response.ephemeral
    assert len(command_puts(world)) == before + 1
