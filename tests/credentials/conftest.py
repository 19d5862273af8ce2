"""Fixtures for the credential tests: the fake accounts server and settings pointing at it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator

import pytest
from fake_accounts import FakeAccounts, make_settings, serve

from bot.credentials.livechat import LiveChecker
from bot.settings import Settings


@pytest.fixture
def accounts() -> Iterator[FakeAccounts]:
    with serve() as server:
        yield server
    # Whatever the test did: the server never saw a host outside the allow-list.
    assert server.hosts <= {"127.0.0.1"}, server.hosts


@pytest.fixture
def settings_for() -> Callable[..., Settings]:
    return make_settings


@pytest.fixture
async def checker(accounts: FakeAccounts) -> AsyncIterator[LiveChecker]:
    async with LiveChecker(make_settings(accounts.url)) as live:
        yield live
