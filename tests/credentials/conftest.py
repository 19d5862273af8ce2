"""Fixtures for the credential tests: the fake accounts server and settings pointing at it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest

from bot.credentials.livechat import LiveChecker
from bot.settings import Settings
from tests.credentials.fake_accounts import FakeAccounts, make_settings


@pytest.fixture
def settings_for() -> Callable[..., Settings]:
    return make_settings


@pytest.fixture
async def checker(accounts: FakeAccounts) -> AsyncIterator[LiveChecker]:
    async with LiveChecker(make_settings(accounts.url)) as live:
        yield live
