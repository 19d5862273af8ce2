"""Every command the bot registers is valid for Discord and unique: fails on a name collision,
an over-long name or description, or a command without a per-user cooldown."""

from __future__ import annotations

import re
from collections import Counter

from discord import app_commands

from bot.render.limits import COMMAND_DESCRIPTION, COMMAND_NAME

SLASH_NAME = re.compile(r"^[-_\w]{1,32}$")
OPTIONS = 25


def _leaves(command):
    if isinstance(command, app_commands.Group):
        for child in command.commands:
            yield from _leaves(child)
    else:
        yield command


def _kind(command) -> str:
    return command.type.name if isinstance(command, app_commands.ContextMenu) else "slash"


def registry_problems(commands: list) -> list[str]:
    problems: list[str] = []
    keys = Counter((_kind(c), c.name) for c in commands)
    problems += [f"duplicate {kind} command {name!r}" for (kind, name), count in keys.items() if count > 1]
    for command in commands:
        if isinstance(command, app_commands.ContextMenu):
            if not 1 <= len(command.name) <= COMMAND_NAME:
                problems.append(f"context menu name {command.name!r} is not 1-32 characters")
            continue
        if isinstance(command, app_commands.Group):
            children = Counter(child.name for child in command.commands)
            problems += [f"duplicate subcommand {command.name} {n}" for n, count in children.items() if count > 1]
        nodes = [command, *(command.walk_commands() if isinstance(command, app_commands.Group) else [])]
        for node in nodes:
            if not SLASH_NAME.match(node.name) or node.name != node.name.lower():
                problems.append(f"/{node.qualified_name}: invalid name")
            if not 1 <= len(node.description) <= COMMAND_DESCRIPTION:
                problems.append(f"/{node.qualified_name}: description is {len(node.description)} characters")
        for leaf in _leaves(command):
            if len(leaf.parameters) > OPTIONS:
                problems.append(f"/{leaf.qualified_name}: more than {OPTIONS} options")
            for parameter in leaf.parameters:
                if not 1 <= len(parameter.description) <= COMMAND_DESCRIPTION:
                    problems.append(f"/{leaf.qualified_name} {parameter.name}: description length")
    return problems


def missing_cooldowns(commands: list) -> list[str]:
    leaves = [leaf for command in commands for leaf in _leaves(command)]
    return [
        leaf.qualified_name
        for leaf in leaves
        if not any("cooldown" in getattr(check, "__qualname__", "") for check in leaf.checks)
    ]


def _command(name: str, description: str = "Does a thing.") -> app_commands.Command:
    async def callback(interaction) -> None: ...

    return app_commands.Command(name=name, description=description, callback=callback)


def test_the_checker_catches_collisions_and_long_descriptions():
    colliding = [_command("faq"), _command("faq"), _command("long", "x" * 101)]
    problems = registry_problems(colliding)
    assert "duplicate slash command 'faq'" in problems
    assert "/long: description is 101 characters" in problems


async def test_every_registered_command_is_valid_unique_and_rate_limited(simcord_bot):
    await simcord_bot.load_extensions()  # any collision between extensions already raises here
    commands = simcord_bot.tree.get_commands()

    assert registry_problems(commands) == []
    assert missing_cooldowns(commands) == []
    names = {c.name for c in commands}
    assert {"diagnose", "faq", "answer", "kb", "help", "Diagnose message", "Answer with FAQ"} <= names


async def test_moderator_commands_are_hidden_by_default(simcord_bot):
    await simcord_bot.load_extensions()
    hidden = {c.name for c in simcord_bot.tree.get_commands() if c.default_permissions is not None}
    assert {"answer", "kb", "Answer with FAQ"} <= hidden
    assert not {"diagnose", "faq", "help", "Diagnose message"} & hidden
