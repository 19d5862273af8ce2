"""DATABASE_URL: SQLite URLs work, other databases are refused loudly (not silently ignored)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import Settings
from bot.store.location import UnsupportedDatabase, database_location


def settings(**values) -> Settings:
    return Settings(_env_file=None, **values)


def test_database_path_is_the_default():
    assert database_location(settings(database_path=Path("/data/a.sqlite3"))) == Path("/data/a.sqlite3")


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("sqlite:///relative.sqlite3", Path("relative.sqlite3")),
        ("sqlite:////data/authbot.sqlite3", Path("/data/authbot.sqlite3")),
        ("sqlite+pysqlite:////data/with%20space.sqlite3", Path("/data/with space.sqlite3")),
    ],
)
def test_sqlite_urls_win_over_database_path(url, path):
    assert database_location(settings(database_path=Path("ignored.sqlite3"), database_url=url)) == path


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("postgresql://bot:pw@db:5432/authbot", "scheme 'postgresql' is not supported"),
        ("mysql://db/authbot", "scheme 'mysql' is not supported"),
        ("just-a-path.sqlite3", "scheme '(none)' is not supported"),
        ("sqlite://host/file.sqlite3", "no host"),
        ("sqlite:///", "no file path"),
    ],
)
def test_other_databases_are_refused_clearly(url, message):
    with pytest.raises(UnsupportedDatabase, match=message.replace("(", r"\(").replace(")", r"\)")):
        database_location(settings(database_url=url))


def test_the_refusal_never_repeats_the_password():
    with pytest.raises(UnsupportedDatabase) as caught:
        database_location(settings(database_url="postgresql://bot:hunter2@db/authbot"))
    assert "hunter2" not in str(caught.value)
