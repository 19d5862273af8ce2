"""What the store hands back: plain frozen dataclasses, no database objects."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Vote(StrEnum):
    new = "new"
    changed = "changed"
    same = "same"


@dataclass(frozen=True)
class EntryStats:
    entry_id: str
    uses: int
    solved: int
    not_solved: int

    @property
    def solved_ratio(self) -> float | None:
        votes = self.solved + self.not_solved
        return self.solved / votes if votes else None


@dataclass(frozen=True)
class UnansweredQuestion:
    created_at: str  # ISO-8601, UTC
    guild_id: int | None
    source: str
    text: str
    best_guess: str | None
    confidence: float


@dataclass(frozen=True)
class Stats:
    diagnoses: int
    abstained: int
    votes: int
    top_entries: list[EntryStats]
    recent_unanswered: list[UnansweredQuestion]
    median_latency_ms: float | None = None  # None until a diagnosis with a measured latency exists


@dataclass(frozen=True)
class VoteRef:
    """A vote is keyed by the answer message it sits under and the member who cast it."""

    message_id: int
    user_id: int


@dataclass(frozen=True)
class LabelledExample:
    """A moderator's label for a member's question (issue 15's learning loop reads these)."""

    id: int
    created_at: datetime  # aware, UTC
    guild_id: int | None
    channel_id: int
    message_id: int
    text: str  # redacted
    chosen_entry: str
    bot_entry: str | None
    bot_confidence: float
    bot_abstained: bool
    labelled_by: int
    source: str  # 'slash' | 'context_menu'
    linked_vote: VoteRef | None
