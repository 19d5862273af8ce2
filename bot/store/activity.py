"""Activity per calendar day (UTC) for the stats chart: questions answered or not, and feedback votes.

A query function of a SQLAlchemy `Connection`, like those in bot/store/queries.py, run through
`Store.run` / `AsyncStore.run`. Rows of the window are bucketed in Python rather than with a SQL date
function: SQLite keeps times as ISO text and PostgreSQL as timestamptz, and the window is small.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Connection, select

from bot.store.schema import diagnoses, votes


@dataclass(frozen=True)
class Day:
    day: date
    answered: int = 0
    unanswered: int = 0
    helpful: int = 0  # "Solved" votes (a changed vote counts on the day of its last change)
    not_helpful: int = 0


def daily_activity(conn: Connection, days: int, today: date | None = None) -> list[Day]:
    """The last `days` days up to `today` (default: today, UTC), oldest first, quiet days included."""
    today = today or datetime.now(UTC).date()
    first = today - timedelta(days=days - 1)
    since = datetime.combine(first, time.min, tzinfo=UTC)
    counts = {first + timedelta(n): [0, 0, 0, 0] for n in range(days)}
    for created, abstained in conn.execute(
        select(diagnoses.c.created_at, diagnoses.c.abstained).where(diagnoses.c.created_at >= since)
    ):
        if (bucket := counts.get(created.date())) is not None:
            bucket[1 if abstained else 0] += 1
    for updated, solved in conn.execute(select(votes.c.updated_at, votes.c.solved).where(votes.c.updated_at >= since)):
        if (bucket := counts.get(updated.date())) is not None:
            bucket[2 if solved else 3] += 1
    return [Day(day, *numbers) for day, numbers in counts.items()]
