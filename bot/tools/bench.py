"""`authbot bench`: diagnosis speed and memory on the real knowledge base and on generated ones
(`--store URL`: the database under load instead, see bot/tools/store_bench.py).

Generated knowledge bases reuse the real vocabulary and recombine real phrasings with made-up
product words, so the index has realistic word overlap at 1,000 and 10,000 entries.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import asdict, dataclass

from bot.core.pipeline import Engine
from bot.credentials.leaks import leaked_credentials
from bot.frontends.engine_args import add_knowledge_argument, knowledge_from_args
from bot.knowledge.loader import KnowledgeBase, load_knowledge
from bot.knowledge.schema import Entry
from bot.settings import Settings
from bot.tools.progress import track

QUERIES = (
    "My Personal Access Token doesn't work, I send it as Bearer",
    '{"error":{"type":"authentication","message":"Invalid access token"}}',
    "how do i get a token for the customer chat api??",
    "curl -X POST https://accounts.livechat.com/v2/token "
    "-d 'grant_type=authorization_code&code=dal:FAKE_test_code_000000' -> unauthorized_client",
    "https://accounts.livechat.com/ooops?oauth_exception=invalid_request&exception_details=invalid_redirect_uri",
    "how do I center a div in CSS",
    "Traceback (most recent call last):\n  File \"app.py\", line 3\nrequests.exceptions.HTTPError: 401 Client Error",
    "where can I reach the livechat developers by email",
)
# Discord's maximum message size, measured on its own so it neither hides in nor dominates the p99 above.
LONG_PASTES = (
    "x" * 3900,
    ("2026-11-28 12:00:01 INFO POST https://api.livechatinc.com/v3.6/agent/action/list_chats -> 200\n" * 38)
    + '{"error":{"type":"authentication","message":"Invalid access token"}}',
)
# An attached log of 100 KB with the one failing call near its end.
HUGE_PASTES = (
    "".join(
        f"2026-11-28 12:{i // 60 % 60:02d}:{i % 60:02d} INFO GET https://api.example.net/v1/items?page={i} -> 200\n"
        for i in range(1250)
    )
    + "POST https://api.livechatinc.com/v3.6/agent/action/list_chats -> 401\n"
    + '{"error":{"type":"authentication","message":"Invalid access token"}}\n'
    + "2026-11-28 13:00:00 INFO retrying in 5 s\n" * 20,
)
# 100 KB on one line with no sentence end: the worst case, read whole (the long-message reader picks lines),
# for rules that look for sentences (a question pattern once rescanned it from every position: 15 s).
ONE_LINE_PASTES = ("same visitor as the same customer in another group " * 2000,)
# What the leak guard reads most: ordinary chat, some of it non-ASCII, none of it secret.
CHAT = (
    "thanks, that fixed it!", "anyone around?", "good morning everyone 👋",
    "hey, how do I get started with the Agent Chat API?", "Merci beaucoup pour l'aide 🙏",
    "is the webhook payload documented somewhere? I can't find the chat_id field",
    "lol same", "I'll try the Basic scheme and report back", "Спасибо, всё заработало",
    "```js\nconst res = await fetch(url, { headers })\nconsole.log(res.status)\n```",
    "the docs page for v3.5 says organization_id is required, is that new?", "+1",
)
MADE_UP = "widget portal ledger beacon harbor quartz nimbus vertex orbit lumen cobalt falcon prism".split()


@dataclass(frozen=True)
class BenchResult:
    name: str
    entries: int
    load_index_ms: float
    p50_ms: float
    p99_ms: float
    queries_per_second: float
    peak_memory_mib: float


def synthetic_kb(base: KnowledgeBase, size: int, seed: int = 7) -> KnowledgeBase:
    rng = random.Random(seed)
    originals = list(base.entries.values())
    entries: dict[str, Entry] = {}
    for number in range(size):
        source = originals[number % len(originals)]
        extra = rng.sample(MADE_UP, 3)
        entry = source.model_copy(
            update={
                "id": f"{source.id}-{number}",
                "title": f"{source.title} ({' '.join(extra)})"[:100],
                "phrasings": [f"{p} {rng.choice(MADE_UP)}" for p in source.phrasings],
                "keywords": [*source.keywords[:3], " ".join(extra)],
                "related": [],
            }
        )
        entries[entry.id] = entry
    return KnowledgeBase(entries, base.vocabulary)


def _peak_memory_mib(build: Callable[[], Engine], queries: tuple[str, ...]) -> float:
    """Peak Python allocations while building the engine and answering every query once.

    Measured in its own pass because tracemalloc slows everything it watches several times over.
    """
    tracemalloc.start()
    engine = build()
    for query in queries:
        engine.diagnose(query)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return round(peak / 2**20, 2)


def _measure(
    name: str, build: Callable[[], Engine], rounds: int, queries: tuple[str, ...] = QUERIES
) -> BenchResult:
    started = time.perf_counter()
    engine = build()
    load_ms = (time.perf_counter() - started) * 1000
    for query in queries:
        engine.diagnose(query)  # warm caches (typo corrections) as a running bot would have them
    timings = []
    run_started = time.perf_counter()
    for _ in range(rounds):
        for query in queries:
            began = time.perf_counter()
            engine.diagnose(query)
            timings.append((time.perf_counter() - began) * 1000)
    elapsed = time.perf_counter() - run_started
    quantiles = statistics.quantiles(timings, n=100, method="inclusive")
    return BenchResult(
        name=name,
        entries=len(engine.kb),
        load_index_ms=round(load_ms, 2),
        p50_ms=round(quantiles[49], 3),
        p99_ms=round(quantiles[98], 3),
        queries_per_second=round(len(timings) / elapsed, 1),
        peak_memory_mib=_peak_memory_mib(build, queries),
    )


def _measure_leak_guard(rounds: int) -> BenchResult:
    """Leak-guard scanning of ordinary chat messages (every guild message goes through it)."""
    messages = CHAT * max(1, rounds * 10)
    timings = []
    started = time.perf_counter()
    for message in messages:
        began = time.perf_counter()
        leaked_credentials(message)
        timings.append((time.perf_counter() - began) * 1000)
    elapsed = time.perf_counter() - started
    quantiles = statistics.quantiles(timings, n=100, method="inclusive")
    tracemalloc.start()
    for message in CHAT:
        leaked_credentials(message)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return BenchResult(
        name="leak-guard/chat",
        entries=0,
        load_index_ms=0.0,
        p50_ms=round(quantiles[49], 4),
        p99_ms=round(quantiles[98], 4),
        queries_per_second=round(len(messages) / elapsed, 1),
        peak_memory_mib=round(max(peak, 0.0001), 4),
    )


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--rounds", type=int, default=60, help="passes over the query set per knowledge base")
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000], help="generated KB sizes")
    parser.add_argument("--json", action="store_true", help="print results as JSON")
    parser.add_argument(
        "--store", metavar="URL", default=None, help="instead: load-test this (scratch!) database from two processes"
    )
    parser.add_argument("--count", type=int, default=5000, help="with --store: diagnoses (and votes) per process")
    add_knowledge_argument(parser)


def main(args: argparse.Namespace) -> int:
    if args.store:
        from bot.tools import store_bench  # SQLAlchemy and the drivers only for this mode

        directory = str(args.knowledge or Settings().knowledge_dir)
        return store_bench.report(store_bench.run(args.store, count=args.count, knowledge=directory), as_json=args.json)
    # Also imports pydantic and builds the validators once, as a running bot has before its first answer.
    if knowledge_from_args(args) is None:
        return 2
    directory = args.knowledge or Settings().knowledge_dir
    base = load_knowledge(directory)
    steps: list[Callable[[], BenchResult]] = [
        lambda: _measure("real", lambda: Engine(load_knowledge(directory)), args.rounds),
        lambda: _measure("real/4000-chars", lambda: Engine(load_knowledge(directory)), args.rounds, LONG_PASTES),
        lambda: _measure(
            "real/100KB-paste", lambda: Engine(load_knowledge(directory)), max(5, args.rounds // 4), HUGE_PASTES
        ),
        lambda: _measure(
            "real/100KB-one-line", lambda: Engine(load_knowledge(directory)), max(5, args.rounds // 4),
            ONE_LINE_PASTES,
        ),
        lambda: _measure_leak_guard(args.rounds),
    ]
    for size in args.sizes:
        rounds = max(3, args.rounds * 27 // size) if size > 1000 else max(5, args.rounds // 4)
        steps.append(
            lambda size=size, rounds=rounds: _measure(
                f"generated-{size}", lambda: Engine(synthetic_kb(base, size)), rounds
            )
        )
    results = [step() for step in track(steps, "bench", sys.stderr)]
    if args.json:
        print(json.dumps([asdict(r) for r in results], indent=2))
        return 0
    print(f"{'knowledge base':19} {'entries':>8} {'load+index':>11} {'p50':>9} {'p99':>9} {'q/s':>9} {'peak MiB':>9}")
    for r in results:
        print(
            f"{r.name:19} {r.entries:8} {r.load_index_ms:9.1f}ms {r.p50_ms:7.3f}ms {r.p99_ms:7.3f}ms "
            f"{r.queries_per_second:9.1f} {r.peak_memory_mib:9.2f}"
        )
    print("(load+index for generated sizes is index time only; peak memory is traced Python allocations)")
    return 0
