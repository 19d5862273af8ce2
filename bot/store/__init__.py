"""The bot's database: feedback votes, diagnoses (redacted text only), usage, answered questions, labelled
examples. SQLite by default, PostgreSQL when several processes share it (README, Deploy → Scaling out)."""

from bot.store.async_store import AsyncStore
from bot.store.db import Store
from bot.store.models import LabelledExample, Stats, Vote, VoteRef
from bot.store.schema import MAX_STORED_TEXT

__all__ = ["MAX_STORED_TEXT", "AsyncStore", "LabelledExample", "Stats", "Store", "Vote", "VoteRef"]
