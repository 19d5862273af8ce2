"""The README's numbers about the store and its write queue (Deploy → Scaling out) are the code's."""

from __future__ import annotations

import re

from bot.store import async_store, engines, recorder
from bot.views import feedback
from tests.conftest import REPO

README = " ".join((REPO / "README.md").read_text(encoding="utf-8").split())  # sentences across line breaks


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def test_the_write_queue_numbers():
    (batch,) = re.findall(r"written in batches of up to ([\d,]+) per transaction", README)
    (queue,) = re.findall(r"The queue holds up to ([\d,]+) writes", README)
    (shutdown,) = re.findall(r"one more try and at most ([\d.]+) s", README)
    (vote,) = re.findall(r"A vote the database does not take within ([\d.]+) s", README)
    assert _number(batch) == recorder.BATCH_SIZE and _number(queue) == recorder.MAX_QUEUED
    assert _number(shutdown) == recorder.Recorder.close.__defaults__[0]
    assert _number(vote) == feedback.VOTE_TIMEOUT


def test_the_timeouts_on_postgresql():
    (lock, statement) = re.findall(
        r"waits at most ([\d.]+) s for a row another transaction holds .*? a query is stopped after ([\d.]+) s", README
    )[0]
    assert _number(lock) * 1000 == engines.BUSY_TIMEOUT_MS
    assert _number(statement) * 1000 == engines.STATEMENT_TIMEOUT_MS


def test_the_deadline_of_a_database_that_does_not_answer():
    (reads,) = re.findall(r"does not wait on the database for more than ([\d.]+) s", README)
    (batches,) = re.findall(r"The write queue's batches get ([\d.]+) s", README)
    assert _number(reads) == async_store.STORE_TIMEOUT and _number(batches) == async_store.WRITER_TIMEOUT
    assert "The database isn't answering right now; try again in a minute." in README
