"""Discord tests for the credential cogs: the shared `world` (tests/exts/conftest.py) with the leak guard
and live token checks switched on, live checks pointed at the fake accounts server on 127.0.0.1."""

from __future__ import annotations

from typing import Any

import pytest

from tests.credentials.fake_accounts import FakeAccounts


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
