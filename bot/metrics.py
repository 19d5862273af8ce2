"""Prometheus metrics (prometheus-client), served on METRICS_PORT when it is set; off by default.

Every metric is listed, with its labels, in the README (Deploy → Metrics). Labels take a handful of fixed
values only (outcomes, results, actions, shard ids): never user text or user ids.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from prometheus_client import Counter, Gauge, Histogram, start_http_server
from prometheus_client.core import REGISTRY, GaugeMetricFamily
from prometheus_client.registry import Collector

DIAGNOSES = Counter(
    "authbot_diagnoses", "Diagnoses run for Discord users, by outcome (answered, abstained, thanks).", ["outcome"]
)
DIAGNOSIS_SECONDS = Histogram(
    "authbot_diagnosis_seconds",
    "Time the engine took per diagnosis.",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0),
)
LIVE_CHECKS = Counter("authbot_live_checks", "Token checks by result (valid, invalid, timeout, offline …).", ["result"])
LEAK_GUARD_ACTIONS = Counter(
    "authbot_leak_guard_actions",
    "What the leak guard did about a credential: message_deleted, message_kept, thread_renamed, thread_kept, "
    "dm_sent, mod_alerted.",
    ["action"],
)
STORE_QUEUE_DEPTH = Gauge("authbot_store_queue_depth", "Database writes queued after replies, not yet written.")
STORE_FAILED_WRITES = Counter(
    "authbot_store_failed_writes", "Write batches the database refused or could not take (outages included)."
)
STORE_LOST_WRITES = Counter(
    "authbot_store_lost_writes", "Queued writes given up: dropped from a full queue, or still queued at shutdown."
)


def record_diagnosis(*, abstained: bool, escalate: bool, seconds: float) -> None:
    """`escalate` tells an unanswered question from a thank-you the bot rightly did not answer."""
    outcome = "answered" if not abstained else ("abstained" if escalate else "thanks")
    DIAGNOSES.labels(outcome).inc()
    DIAGNOSIS_SECONDS.observe(seconds)


class GatewayLatency(Collector):
    """authbot_gateway_latency_seconds{shard}: read from the bot at scrape time, so it is never stale."""

    def __init__(self, latencies: Callable[[], list[tuple[int, float]]]) -> None:
        self.latencies = latencies

    def collect(self) -> Iterator[GaugeMetricFamily]:
        family = GaugeMetricFamily(
            "authbot_gateway_latency_seconds", "Heartbeat round trip to Discord's gateway, per shard.", labels=["shard"]
        )
        for shard, seconds in self.latencies():
            if seconds == seconds and seconds != float("inf"):  # NaN/inf until the first heartbeat
                family.add_metric([str(shard)], seconds)
        yield family


_served: list[GatewayLatency] = []


def serve(port: int, host: str, latencies: Callable[[], list[tuple[int, float]]]) -> None:
    """Start the /metrics endpoint (a daemon thread) and report the gateway latency of `latencies`."""
    if _served:  # one endpoint per process; a restarted bot reports through the first collector's source
        _served[0].latencies = latencies
        return
    start_http_server(port, addr=host)  # first: a port in use (OSError) leaves nothing half set up
    collector = GatewayLatency(latencies)
    REGISTRY.register(collector)
    _served.append(collector)
