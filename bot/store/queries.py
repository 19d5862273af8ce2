"""Every read and write of the store, written once as plain functions of a SQLAlchemy `Connection`.

The async store (the bot) runs them with `AsyncConnection.run_sync`, the sync store (command-line
tools, tests) directly, and the recorder batches queued writes into one transaction; so each query
exists once, whatever calls it. Each function runs inside the caller's transaction and never commits.
Only redacted text is ever written: `record_diagnosis` takes the `Diagnosis`, and every text column is
passed through `scrub` once more on its way in.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Table, and_, delete, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from bot.core.diagnosis import Diagnosis
from bot.core.redact import scrub
from bot.store.models import EntryStats, LabelledExample, Stats, UnansweredQuestion, Vote, VoteRef
from bot.store.schema import (
    EXAMPLE_SOURCES,
    MAX_STORED_TEXT,
    answered,
    diagnoses,
    labelled_examples,
    meta,
    usage,
    votes,
)


def _now() -> datetime:
    return datetime.now(UTC)


def _stored_text(text: str) -> str:
    return scrub(text)[:MAX_STORED_TEXT]  # the last check before user text reaches a row


def _upsert(conn: Connection, table: Table, values: Mapping[str, Any], update_with: Mapping[str, Any] | None) -> None:
    """INSERT … ON CONFLICT (primary key) DO UPDATE / DO NOTHING, in the dialect at hand (both spell it alike).
    `update_with` maps a column to its new value: None for the inserted one, or an expression."""
    conn.execute(
        _upsert_statement(
            conn.dialect.name, table, tuple(values), tuple((update_with or {}).items()), update_with is None
        ),
        values,
    )


@functools.cache
def _upsert_statement(
    dialect_name: str, table: Table, columns: tuple[str, ...], update_with: tuple[tuple[str, Any], ...], nothing: bool
) -> Any:
    """One statement object per shape, values bound at execution: SQLAlchemy's compiled cache then serves
    every call (built per call, an upsert was compiled each time, most of the cost of a write)."""
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    statement = dialect.insert(table)
    keys = [column.name for column in table.primary_key]
    if nothing:
        return statement.on_conflict_do_nothing(index_elements=keys)
    excluded = statement.excluded
    assignments = {name: (excluded[name] if value is None else value) for name, value in update_with}
    return statement.on_conflict_do_update(index_elements=keys, set_=assignments)


_ONE_MORE = usage.c.count + 1  # one expression object, so the upsert built from it is cached

# -- writes ------------------------------------------------------------------------------------------


def record_diagnosis(conn: Connection, diagnosis: Diagnosis, *, source: str, guild_id: int | None) -> None:
    top = diagnosis.top
    conn.execute(
        insert(diagnoses).values(
            created_at=_now(),
            guild_id=guild_id,
            source=source,
            text=_stored_text(diagnosis.text),  # already redacted; scrubbed again as the last check
            entry_id=top.entry_id if top else None,
            confidence=top.score if top else 0.0,
            abstained=bool(diagnosis.abstained and diagnosis.answer.escalate),  # thanks are not unanswered
            latency_ms=round(diagnosis.ms, 3),
        )
    )


def record_vote(
    conn: Connection, *, message_id: int, user_id: int, entry_id: str, solved: bool, guild_id: int | None
) -> Vote:
    """One vote per user per answer message; a second click replaces the first."""
    previous = vote_of(conn, message_id, user_id)
    values = dict(
        message_id=message_id, user_id=user_id, entry_id=entry_id, solved=solved, guild_id=guild_id, updated_at=_now()
    )
    _upsert(conn, votes, values, {"solved": None, "entry_id": None, "updated_at": None})
    if previous is None:
        return Vote.new
    return Vote.same if previous == solved else Vote.changed


def count(conn: Connection, kind: str, name: str) -> None:
    """Bump a usage counter, e.g. ("command", "faq") or ("entry", "pat-create")."""
    _upsert(conn, usage, {"kind": kind, "name": name, "count": 1}, {"count": _ONE_MORE})


def mark_answered(conn: Connection, target_id: int, *, by: str) -> None:
    """The first answer wins; marking again is a no-op."""
    _upsert(conn, answered, {"target_id": target_id, "answered_by": by, "created_at": _now()}, None)


def unmark_answered(conn: Connection, target_id: int) -> None:
    conn.execute(delete(answered).where(answered.c.target_id == target_id))


def set_meta(conn: Connection, key: str, value: str) -> None:
    _upsert(conn, meta, {"key": key, "value": value}, {"value": None})


def record_example(
    conn: Connection,
    *,
    guild_id: int | None,
    channel_id: int,
    message_id: int,
    text: str,
    chosen_entry: str,
    bot_entry: str | None,
    bot_confidence: float,
    bot_abstained: bool,
    labelled_by: int,
    source: str,
    linked_vote: VoteRef | None = None,
) -> int:
    """Store a moderator's label (text redacted here, whatever the caller passed); returns the example's id."""
    if source not in EXAMPLE_SOURCES:
        raise ValueError(f"source must be one of {EXAMPLE_SOURCES}, not {source!r}")
    row = conn.execute(
        insert(labelled_examples)
        .values(
            created_at=_now(),
            guild_id=guild_id,
            channel_id=channel_id,
            message_id=message_id,
            text=_stored_text(text),
            chosen_entry=chosen_entry,
            bot_entry=bot_entry,
            bot_confidence=float(bot_confidence),
            bot_abstained=bot_abstained,
            labelled_by=labelled_by,
            source=source,
            linked_vote_message_id=linked_vote.message_id if linked_vote else None,
            linked_vote_user_id=linked_vote.user_id if linked_vote else None,
        )
        .returning(labelled_examples.c.id)
    )
    return int(row.scalar_one())


def delete_example(conn: Connection, example_id: int) -> bool:
    """Whether there was such an example."""
    return conn.execute(delete(labelled_examples).where(labelled_examples.c.id == example_id)).rowcount > 0


def link_vote_to_example(conn: Connection, example_id: int, vote: VoteRef) -> bool:
    """Tie a "Not solved" vote to the example that labels the same question. False when the example does
    not exist; a vote that does not exist (or was "Solved") is refused with ValueError."""
    found = conn.execute(
        select(votes.c.solved).where(and_(votes.c.message_id == vote.message_id, votes.c.user_id == vote.user_id))
    ).scalar_one_or_none()
    if found is None or found:
        raise ValueError("only an existing 'Not solved' vote can be linked to an example")
    result = conn.execute(
        update(labelled_examples)
        .where(labelled_examples.c.id == example_id)
        .values(linked_vote_message_id=vote.message_id, linked_vote_user_id=vote.user_id)
    )
    return result.rowcount > 0


# -- reads -------------------------------------------------------------------------------------------


def get_meta(conn: Connection, key: str) -> str | None:
    return conn.execute(select(meta.c.value).where(meta.c.key == key)).scalar_one_or_none()


def vote_of(conn: Connection, message_id: int, user_id: int) -> bool | None:
    solved = conn.execute(
        select(votes.c.solved).where(and_(votes.c.message_id == message_id, votes.c.user_id == user_id))
    ).scalar_one_or_none()
    return None if solved is None else bool(solved)


def is_answered(conn: Connection, target_id: int) -> bool:
    return conn.execute(select(answered.c.target_id).where(answered.c.target_id == target_id)).first() is not None


def usage_counts(conn: Connection, kind: str) -> dict[str, int]:
    return {name: int(n) for name, n in conn.execute(select(usage.c.name, usage.c.count).where(usage.c.kind == kind))}


def unanswered(conn: Connection, limit: int = 1000) -> list[UnansweredQuestion]:
    """The most recent questions the bot abstained on, newest first."""
    rows = conn.execute(
        select(
            diagnoses.c.created_at,
            diagnoses.c.guild_id,
            diagnoses.c.source,
            diagnoses.c.text,
            diagnoses.c.entry_id,
            diagnoses.c.confidence,
        )
        .where(diagnoses.c.abstained.is_(True))
        .order_by(diagnoses.c.id.desc())
        .limit(limit)
    )
    return [
        UnansweredQuestion(created.isoformat(timespec="seconds"), guild, source, text, entry, float(confidence))
        for created, guild, source, text, entry, confidence in rows
    ]


def median_latency_ms(conn: Connection) -> float | None:
    """Median engine time of recorded diagnoses (rows from before it was measured have none)."""
    measured = conn.execute(select(func.count(diagnoses.c.latency_ms))).scalar_one()
    if not measured:
        return None
    middle = conn.execute(
        select(diagnoses.c.latency_ms)
        .where(diagnoses.c.latency_ms.is_not(None))
        .order_by(diagnoses.c.latency_ms)
        .limit(1)
        .offset((measured - 1) // 2)
    ).scalar_one()
    return float(middle)


def stats(conn: Connection, *, top: int = 10, recent: int = 5) -> Stats:
    """The numbers behind /kb stats and `authbot report`, over every process writing to this database."""
    total, abstained = conn.execute(
        select(func.count(), func.count().filter(diagnoses.c.abstained.is_(True))).select_from(diagnoses)
    ).one()
    tally = {
        (entry_id, bool(solved)): int(n)
        for entry_id, solved, n in conn.execute(
            select(votes.c.entry_id, votes.c.solved, func.count()).group_by(votes.c.entry_id, votes.c.solved)
        )
    }
    uses = usage_counts(conn, "entry")
    # An entry can have votes without a counted use (e.g. counted before a reset), so take both.
    ids = set(uses) | {entry_id for entry_id, _ in tally}
    entries = [
        EntryStats(entry_id, uses.get(entry_id, 0), tally.get((entry_id, True), 0), tally.get((entry_id, False), 0))
        for entry_id in ids
    ]
    entries.sort(key=lambda e: (-e.uses, -(e.solved + e.not_solved), e.entry_id))
    return Stats(
        diagnoses=int(total),
        abstained=int(abstained),
        votes=sum(tally.values()),
        top_entries=entries[:top],
        recent_unanswered=unanswered(conn, recent),
        median_latency_ms=median_latency_ms(conn),
    )


def examples(conn: Connection, since: datetime | None = None) -> list[LabelledExample]:
    """Labelled examples, oldest first; `since` (aware) keeps those created at or after it."""
    query = select(labelled_examples).order_by(labelled_examples.c.id)
    if since is not None:
        query = query.where(labelled_examples.c.created_at >= since)
    found = []
    for row in conn.execute(query).mappings():
        message_id, user_id = row["linked_vote_message_id"], row["linked_vote_user_id"]
        found.append(
            LabelledExample(
                id=int(row["id"]),
                created_at=row["created_at"],
                guild_id=row["guild_id"],
                channel_id=int(row["channel_id"]),
                message_id=int(row["message_id"]),
                text=row["text"],
                chosen_entry=row["chosen_entry"],
                bot_entry=row["bot_entry"],
                bot_confidence=float(row["bot_confidence"]),
                bot_abstained=bool(row["bot_abstained"]),
                labelled_by=int(row["labelled_by"]),
                source=row["source"],
                linked_vote=None if message_id is None else VoteRef(int(message_id), int(user_id)),
            )
        )
    return found
