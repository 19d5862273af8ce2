"""The bot's SQLite store (stdlib sqlite3). One connection.

Every statement is a single indexed row write or a small aggregate, well under a millisecond on a
local file. Reads that decide a reply run on the event loop; the bot's bookkeeping writes go through
`bot.store.recorder.Recorder`, off the reply path.
Only redacted text is ever written: `record_diagnosis` takes the `Diagnosis`, not a string.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

from bot.core.diagnosis import Diagnosis
from bot.core.redact import scrub
from bot.store.migrations import migrate

MAX_STORED_TEXT = 2000  # a question longer than this is a log paste; the start is what a human reads


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
    created_at: str
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


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Store:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.schema_version = migrate(conn)

    @classmethod
    def open(cls, path: Path | str) -> Store:
        """Open (creating if needed) the database at `path`; ":memory:" gives a throwaway one."""
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        # Autocommit mode: each write is durable on return, and migrations manage their own BEGIN.
        # check_same_thread=False: the Recorder writes from a worker thread so a slow or locked database
        # never blocks the event loop; SQLite itself is built serialized (sqlite3.threadsafety == 3).
        conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA foreign_keys = ON")
        if str(path) != ":memory:":
            conn.execute("PRAGMA journal_mode = WAL")  # `authbot report` may read while the bot writes
        return cls(conn)

    def close(self) -> None:
        self.conn.close()

    # -- writes --------------------------------------------------------------------------------

    def record_diagnosis(self, diagnosis: Diagnosis, *, source: str, guild_id: int | None) -> None:
        top = diagnosis.top
        self.conn.execute(
            "INSERT INTO diagnoses (created_at, guild_id, source, text, entry_id, confidence, abstained, latency_ms)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                _now(),
                guild_id,
                source,
                scrub(diagnosis.text)[:MAX_STORED_TEXT],  # already redacted; scrubbed again as the last check
                top.entry_id if top else None,
                top.score if top else 0.0,
                int(diagnosis.abstained and diagnosis.answer.escalate),  # a thank-you is not an unanswered question
                round(diagnosis.ms, 3),
            ),
        )

    def record_vote(self, *, message_id: int, user_id: int, entry_id: str, solved: bool, guild_id: int | None) -> Vote:
        """One vote per user per answer message; a second click replaces the first."""
        previous = self.vote_of(message_id, user_id)
        self.conn.execute(
            "INSERT INTO votes (message_id, user_id, entry_id, solved, guild_id, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (message_id, user_id) DO UPDATE SET solved = excluded.solved,"
            " entry_id = excluded.entry_id, updated_at = excluded.updated_at",
            (message_id, user_id, entry_id, int(solved), guild_id, _now()),
        )
        if previous is None:
            return Vote.new
        return Vote.same if previous == solved else Vote.changed

    def count(self, kind: str, name: str) -> None:
        """Bump a usage counter, e.g. ("command", "faq") or ("entry", "pat-create")."""
        self.conn.execute(
            "INSERT INTO usage (kind, name, count) VALUES (?, ?, 1)"
            " ON CONFLICT (kind, name) DO UPDATE SET count = count + 1",
            (kind, name),
        )

    def mark_answered(self, target_id: int, *, by: str) -> None:
        self.conn.execute(
            "INSERT OR IGNORE INTO answered (target_id, answered_by, created_at) VALUES (?, ?, ?)",
            (target_id, by, _now()),
        )

    def unmark_answered(self, target_id: int) -> None:
        self.conn.execute("DELETE FROM answered WHERE target_id = ?", (target_id,))

    def set_meta(self, key: str, value: str) -> None:
        self.conn.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    # -- reads ---------------------------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def vote_of(self, message_id: int, user_id: int) -> bool | None:
        row = self.conn.execute(
            "SELECT solved FROM votes WHERE message_id = ? AND user_id = ?", (message_id, user_id)
        ).fetchone()
        return None if row is None else bool(row[0])

    def is_answered(self, target_id: int) -> bool:
        row = self.conn.execute("SELECT 1 FROM answered WHERE target_id = ?", (target_id,)).fetchone()
        return row is not None

    def usage(self, kind: str) -> dict[str, int]:
        rows = self.conn.execute("SELECT name, count FROM usage WHERE kind = ?", (kind,))
        return dict(rows.fetchall())

    def unanswered(self, limit: int = 1000) -> list[UnansweredQuestion]:
        """The most recent questions the bot abstained on, newest first."""
        rows = self.conn.execute(
            "SELECT created_at, guild_id, source, text, entry_id, confidence FROM diagnoses"
            " WHERE abstained = 1 ORDER BY id DESC LIMIT ?",
            (limit,),
        )
        return [UnansweredQuestion(*row) for row in rows.fetchall()]

    def stats(self, *, top: int = 10, recent: int = 5) -> Stats:
        diagnoses, abstained = self.conn.execute(
            "SELECT COUNT(*), COALESCE(SUM(abstained), 0) FROM diagnoses"
        ).fetchone()
        votes = dict(
            ((entry_id, bool(solved)), count)
            for entry_id, solved, count in self.conn.execute(
                "SELECT entry_id, solved, COUNT(*) FROM votes GROUP BY entry_id, solved"
            )
        )
        uses = self.usage("entry")
        # An entry can have votes without a counted use (e.g. counted before a reset), so take both.
        ids = set(uses) | {entry_id for entry_id, _ in votes}
        entries = [
            EntryStats(entry_id, uses.get(entry_id, 0), votes.get((entry_id, True), 0), votes.get((entry_id, False), 0))
            for entry_id in ids
        ]
        entries.sort(key=lambda e: (-e.uses, -(e.solved + e.not_solved), e.entry_id))
        return Stats(
            diagnoses=diagnoses,
            abstained=abstained,
            votes=sum(votes.values()),
            top_entries=entries[:top],
            recent_unanswered=self.unanswered(recent),
            median_latency_ms=self.median_latency_ms(),
        )

    def median_latency_ms(self) -> float | None:
        """Median engine time of recorded diagnoses (rows from before schema v2 have none)."""
        (count,) = self.conn.execute("SELECT COUNT(latency_ms) FROM diagnoses").fetchone()
        if not count:
            return None
        row = self.conn.execute(
            "SELECT latency_ms FROM diagnoses WHERE latency_ms IS NOT NULL ORDER BY latency_ms LIMIT 1 OFFSET ?",
            ((count - 1) // 2,),
        ).fetchone()
        return float(row[0])
