"""Choosing a knowledge entry by typing: autocomplete choices and resolving what was typed."""

from __future__ import annotations

from discord import app_commands

from bot.core.pipeline import Engine
from bot.render.limits import CHOICE_NAME, CHOICES, truncate


def topic_choices(engine: Engine, typed: str) -> list[app_commands.Choice[str]]:
    """At most 25 choices, names at most 100 characters: Discord rejects the whole list otherwise.

    The title search suits a few typed characters; once the text reads like a question
    ("refresh customer token") the engine ranks it better, so its confident matches lead.
    """
    ids: list[str] = []
    diagnosis = engine.diagnose(typed) if len(typed.split()) >= 2 else None
    if diagnosis and not diagnosis.abstained:
        ids += [match.entry_id for match in diagnosis.matches]
    ids += [entry.id for entry in engine.matcher.search(typed, limit=CHOICES)]
    entries = [engine.kb.entries[entry_id] for entry_id in dict.fromkeys(ids)][:CHOICES]
    return [app_commands.Choice(name=truncate(entry.title, CHOICE_NAME), value=entry.id) for entry in entries]


def resolve_topic(engine: Engine, typed: str) -> str | None:
    """The entry id for what was typed without picking a choice.

    An exact id first (autocomplete sends those); then the engine, because people type questions
    ("create a personal access token") that it ranks far better than a title search; then the
    title search, for fragments the engine abstains on.
    """
    typed = typed.strip()
    if not typed:
        return None
    if typed in engine.kb.entries:
        return typed
    diagnosis = engine.diagnose(typed)
    if not diagnosis.abstained and diagnosis.top:
        return diagnosis.top.entry_id
    found = engine.matcher.search(typed, limit=1)
    return found[0].id if found else None
