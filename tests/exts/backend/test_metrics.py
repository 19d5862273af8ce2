"""METRICS_PORT: the real bot serves Prometheus metrics over HTTP on 127.0.0.1, and the numbers follow what
it did (simcord drives it; the endpoint is scraped like Prometheus would, with a plain GET)."""

from __future__ import annotations

import socket

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

CLEAR = "unauthorized_client error when authorizing my app"
OFF_TOPIC = "any good pizza places near the office?"
THANKS = "thanks, that fixed it!"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


PORT = _free_port()  # one endpoint per process: prometheus-client's server thread lives as long as it


def scrape() -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    body = httpx.get(f"http://127.0.0.1:{PORT}/metrics", timeout=5).text
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(body)
        for sample in family.samples
    }


def value(samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


@pytest.mark.parametrize("settings_overrides", [{"metrics_port": PORT}], indirect=True)
async def test_the_metrics_endpoint_counts_diagnoses_by_outcome_and_their_latency(world):
    before = scrape()
    for text in (CLEAR, CLEAR, OFF_TOPIC, THANKS):
        await world.alice.slash(world.general, "diagnose", text=text)
    await world.bot.recorder.flush()
    after = scrape()

    def grew(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert grew("authbot_diagnoses_total", outcome="answered") == 2
    assert grew("authbot_diagnoses_total", outcome="abstained") == 1
    assert grew("authbot_diagnoses_total", outcome="thanks") == 1
    assert grew("authbot_diagnosis_seconds_count") == 4 and grew("authbot_diagnosis_seconds_sum") > 0
    assert value(after, "authbot_store_queue_depth") == 0
    assert value(after, "authbot_store_failed_writes_total") == value(before, "authbot_store_failed_writes_total")
    body = httpx.get(f"http://127.0.0.1:{PORT}/metrics", timeout=5).text
    for name in ("authbot_live_checks", "authbot_leak_guard_actions", "authbot_gateway_latency_seconds"):
        assert f"# HELP {name}" in body


def test_the_gateway_latency_is_read_per_shard_at_scrape_time():
    from bot.metrics import GatewayLatency

    latencies = [(0, 0.042), (1, float("inf"))]  # shard 1 has not had a heartbeat yet
    (family,) = GatewayLatency(lambda: latencies).collect()
    assert [(s.labels, s.value) for s in family.samples] == [({"shard": "0"}, 0.042)]
    latencies[1] = (1, 0.05)
    (family,) = GatewayLatency(lambda: latencies).collect()
    assert [s.labels["shard"] for s in family.samples] == ["0", "1"]
