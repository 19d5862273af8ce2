"""`authbot bench --store URL`: the store under load from two shard processes at once.

Each process records `--count` diagnoses, as many votes and as many usage counts through the bot's own
write path (the Recorder: queued, batched), as fast as it can; then the parent checks that no row was lost
and that the aggregates (/kb stats) match what was written, and reports rows per second and the latency
of a write from queued to committed (p50, p99). Point it at a scratch database: it leaves its rows there
(source "bench", guild id 0). Not a test: tests/store/test_store_bench.py runs it with a tiny count.
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import statistics
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Connection, func, select

from bot.core.diagnosis import Diagnosis
from bot.core.pipeline import Engine
from bot.store import AsyncStore, Store, queries
from bot.store.async_store import Write, prepare
from bot.store.db import as_location
from bot.store.recorder import Recorder
from bot.store.schema import diagnoses, usage, votes

QUESTIONS = (
    "my PAT gives 401 with Bearer",
    "unauthorized_client error when authorizing my app",
    "any good pizza places near the office?",
)
COUNTER = ("entry", "bench-store")


@dataclass(frozen=True)
class Totals:
    diagnoses: int
    votes: int
    counter: int


@dataclass(frozen=True)
class StoreBenchResult:
    backend: str
    processes: int
    rows_expected: int
    rows_lost: int
    aggregates_match: bool
    rows_per_second: float
    p50_write_ms: float
    p99_write_ms: float
    p99_batch_commit_ms: float
    batches: int
    seconds: float


def _totals(conn: Connection) -> Totals:
    counter = conn.execute(
        select(usage.c.count).where(usage.c.kind == COUNTER[0], usage.c.name == COUNTER[1])
    ).scalar_one_or_none()
    return Totals(
        conn.execute(select(func.count()).select_from(diagnoses)).scalar_one(),
        conn.execute(select(func.count()).select_from(votes)).scalar_one(),
        int(counter or 0),
    )


def _timed(conn: Connection, queued_at: float, write: Any, *args: Any, **kwargs: Any) -> None:
    """A write that carries the moment it was queued, so its commit time can be measured."""
    del queued_at  # read from the batch by `_worker`, after the commit
    write(conn, *args, **kwargs)


async def _worker(url: str, base: int, count: int, answers: list[Diagnosis]) -> dict[str, Any]:
    store = AsyncStore(as_location(url))
    recorder = Recorder(store)
    latencies: list[float] = []  # per write: queued → committed (the backlog included)
    commits: list[float] = []  # per batch: the transaction alone
    run_batch = store.run_batch

    async def timed_batch(writes: Sequence[Write]) -> None:
        began = time.monotonic()
        await run_batch(writes)
        committed = time.monotonic()
        latencies.extend(committed - args[0] for _, args, _ in writes)
        commits.append(committed - began)

    store.run_batch = timed_batch  # type: ignore[method-assign]
    started = time.monotonic()  # CLOCK_MONOTONIC: one clock for every process on the machine
    for number in range(count):
        now = time.monotonic
        recorder.record(_timed, now(), queries.record_diagnosis, answers[number % 3], source="bench", guild_id=0)
        recorder.record(
            _timed, now(), queries.record_vote,
            message_id=base + number, user_id=number, entry_id="bench-store", solved=number % 2 == 0, guild_id=0,
        )  # fmt: skip
        recorder.record(_timed, now(), queries.count, *COUNTER)
        if number % 50 == 49:
            await asyncio.sleep(0)  # let the writer run, as a bot's event loop would between messages
    await recorder.flush()
    finished = time.monotonic()
    await recorder.close()
    await store.close()
    return {
        "latencies": latencies, "commits": commits, "lost": recorder.lost, "failed": recorder.failed,
        "started": started, "finished": finished,
    }  # fmt: skip


def _run_worker(url: str, base: int, count: int, answers: list[Diagnosis], start: Any, results: Any) -> None:
    start.wait()  # both processes started: the clock starts for both at once
    results.put(asyncio.run(_worker(url, base, count, answers)))


def run(url: str, *, count: int, processes: int = 2, knowledge: str) -> StoreBenchResult:
    if not 0 < count < 10**8 or not 0 < processes <= 16:
        raise ValueError("--count must be 1 … 99,999,999 (and at most 16 processes)")
    engine = Engine.from_directory(knowledge)  # once, here: the workers get the diagnoses ready-made
    answers = [engine.diagnose(question) for question in QUESTIONS]
    location = as_location(url)
    prepare(location)
    store = Store.open(location)
    before = store.run(_totals)
    context = multiprocessing.get_context("spawn")
    results, start = context.Queue(), context.Barrier(processes)
    # Vote keys (answer message, voter) no earlier run, other worker or real answer used: a repeated key
    # would update a row instead of adding one.
    run_id = time.time_ns() // 1000 % 2**30
    bases = [(run_id * 16 + n) * 10**8 for n in range(processes)]
    workers = [
        context.Process(target=_run_worker, args=(url, bases[n], count, answers, start, results))
        for n in range(processes)
    ]
    for worker in workers:
        worker.start()
    reports = [results.get(timeout=600) for _ in workers]
    # From the first write queued to the last one committed, over both processes.
    seconds = max(r["finished"] for r in reports) - min(r["started"] for r in reports)
    for worker in workers:
        worker.join(timeout=60)
    after = store.run(_totals)
    stats = store.stats()
    store.close()

    expected = processes * count
    rows = (after.diagnoses - before.diagnoses, after.votes - before.votes, after.counter - before.counter)
    lost = sum(max(0, expected - got) for got in rows) + sum(r["lost"] + r["failed"] for r in reports)
    cuts = _percentiles([s for r in reports for s in r["latencies"]])
    commit_cuts = _percentiles([s for r in reports for s in r["commits"]])
    return StoreBenchResult(
        backend=location.backend,
        processes=processes,
        rows_expected=3 * expected,
        rows_lost=lost,
        aggregates_match=(stats.diagnoses, stats.votes) == (after.diagnoses, after.votes),
        rows_per_second=round(3 * expected / seconds, 1),
        p50_write_ms=round(cuts[49] * 1000, 2),
        p99_write_ms=round(cuts[98] * 1000, 2),
        p99_batch_commit_ms=round(commit_cuts[98] * 1000, 2),
        batches=sum(len(r["commits"]) for r in reports),
        seconds=round(seconds, 2),
    )


def _percentiles(seconds: list[float]) -> list[float]:
    return statistics.quantiles(seconds, n=100) if len(seconds) > 1 else (seconds or [0.0]) * 99


def report(result: StoreBenchResult, *, as_json: bool) -> int:
    if as_json:
        print(json.dumps(asdict(result), indent=2))
    else:
        print(
            f"{result.backend}: {result.processes} processes, {result.rows_expected} rows in {result.seconds} s "
            f"({result.rows_per_second} rows/s); write latency queued → committed "
            f"p50 {result.p50_write_ms} ms, p99 {result.p99_write_ms} ms; one batch's transaction p99 "
            f"{result.p99_batch_commit_ms} ms ({result.batches} batches); lost rows: {result.rows_lost}; "
            f"aggregates match: {'yes' if result.aggregates_match else 'NO'}"
        )
    return 0 if result.rows_lost == 0 and result.aggregates_match else 1
