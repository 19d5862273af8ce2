"""Labelled examples as one server sees them: `/kb examples delete` removes only its own server's."""

from __future__ import annotations

from sqlalchemy import Connection, and_, delete

from bot.store.schema import labelled_examples


def delete_guild_example(conn: Connection, example_id: int, guild_id: int) -> bool:
    """Delete example `example_id` if it was labelled in `guild_id`; whether it was."""
    found = conn.execute(
        delete(labelled_examples).where(
            and_(labelled_examples.c.id == example_id, labelled_examples.c.guild_id == guild_id)
        )
    )
    return found.rowcount > 0
