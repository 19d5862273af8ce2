"""The schema as Alembic's first revision: diagnoses, votes, usage, answered, meta, labelled_examples.

A SQLite file written by the hand-written migrations of authbot ≤ 0.1 (a `schema_version` table, versions
1-3) is adopted in place: the steps it lacks are applied, its rows are kept as they are, and
`schema_version` gives way to Alembic's `alembic_version`.

Revision ID: 0001
Revises:
Create Date: 2026-05-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

LAST_HAND_WRITTEN_VERSION = 3
ROW_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")  # only INTEGER PRIMARY KEY is SQLite's rowid
TIMESTAMP = sa.DateTime(timezone=True).with_variant(sa.String(40), "sqlite")  # ISO text, as before Alembic
FLAG = sa.Boolean(create_constraint=False)


def upgrade() -> None:
    bind = op.get_bind()
    tables = set(sa.inspect(bind).get_table_names())
    if "schema_version" in tables and "diagnoses" in tables:
        _adopt_hand_written_schema(bind, tables)
    else:
        if "schema_version" in tables:  # an empty file that an old build only looked at
            op.drop_table("schema_version")
        _create_diagnoses()
        _create_votes_usage_answered()
        _create_meta()
    _create_labelled_examples()


def downgrade() -> None:
    for table in ("labelled_examples", "meta", "answered", "usage", "votes", "diagnoses"):
        op.drop_table(table)


def _adopt_hand_written_schema(bind: sa.Connection, tables: set[str]) -> None:
    version = bind.execute(sa.text("SELECT MAX(version) FROM schema_version")).scalar() or 0
    if version > LAST_HAND_WRITTEN_VERSION:
        from bot.store.migrate import SchemaTooNew

        raise SchemaTooNew(f"database schema version {version} is newer than this build knows")
    if version < 2:  # v2 measured the engine's time; older rows keep NULL
        op.add_column("diagnoses", sa.Column("latency_ms", sa.Float))
        op.create_index("diagnoses_latency", "diagnoses", ["latency_ms"])
    if "meta" not in tables:  # v3
        _create_meta()
    op.drop_table("schema_version")


def _create_diagnoses() -> None:
    op.create_table(
        "diagnoses",
        sa.Column("id", ROW_ID, primary_key=True, autoincrement=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("guild_id", sa.BigInteger),
        sa.Column("source", sa.String(32), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("entry_id", sa.String(100)),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.Column("abstained", FLAG, nullable=False),
        sa.Column("latency_ms", sa.Float),
        sa.PrimaryKeyConstraint("id", name="diagnoses_pkey"),
    )
    op.create_index("diagnoses_abstained", "diagnoses", ["abstained", "id"])
    op.create_index("diagnoses_latency", "diagnoses", ["latency_ms"])


def _create_votes_usage_answered() -> None:
    op.create_table(
        "votes",
        sa.Column("message_id", sa.BigInteger, nullable=False),
        sa.Column("user_id", sa.BigInteger, nullable=False),
        sa.Column("entry_id", sa.String(100), nullable=False),
        sa.Column("solved", FLAG, nullable=False),
        sa.Column("guild_id", sa.BigInteger),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("message_id", "user_id", name="votes_pkey"),
    )
    op.create_index("votes_entry", "votes", ["entry_id"])
    op.create_table(
        "usage",
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("count", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("kind", "name", name="usage_pkey"),
    )
    op.create_table(
        "answered",
        sa.Column("target_id", sa.BigInteger, nullable=False, autoincrement=False),
        sa.Column("answered_by", sa.String(16), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("target_id", name="answered_pkey"),
    )


def _create_meta() -> None:
    op.create_table(
        "meta",
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("value", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("key", name="meta_pkey"),
    )


def _create_labelled_examples() -> None:
    op.create_table(
        "labelled_examples",
        sa.Column("id", ROW_ID, primary_key=True, autoincrement=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("guild_id", sa.BigInteger),
        sa.Column("channel_id", sa.BigInteger, nullable=False),
        sa.Column("message_id", sa.BigInteger, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("chosen_entry", sa.String(100), nullable=False),
        sa.Column("bot_entry", sa.String(100)),
        sa.Column("bot_confidence", sa.Float, nullable=False),
        sa.Column("bot_abstained", FLAG, nullable=False),
        sa.Column("labelled_by", sa.BigInteger, nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("linked_vote_message_id", sa.BigInteger),
        sa.Column("linked_vote_user_id", sa.BigInteger),
        sa.PrimaryKeyConstraint("id", name="labelled_examples_pkey"),
        sa.CheckConstraint("source IN ('slash', 'context_menu')", name="labelled_examples_source"),
        sa.ForeignKeyConstraint(
            ["linked_vote_message_id", "linked_vote_user_id"],
            ["votes.message_id", "votes.user_id"],
            name="labelled_examples_linked_vote_fkey",
            ondelete="SET NULL",
        ),
    )
    op.create_index("labelled_examples_created_at", "labelled_examples", ["created_at"])
