"""SQLite storage for what the Discord bot learns while running: votes, diagnoses, usage, answered messages."""

from bot.store.db import Store, Vote

__all__ = ["Store", "Vote"]
