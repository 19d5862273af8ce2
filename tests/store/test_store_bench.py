"""`authbot bench --store URL` with a tiny count, on both backends: two real processes write at once, and
the report says no row was lost and the aggregates match (the figures themselves are not asserted). It
runs twice on one database: the second run counts its own rows, not the first run's."""

from __future__ import annotations

import json

from tests.conftest import run_authbot


def test_the_store_benchmark_loses_no_row_run_after_run(database_url):
    for _ in range(2 if database_url.startswith("sqlite") else 1):  # the vote keys differ per run on both
        done = run_authbot("bench", "--store", database_url, "--count", "20", "--json")
        assert done.returncode == 0, done.stderr
        result = json.loads(done.stdout)
        assert result["processes"] == 2 and result["rows_expected"] == 2 * 20 * 3
        assert result["rows_lost"] == 0 and result["aggregates_match"] is True
        assert result["rows_per_second"] > 0 and result["p99_write_ms"] >= result["p50_write_ms"] > 0
