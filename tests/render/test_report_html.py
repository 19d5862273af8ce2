"""The HTML report in a real headless Chromium: it renders, logs no error, and its chart image loads.

One browser for the module. Without Chromium the tests skip on a workstation but fail under CI=true:
.ci/run installs Debian's package, so a missing browser there is a broken CI, not a reason to pass.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.learning.clusters import Cluster
from bot.render.charts import render_chart
from bot.render.report_html import html_report
from tests.render.chromium import Chromium, find_chromium
from tests.render.test_charts import BUSY


@dataclass(frozen=True)
class EntryStats:  # what the page reads of the store's EntryStats
    entry_id: str
    uses: int
    solved: int
    not_solved: int


FAKE = "dal:FAKE_test_token_000000000000"
CLUSTERS = [
    Cluster(3, f"<script>alert('x')</script> my token {FAKE} is refused", "invalid-access-token", 0.41, (0, 1, 2)),
    Cluster(1, "is there a rate limit on token refreshes", None, 0.0, (3,)),
]
ENTRIES = [EntryStats("pat-create", 12, 4, 1), EntryStats("gone-entry", 2, 0, 0)]


@pytest.fixture(scope="module")
def browser():
    executable = find_chromium()
    if executable is None:
        message = "Chromium is not installed (Debian: apt-get install chromium; .ci/run does this)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    chromium = Chromium(executable)
    yield chromium
    chromium.close()


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    page = html_report(
        chart_png=render_chart(BUSY),
        clusters=CLUSTERS,
        entries=ENTRIES,
        titles={"pat-create": "How can I get a Personal Access Token?"},
        generated=datetime(2026, 11, 30, 12, 0, tzinfo=UTC),
        days=14,
    )
    path = tmp_path_factory.mktemp("report") / "index.html"
    path.write_text(page, encoding="utf-8")
    return path


def test_the_harness_reports_what_is_broken(browser, tmp_path):
    # Without this, a harness that saw nothing would pass every page.
    broken = tmp_path / "broken.html"
    broken.write_text(
        '<!doctype html><title>b</title><img id="gone" src="missing.png"><script>console.error("boom")</script>'
    )
    page = browser.load(broken)
    assert "console.error: boom" in page.problems
    assert any("ERR_FILE_NOT_FOUND" in p for p in page.problems)
    assert page.images == [{"id": "gone", "complete": True, "width": 0}]


def test_the_report_renders_without_errors_and_its_chart_loads(browser, report):
    page = browser.load(
        report,
        {
            "title": "document.title",
            "scripts": "document.scripts.length",
            "outside": "[...document.querySelectorAll('[src],[href]')].map(e => e.src || e.href)"
            ".filter(u => !u.startsWith('data:')).length",
            "clusters": "[...document.querySelectorAll('#clusters tbody tr')].map(r => r.innerText)",
            "entries": "[...document.querySelectorAll('#entries tbody tr')].map(r => r.innerText)",
        },
    )

    assert page.problems == []
    assert page.images == [{"id": "chart", "complete": True, "width": 800}]
    assert page.values["title"] == "authbot report"
    assert page.values["scripts"] == 0 and page.values["outside"] == 0  # self-contained
    first, second = page.values["clusters"]
    assert first.startswith("3\t<script>alert('x')</script> my token [agent-access-token dal:…0000]")  # as text
    assert "invalid-access-token\t0.41" in first and second.endswith("\t—\t—")
    assert page.values["entries"][0].split("\t") == [
        "pat-create", "How can I get a Personal Access Token?", "12", "4", "1", "80%"
    ]
    assert page.values["entries"][1].split("\t")[-1] == "—"


def test_the_file_carries_no_credential_and_no_external_reference(report):
    text = report.read_text()
    assert FAKE not in text
    assert "http://" not in text and "https://" not in text
