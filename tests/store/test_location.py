"""DATABASE_URL: SQLite and PostgreSQL URLs work, other databases are refused loudly (not silently ignored),
and the password never shows."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import Settings
from bot.store.location import UnsupportedDatabase, database_location


def settings(**values) -> Settings:
    return Settings(_env_file=None, **values)


def test_database_path_is_the_default():
    location = database_location(settings(database_path=Path("/data/a.sqlite3")))
    assert location.backend == "sqlite" and location.path == Path("/data/a.sqlite3")
    assert location.async_url.drivername == "sqlite+aiosqlite"


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("sqlite:///relative.sqlite3", Path("relative.sqlite3")),
        ("sqlite:////data/authbot.sqlite3", Path("/data/authbot.sqlite3")),
        ("sqlite+pysqlite:////data/with%20space.sqlite3", Path("/data/with space.sqlite3")),
    ],
)
def test_sqlite_urls_win_over_database_path(url, path):
    assert database_location(settings(database_path=Path("ignored.sqlite3"), database_url=url)).path == path


@pytest.mark.parametrize(
    "url", ["postgresql://bot:pw@db:5432/authbot", "postgres://bot:pw@db/authbot", "postgresql+asyncpg://bot@db/authbot"]
)
def test_postgresql_urls_use_psycopg_on_both_sides(url):
    location = database_location(settings(database_url=url))
    assert location.backend == "postgresql" and location.path is None
    assert location.sync_url.drivername == location.async_url.drivername == "postgresql+psycopg"
    assert location.sync_url.host == "db" and location.sync_url.database == "authbot"
    assert "pw" not in str(location)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://db/authbot", "scheme 'mysql' is not supported"),
        ("just-a-path.sqlite3", "scheme '(none)' is not supported"),
        ("sqlite://host/file.sqlite3", "no host"),
        ("sqlite:///", "no file path"),
        ("postgresql:///authbot", "needs a host"),
        ("postgresql://db", "needs a host and a database"),
    ],
)
def test_other_databases_are_refused_clearly(url, message):
    with pytest.raises(UnsupportedDatabase, match=message.replace("(", r"\(").replace(")", r"\)")):
        database_location(settings(database_url=url))


def test_the_refusal_never_repeats_the_password():
    with pytest.raises(UnsupportedDatabase) as caught:
        database_location(settings(database_url="mysql://bot:hunter2@db/authbot"))
    assert "hunter2" not in str(caught.value)


def test_an_at_sign_left_in_the_password_is_refused_without_showing_the_password():
    """'p@ss' unencoded would make 'ss@db' the host name, and the connection error would print it."""
    with pytest.raises(UnsupportedDatabase, match="%40") as caught:
        database_location(settings(database_url="postgresql://bot:hunt@er2@db:5432/authbot"))
    assert "er2" not in str(caught.value)
    encoded = database_location(settings(database_url="postgresql://bot:hunt%40er2@db:5432/authbot"))
    assert encoded.sync_url.password == "hunt@er2" and encoded.sync_url.host == "db"
