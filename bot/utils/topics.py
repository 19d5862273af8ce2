"""Choosing a knowledge entry by typing: autocomplete choices and resolving what was typed."""

from __future__ import annotations

from discord import app_commands

from bot.core.pipeline import Engine
from bot.render.limits import CHOICE_NAME, CHOICES, truncate


def topic_choices(engine: Engine, typed: str) -> list[app_commands.Choice[str]]:
    """At most 25 choices, names at most 100 characters: Discord rejects the whole list otherwise."""
    entries = engine.matcher.search(typed, limit=CHOICES)[:CHOICES]
    return [app_commands.Choice(name=truncate(entry.title, CHOICE_NAME), value=entry.id) for entry in entries]


def resolve_topic(engine: Engine, typed: str) -> str | None:
    """The entry id for what was typed: an exact id (autocomplete sends those), else the best fuzzy match."""
    typed = typed.strip()
    if typed in engine.kb.entries:
        return typed
    found = engine.matcher.search(typed, limit=1) if typed else []
    return found[0].id if found else None
