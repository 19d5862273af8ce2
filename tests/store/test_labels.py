"""A server's moderators delete only that server's labelled examples (on SQLite and on PostgreSQL)."""

from __future__ import annotations

from bot.store import queries
from bot.store.labels import delete_guild_example


def label(store, guild_id: int) -> int:
    return store.run(
        queries.record_example, guild_id=guild_id, channel_id=1, message_id=2, text="q", chosen_entry="pat-create",
        bot_entry=None, bot_confidence=0.0, bot_abstained=True, labelled_by=3, source="slash", write=True,
    )


def test_delete_only_in_the_examples_own_guild(store):
    ours, theirs = label(store, 10), label(store, 20)

    assert not store.run(delete_guild_example, theirs, 10, write=True)
    assert store.run(delete_guild_example, ours, 10, write=True)
    assert not store.run(delete_guild_example, ours, 10, write=True)
    assert [e.id for e in store.run(queries.examples)] == [theirs]
