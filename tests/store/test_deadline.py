"""A database that hangs without refusing (a frozen server, a cut network) costs a caller at most the
store's deadline: every awaited call ends with StoreUnavailable instead of waiting forever, and the write
queue treats it as an outage (kept, retried), as it treats a refused connection."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bot.store import AsyncStore, queries
from bot.store.async_store import prepare
from bot.store.db import as_location
from bot.store.errors import StoreUnavailable
from bot.store.recorder import Recorder
from tests.store.hung import silent_server

DEADLINE = 0.3  # seconds; the tests' own, far below STORE_TIMEOUT
OUTER = 8.0  # "it finished": generous, yet below psycopg's own 10 s wait after a cancelled query


async def test_reads_and_writes_on_a_server_that_never_answers_fail_within_the_deadline():
    with silent_server() as server:
        store = AsyncStore(as_location(server.url()), timeout=DEADLINE)
        try:
            for call in (store.stats(), store.unanswered(), store.run(queries.set_meta, "k", "v", write=True)):
                with pytest.raises(StoreUnavailable, match="did not answer"):
                    await asyncio.wait_for(call, OUTER)
        finally:
            await store.close()


async def test_a_shorter_deadline_for_one_call():
    with silent_server() as server:
        store = AsyncStore(as_location(server.url()))  # the default deadline: 10 s
        try:
            with pytest.raises(StoreUnavailable):
                await asyncio.wait_for(store.is_answered(1, deadline=DEADLINE), OUTER)
        finally:
            await store.close()


@pytest.mark.postgres
async def test_a_server_frozen_under_established_connections(postgres_server):
    """The pool's connections are open when the network goes silent: psycopg, cancelled, first tries to
    cancel the query on the server and waits up to 10 s; the caller must not wait with it."""
    url = postgres_server.fresh_database()
    prepare(as_location(url))
    with silent_server(upstream=("127.0.0.1", postgres_server.port)) as proxy:
        store = AsyncStore(as_location(proxy.url(url.rsplit("/", 1)[1])), timeout=DEADLINE)
        try:
            await store.set_meta("k", "v")  # connected through the proxy, and pooled
            proxy.freeze()
            with pytest.raises(StoreUnavailable):
                await asyncio.wait_for(store.get_meta("k"), OUTER)
            with pytest.raises(StoreUnavailable):
                await asyncio.wait_for(
                    store.record_vote(
                        message_id=1, user_id=2, entry_id="e", solved=True, guild_id=None, deadline=DEADLINE
                    ),
                    OUTER,
                )
            proxy.thaw()
            store.timeout = 30.0  # the server answers again; new connections replace the lost ones
            assert await asyncio.wait_for(store.get_meta("k"), 60) == "v"
        finally:
            await asyncio.wait_for(store.close(), OUTER)


async def test_the_write_queue_keeps_its_writes_through_a_hung_database(caplog):
    with silent_server() as server:
        store = AsyncStore(as_location(server.url()), timeout=DEADLINE, writer_timeout=DEADLINE)
        recorder = Recorder(store)
        try:
            with caplog.at_level(logging.WARNING, logger="bot"):
                for _ in range(3):
                    recorder.record(queries.count, "command", "diagnose")
                assert not await recorder.flush(timeout=2)  # nothing can be written, nothing is dropped
            assert recorder.queued == 3 and recorder.down_since is not None and recorder.lost == 0
            assert "database unavailable; 3 write(s) queued" in caplog.text
            assert "StoreUnavailable: the database did not take a batch" in caplog.text
        finally:
            await asyncio.wait_for(recorder.close(timeout=1), OUTER)
            await store.close()
        assert recorder.lost == 3
