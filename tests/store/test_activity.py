"""Activity per UTC day for the stats chart: answered vs not, solved vs not solved votes, quiet days kept."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import insert

from bot.store.activity import Day, daily_activity
from bot.store.schema import diagnoses, votes

TODAY = date(2026, 11, 30)


def at(day: int, hour: int = 12) -> datetime:
    return datetime(2026, 11, day, hour, tzinfo=UTC)


def seed(conn) -> None:
    def diagnosis(when: datetime, abstained: bool) -> dict:
        return {"created_at": when, "source": "diagnose", "text": "q", "confidence": 0.5, "abstained": abstained}

    conn.execute(insert(diagnoses), [
        diagnosis(at(30, 0), False), diagnosis(at(30, 23), True), diagnosis(at(28), False),
        diagnosis(at(26), True),  # before the window
    ])
    conn.execute(insert(votes), [
        {"message_id": 1, "user_id": 1, "entry_id": "pat-create", "solved": True, "updated_at": at(29)},
        {"message_id": 1, "user_id": 2, "entry_id": "pat-create", "solved": False, "updated_at": at(29)},
        {"message_id": 2, "user_id": 1, "entry_id": "pat-create", "solved": False, "updated_at": at(30)},
    ])


def test_days_are_bucketed_in_utc_oldest_first_with_quiet_days(store):  # on SQLite and on PostgreSQL
    store.run(seed, write=True)
    days = store.run(daily_activity, 4, TODAY)

    assert days == [
        Day(date(2026, 11, 27)),
        Day(date(2026, 11, 28), answered=1),
        Day(date(2026, 11, 29), helpful=1, not_helpful=1),
        Day(date(2026, 11, 30), answered=1, unanswered=1, not_helpful=1),
    ]
