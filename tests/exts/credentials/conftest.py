"""Discord tests for the credential cogs: the shared `world` (tests/exts/conftest.py) with the leak guard
and live token checks switched on, live checks pointed at the fake accounts server on 127.0.0.1."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# The fake accounts server lives beside the non-Discord credential tests; those folders are not packages.
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "credentials"))

from fake_accounts import FakeAccounts, serve  # noqa: E402


@pytest.fixture
def accounts() -> Iterator[FakeAccounts]:
    with serve() as server:
        yield server
    assert server.hosts <= {"127.0.0.1"}, server.hosts


@pytest.fixture
def settings_overrides(accounts: FakeAccounts, request: pytest.FixtureRequest) -> dict[str, Any]:
    return {
        "leak_guard": True,
        "live_token_checks": True,
        "livechat_accounts_url": accounts.url,
        "livechat_allowed_hosts": ["127.0.0.1"],
        "http_timeout": 0.5,
        **getattr(request, "param", {}),
    }
