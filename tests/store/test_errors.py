"""A database error never carries a row's values into a log line or a traceback: neither the bound
parameters SQLAlchemy appends ("[parameters: …]") nor PostgreSQL's DETAIL ("Failing row contains (…)").
Stored text is redacted, but it is still a member's question, and logs are not where it belongs."""

from __future__ import annotations

import logging
import traceback

import pytest
from sqlalchemy.exc import IntegrityError

from bot.store import AsyncStore, queries
from bot.store.async_store import prepare
from bot.store.db import as_location
from bot.store.recorder import Recorder

QUESTION = "zq7731 why does my widget refuse the callback"
REFUSED = dict(  # NOT NULL channel_id: refused by either backend, with the row in PostgreSQL's DETAIL
    guild_id=1, channel_id=None, message_id=1, chosen_entry="e", bot_entry=None, bot_confidence=0.0,
    bot_abstained=False, labelled_by=1, source="slash",
)


async def test_a_write_refused_in_the_queue_is_logged_without_its_row(astore, caplog):
    recorder = Recorder(astore)
    recorder.record(queries.record_example, text=QUESTION, **REFUSED)
    with caplog.at_level(logging.WARNING, logger="bot"):
        assert await recorder.flush(timeout=30)
    assert recorder.failed == 1
    assert "database write record_example failed" in caplog.text and "channel_id" in caplog.text
    assert "zq7731" not in caplog.text


async def test_an_error_raised_to_a_handler_carries_no_row(astore):
    with pytest.raises(IntegrityError) as raised:
        await astore.run(queries.record_example, text=QUESTION, **REFUSED, write=True)
    rendered = "".join(traceback.format_exception(raised.value))
    assert "channel_id" in rendered and "zq7731" not in rendered


async def test_an_outage_is_logged_without_the_rows_waiting_in_the_queue(tmp_path, caplog):
    location = as_location(f"sqlite:///{tmp_path / 'a.sqlite3'}")
    prepare(location)
    store = AsyncStore(location)
    recorder = Recorder(store)

    def fill_the_disk(conn):  # on the pooled connection: no page can be added ("database or disk is full")
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar()
        conn.exec_driver_sql(f"PRAGMA max_page_count = {pages}")

    await store.run(fill_the_disk)
    for _ in range(5):  # 10 kB: more than the free room in the table's one page
        recorder.record(queries.record_example, text=QUESTION * 50, **{**REFUSED, "channel_id": 2})
    with caplog.at_level(logging.WARNING, logger="bot"):
        await recorder.close(timeout=1)
    assert "database unavailable" in caplog.text and "full" in caplog.text
    assert "zq7731" not in caplog.text
    await store.close()
