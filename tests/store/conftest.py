"""The store suite runs on both backends: every test that takes `database_url` (or `store`/`astore`) runs
once on a SQLite file and once on a fresh database of the session's PostgreSQL server."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from bot.store import AsyncStore, Store
from bot.store.async_store import prepare
from bot.store.db import as_location


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'authbot.sqlite3'}"
    return request.getfixturevalue("postgres_server").fresh_database()


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    store = Store.open(database_url)
    yield store
    store.close()


@pytest.fixture
async def astore(database_url: str) -> AsyncIterator[AsyncStore]:
    location = as_location(database_url)
    prepare(location)
    store = AsyncStore(location)
    yield store
    await store.close()
