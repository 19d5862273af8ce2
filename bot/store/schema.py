"""The one schema both backends share (SQLAlchemy Core). Alembic's history under bot/store/migrations creates it;
the queries in bot/store/queries.py read and write it.

Discord ids are 64-bit snowflakes, so every id column is BIGINT (SQLite's INTEGER is 64-bit anyway).
Times are UTC: `timestamptz` on PostgreSQL, ISO-8601 text on SQLite (what the hand-written schema
stored, so rows from before Alembic read back unchanged).
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    Dialect,
    Float,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
)
from sqlalchemy.types import TypeEngine

MAX_STORED_TEXT = 2000  # a question longer than this is a log paste; the start is what a human reads
EXAMPLE_SOURCES = ("slash", "context_menu")


class UtcTimestamp(TypeDecorator[datetime]):
    """An aware UTC datetime in Python; timestamptz on PostgreSQL, ISO text on SQLite."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[object]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(String(40))
        return dialect.type_descriptor(DateTime(timezone=True))

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> object:
        if value is None:
            return None
        value = value.astimezone(UTC)
        return value.isoformat(timespec="microseconds") if dialect.name == "sqlite" else value

    def process_result_value(self, value: object, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        parsed = datetime.fromisoformat(value) if isinstance(value, str) else value
        assert isinstance(parsed, datetime)
        return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


# An auto-incrementing 64-bit key: BIGSERIAL-like identity on PostgreSQL, the rowid alias on SQLite
# (only a column declared exactly INTEGER PRIMARY KEY is one).
RowId = BigInteger().with_variant(Integer(), "sqlite")

metadata = MetaData(naming_convention={"pk": "%(table_name)s_pkey"})  # other names are spelled out

diagnoses = Table(
    "diagnoses",
    metadata,
    Column("id", RowId, primary_key=True, autoincrement=True),
    Column("created_at", UtcTimestamp(), nullable=False),
    Column("guild_id", BigInteger),
    Column("source", String(32), nullable=False),  # diagnose | context-menu | help-channel
    Column("text", Text, nullable=False),  # the REDACTED text only
    Column("entry_id", String(100)),  # best guess, also when abstained
    Column("confidence", Float, nullable=False),
    Column("abstained", Boolean(create_constraint=False), nullable=False),
    Column("latency_ms", Float),  # NULL on rows from before it was measured
    Index("diagnoses_abstained", "abstained", "id"),
    Index("diagnoses_latency", "latency_ms"),  # the median query walks this index
)

votes = Table(
    "votes",
    metadata,
    Column("message_id", BigInteger, primary_key=True),  # the answer message the buttons sit under
    Column("user_id", BigInteger, primary_key=True),
    Column("entry_id", String(100), nullable=False),
    Column("solved", Boolean(create_constraint=False), nullable=False),
    Column("guild_id", BigInteger),
    Column("updated_at", UtcTimestamp(), nullable=False),
    Index("votes_entry", "entry_id"),
)

usage = Table(
    "usage",
    metadata,
    Column("kind", String(32), primary_key=True),  # command | entry
    Column("name", String(100), primary_key=True),
    Column("count", BigInteger, nullable=False, default=0),
)

answered = Table(
    "answered",
    metadata,
    Column("target_id", BigInteger, primary_key=True, autoincrement=False),  # a message id, or a forum post's thread
    Column("answered_by", String(16), nullable=False),  # bot | moderator
    Column("created_at", UtcTimestamp(), nullable=False),
)

meta = Table(
    "meta",
    metadata,
    Column("key", String(200), primary_key=True),
    Column("value", Text, nullable=False),
)

# A moderator's /answer on a member's question: what the right entry was, next to what the bot thought.
labelled_examples = Table(
    "labelled_examples",
    metadata,
    Column("id", RowId, primary_key=True, autoincrement=True),
    Column("created_at", UtcTimestamp(), nullable=False),
    Column("guild_id", BigInteger),
    Column("channel_id", BigInteger, nullable=False),
    Column("message_id", BigInteger, nullable=False),  # the member's question
    Column("text", Text, nullable=False),  # the REDACTED text only, at most MAX_STORED_TEXT characters
    Column("chosen_entry", String(100), nullable=False),
    Column("bot_entry", String(100)),  # the bot's best guess; NULL when it had none
    Column("bot_confidence", Float, nullable=False),
    Column("bot_abstained", Boolean(create_constraint=False), nullable=False),
    Column("labelled_by", BigInteger, nullable=False),  # the moderator's user id
    Column("source", String(16), nullable=False),
    # The "Not solved" vote on the same question that this label answers, if any (a vote is keyed by
    # answer message and voter). Dropping the vote keeps the example.
    Column("linked_vote_message_id", BigInteger),
    Column("linked_vote_user_id", BigInteger),
    CheckConstraint(f"source IN {EXAMPLE_SOURCES!r}", name="labelled_examples_source"),
    ForeignKeyConstraint(
        ["linked_vote_message_id", "linked_vote_user_id"],
        ["votes.message_id", "votes.user_id"],
        ondelete="SET NULL",
        name="labelled_examples_linked_vote_fkey",
    ),
    Index("labelled_examples_created_at", "created_at"),
)
